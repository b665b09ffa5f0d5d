package io.github.ctlatent.data.phantom;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSets;
import io.github.ctlatent.data.phantom.PhantomGenerator.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The data stage's front doors: {@link Phantoms} and {@link SliceSets}, with the checks they make before writing. */
class PhantomsTest {

	@TempDir
	Path dir;

	@Test
	void theSummaryNamesTheFilesWhereTheyEndUp() throws Exception {
		Path out = dir.resolve("phantom");
		Phantoms.Written w = Phantoms.thorax().count(2).size(16).slices(3).format(Format.NIFTI, Format.TIFF).seed(4).write(out, Monitor.NONE);
		assertEquals(out, w.summary().folder());
		assertEquals(4, w.summary().files().size());
		for (Path f : w.summary().files()) assertTrue(f.startsWith(out) && Files.isRegularFile(f), f.toString());
		assertEquals(6, w.summary().slices().size());
		assertEquals("2 phantom volumes of 16x16x3 (nifti+tiff) in " + out, w.line());
		// the same seed gives the same files as the engine writing in place
		PhantomGenerator.generate(2, 16, 3, 4, Format.NIFTI, dir.resolve("engine"), 10, Monitor.NONE);
		assertArrayEquals(Files.readAllBytes(dir.resolve("engine/phantom_001.nii.gz")), Files.readAllBytes(out.resolve("phantom_001.nii.gz")));

		ExplorerException again = assertThrows(ExplorerException.class, () -> Phantoms.thorax().count(1).size(16).slices(2).write(out, Monitor.NONE));
		assertTrue(again.getMessage().contains("overwrite=true"), again.getMessage());
		assertEquals(1, Phantoms.thorax().count(1).size(16).slices(2).format("tiff").overwrite(true).write(out, Monitor.NONE).summary().volumes());
		assertFalse(Files.exists(out.resolve("phantom_001.nii.gz")), "the overwritten data set is replaced as a whole");

		ExplorerException format = assertThrows(ExplorerException.class, () -> Phantoms.thorax().format("png"));
		assertTrue(format.getMessage().contains("dicom, nifti or tiff"), format.getMessage());
	}

	@Test
	void aSliceSetFromAVolumeInMemoryUsesTheSettingsGiven() {
		ThoraxPhantom.Rendered r = PhantomGenerator.render(2, 0, 32, 10, 0);
		SliceSets.Written w = SliceSets.of(r.volume()).size(8).window(-500, 500).interpolation("area").testFraction(0.2).seed(3).write(dir.resolve("s"), Monitor.NONE);
		DatasetCard card = w.card();
		assertEquals(10, card.sliceCount);
		assertEquals(new io.github.ctlatent.data.Preprocessing(-500, 500, 8, "area"), card.preprocessing);
		assertEquals(2, card.testSlices, "one slab of a fifth of the slices held out");
		assertThrows(ExplorerException.class, () -> SliceSets.of(r.volume()).size(4).write(dir.resolve("t"), Monitor.NONE));
		assertFalse(Files.exists(dir.resolve("t")));
	}
}
