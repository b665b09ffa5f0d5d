package io.github.ctlatent.data.phantom;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.phantom.PhantomGenerator.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhantomGeneratorTest {

	static final int N = 24, S = 6;

	/** Relative path -> SHA-256 of every file under {@code dir}. */
	static Map<String, String> hashes(Path dir) throws IOException {
		Map<String, String> m = new TreeMap<>();
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.filter(Files::isRegularFile).toList()) {
				try {
					m.put(dir.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
				} catch (java.security.NoSuchAlgorithmException e) {
					throw new IllegalStateException(e);
				}
			}
		}
		return m;
	}

	@Test
	void writesEveryFormatTheLabelsAndTheDescription(@TempDir Path dir) throws IOException {
		PhantomGenerator.Summary sum = PhantomGenerator.generate(2, N, S, 5, EnumSet.allOf(Format.class), dir, 5, Monitor.NONE);
		assertEquals(2 * S, sum.slices().size());
		Map<String, String> files = hashes(dir);
		for (String f : List.of("phantom_000.nii.gz", "phantom_001.tif", "phantom_001/slice_005.dcm", "factors.csv", "phantom.json"))
			assertTrue(files.containsKey(f), f + " in " + files.keySet());
		assertEquals(2 * S + 2 + 2 + 2, files.size(), "only the expected files: " + files.keySet());
		List<String> csv = Files.readAllLines(dir.resolve("factors.csv"));
		assertEquals("volume,slice,z,rotation,width,height,fat,breast,lung,y_shift,obs_breast,obs_lung", csv.get(0));
		assertEquals(1 + 2 * S, csv.size());
		String[] last = csv.get(2 * S).split(",");
		assertEquals("1", last[0]);
		assertEquals(String.valueOf(S - 1), last[1]);
		assertEquals(1.0, Double.parseDouble(last[2]));
		PhantomFactors f1 = PhantomFactors.draw(PhantomGenerator.volumeSeed(5, 1));
		assertEquals(f1.rotation(), Double.parseDouble(last[3]), 1e-4);
		String json = Files.readString(dir.resolve("phantom.json"));
		assertTrue(json.contains("\"seed\": 5") && json.contains("\"y_shift\""), json);
	}

	@Test
	void sameSeedSameFilesAndVolumeDoesNotDependOnCount(@TempDir Path dir) throws IOException {
		PhantomGenerator.generate(2, N, S, 9, EnumSet.allOf(Format.class), dir.resolve("a"), 10, Monitor.NONE);
		PhantomGenerator.generate(2, N, S, 9, EnumSet.allOf(Format.class), dir.resolve("b"), 10, Monitor.NONE);
		PhantomGenerator.generate(1, N, S, 9, EnumSet.allOf(Format.class), dir.resolve("c"), 10, Monitor.NONE);
		PhantomGenerator.generate(1, N, S, 10, EnumSet.of(Format.NIFTI), dir.resolve("d"), 10, Monitor.NONE);
		Map<String, String> a = hashes(dir.resolve("a")), c = hashes(dir.resolve("c"));
		assertEquals(a, hashes(dir.resolve("b")));
		for (String f : c.keySet())
			if (f.startsWith("phantom_000")) assertEquals(a.get(f), c.get(f), f);
		assertFalse(a.get("phantom_000.nii.gz").equals(hashes(dir.resolve("d")).get("phantom_000.nii.gz")), "another seed, another volume");
	}

	@Test
	void inMemoryRenderingEqualsTheWrittenVolume(@TempDir Path dir) {
		PhantomGenerator.generate(2, N, S, 3, Format.TIFF, dir, 8, Monitor.NONE);
		ImagePlus imp = IJ.openImage(dir.resolve("phantom_001.tif").toString());
		ThoraxPhantom.Rendered r = PhantomGenerator.render(3, 1, N, S, 8);
		for (int k = 0; k < S; k++) assertArrayEquals(r.volume().plane(k), (float[]) imp.getStack().getPixels(k + 1));
	}

	@Test
	void cancelKeepsCompleteVolumesOnlyAndNoLabels(@TempDir Path dir) throws IOException {
		Monitor cancelAfterFirst = new Monitor() {
			boolean canceled;
			@Override public void progress(long done, long total, String status) { if (done == 1) canceled = true; }
			@Override public void log(String line) {}
			@Override public boolean isCanceled() { return canceled; }
		};
		assertThrows(CanceledException.class,
			() -> PhantomGenerator.generate(3, N, S, 1, EnumSet.of(Format.DICOM, Format.NIFTI), dir, 0, cancelAfterFirst));
		// progress(1, …) is reported before volume 1 is rendered; the check before volume 2 stops the run
		Map<String, String> files = hashes(dir);
		assertFalse(files.containsKey("factors.csv"));
		assertFalse(files.containsKey("phantom.json"));
		assertFalse(files.keySet().stream().anyMatch(f -> f.startsWith("phantom_002")));
		assertTrue(files.keySet().stream().allMatch(f -> !f.startsWith(".") && !f.contains("/.")), "no temporary files: " + files.keySet());
		assertEquals(S, files.keySet().stream().filter(f -> f.startsWith("phantom_000/")).count(), "complete DICOM series");
	}
}
