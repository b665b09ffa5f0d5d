package io.github.ctlatent.commands;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.data.io.VolumeReaders;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.JythonHarness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** "Generate Thorax Phantom" and "Prepare Slice Set" through SciJava, the macro interpreter and Jython. */
class DataCommandsTest {

	@TempDir
	Path dir;

	@Test
	void phantomDicomRoundTripsToTheSameHounsfieldUnits() {
		Harness.run(GeneratePhantomCommand.class, "output", dir, "count", 1, "size", 48, "slices", 12, "noise", 0);
		Volume read = VolumeReaders.readSeries(dir.resolve("phantom_000")).get(0);
		Volume truth = PhantomGenerator.render(1, 0, 48, 12, 0).volume();
		assertTrue(read.isHounsfield());
		assertArrayEquals(truth.spacing(), read.spacing(), 1e-4);
		double worst = 0;
		for (int z = 0; z < 12; z++)
			for (int i = 0; i < 48 * 48; i++) worst = Math.max(worst, Math.abs(read.plane(z)[i] - truth.plane(z)[i]));
		assertTrue(worst <= 0.5 + 1e-3, "DICOM stores whole HU: worst error " + worst);
	}

	@Test
	void prepareSkipsAndListsBadFilesAndCarriesTheFactors() throws Exception {
		Path in = dir.resolve("in");
		Harness.run(GeneratePhantomCommand.class, "output", in, "count", 3, "size", 32, "slices", 8, "format", "nifti");
		Files.writeString(in.resolve("broken.nii"), "not a nifti file at all, just text that is long enough to have a header..........");
		Path out = dir.resolve("slices");
		ExplorerException strict = assertThrows(ExplorerException.class,
			() -> Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out, "size", 16));
		assertTrue(strict.getMessage().contains("broken.nii"), strict.getMessage());
		assertFalse(Files.exists(out));
		Map<String, Object> o = Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out, "size", 16, "skip_bad", true, "test_fraction", 0.34);
		assertTrue(String.valueOf(o.get("summary")).startsWith("24 slices of 16² (16 train, 8 test, split by volume) from 3 volumes, 1 skipped"), String.valueOf(o.get("summary")));
		DatasetCard card = SliceSet.open(out).card();
		assertEquals("broken.nii", Path.of(card.skipped.get(0).file()).getFileName().toString());
		assertEquals("factors.csv", card.factorsFile);
		assertTrue(Files.readString(out.resolve("factors.csv")).startsWith("volume,slice,z,"));
		ExplorerException exists = assertThrows(ExplorerException.class, () -> Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out));
		assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
	}

	@Test
	void anOpenImageIsAnInputToo() throws Exception {
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("in"), "count", 1, "size", 32, "slices", 6, "format", "tiff");
		Map<String, Object> o = Harness.run(PrepareSliceSetCommand.class, "image", dir.resolve("in/phantom_000.tif"), "output", dir.resolve("s"), "size", 16);
		assertTrue(String.valueOf(o.get("summary")).startsWith("6 slices of 16²"), String.valueOf(o.get("summary")));
		ExplorerException both = assertThrows(ExplorerException.class, () -> Harness.run(PrepareSliceSetCommand.class, "output", dir.resolve("t")));
		assertTrue(both.getMessage().contains("either an input folder"), both.getMessage());
	}

	@Test
	void theMacrosRecordedInTheRepositoryRun() throws Exception {
		Path tmp = Path.of(ij.IJ.getDirectory("temp"));
		try {
			List<MacroHarness.Call> a = MacroHarness.runFile(Path.of("macros/generate_phantom.ijm"));
			assertEquals("4", a.get(0).args().get("count"));
			List<MacroHarness.Call> b = MacroHarness.runFile(Path.of("macros/prepare_slice_set.ijm"));
			assertEquals("true", b.get(0).args().get("overwrite"));
			assertEquals(4 * 48, SliceSet.open(tmp.resolve("ct-latent-slices")).count());
		} finally {
			AtomicFiles.deleteRecursively(tmp.resolve("ct-latent-phantom"));
			AtomicFiles.deleteRecursively(tmp.resolve("ct-latent-slices"));
		}
	}

	@Test
	void theJythonScriptRuns() throws Exception {
		Map<String, Object> out = JythonHarness.run(Path.of("scripts/phantom_to_slices.py"), Harness.context(), Map.of("folder", dir.toString(), "count", 2));
		assertTrue(String.valueOf(out.get("summary")).startsWith("64 slices of 32²"), String.valueOf(out.get("summary")));
	}
}
