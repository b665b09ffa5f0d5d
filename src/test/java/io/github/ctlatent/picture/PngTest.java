package io.github.ctlatent.picture;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 23: pictures are written complete or not at all. On a nearly full disk ImageJ's writer left a PNG cut mid-IDAT
 * (Generate Samples) or a 0-byte heatmap.png (Evaluate) and reported success; a cancel during the encoding of a
 * 20,000-sample grid was ignored for seconds and the whole PNG written.
 */
class PngTest {

	@TempDir
	Path dir;

	private static ByteProcessor noise(int w, int h) {
		ByteProcessor bp = new ByteProcessor(w, h);
		new java.util.Random(1).nextBytes((byte[]) bp.getPixels()); // incompressible: encoding takes its full time
		return bp;
	}

	@Test
	void greyAndColourPicturesAreWrittenWholeAndReadBackAsWritten() throws Exception {
		ByteProcessor grey = noise(97, 41);
		Path g = dir.resolve("grey.png");
		Pictures.savePng(grey, g);
		assertArrayEquals((byte[]) grey.getPixels(), (byte[]) IJ.openImage(g.toString()).getProcessor().convertToByte(false).getPixels());
		ColorProcessor colour = new ColorProcessor(33, 17);
		for (int i = 0; i < 33 * 17; i++) colour.set(i, i * 7919);
		Path c = dir.resolve("colour.png");
		Pictures.savePng(colour, c);
		ImagePlus back = IJ.openImage(c.toString());
		for (int i = 0; i < 33 * 17; i++) assertEquals(colour.get(i) & 0xffffff, back.getProcessor().get(i) & 0xffffff, "pixel " + i);
		Png.requireComplete(c, 33, 17);
	}

	@Test
	void aPngCutShortDamagedOrOfAnotherSizeIsNotCalledWritten() throws Exception {
		Path good = dir.resolve("good.png");
		Pictures.savePng(noise(200, 100), good);
		byte[] b = Files.readAllBytes(good);
		// what a full disk leaves: cut mid-IDAT, or everything but IEND; also a flipped byte and trailing garbage
		byte[] flipped = b.clone();
		flipped[b.length / 2] ^= 1;
		byte[][] bad = {Arrays.copyOf(b, b.length / 2), Arrays.copyOf(b, b.length - 12), flipped, Arrays.copyOf(b, b.length + 3), new byte[0]};
		for (int i = 0; i < bad.length; i++) {
			Path f = Files.write(dir.resolve("bad" + i + ".png"), bad[i]);
			IOException e = assertThrows(IOException.class, () -> Png.requireComplete(f, 200, 100), "case " + i);
			assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
		}
		assertThrows(IOException.class, () -> Png.requireComplete(good, 100, 200));
		Png.requireComplete(good, 200, 100);
	}

	@Test
	void aCancelStopsTheEncoderWithinASecondAndLeavesNoFile() throws Exception {
		// 9,000² of noise: 3-4 s to encode whole on one core, the size of a 20,000-sample grid
		ByteProcessor big = noise(9000, 9000);
		Path png = dir.resolve("grid.png");
		long t0 = System.nanoTime();
		Monitor stopAfter200ms = new Monitor() {
			@Override public void progress(long done, long total, String status) {}
			@Override public void log(String line) {}
			@Override public boolean isCanceled() { return System.nanoTime() - t0 > 200_000_000L; }
		};
		assertThrows(CanceledException.class, () -> Pictures.savePng(big, png, stopAfter200ms));
		double seconds = (System.nanoTime() - t0) / 1e9;
		System.out.printf("PNG encoder: stopped %.2f s after the start (cancel at 0.2 s)%n", seconds);
		assertTrue(seconds < 1.5, "took " + seconds + " s");
		try (var s = Files.list(dir)) {
			assertEquals(0, s.count(), "neither the PNG nor a temporary file is left");
		}
		// tiling thousands of samples stops too
		assertThrows(CanceledException.class, () -> Pictures.grid(new float[1000][16], 4, 32, -1, 1, stopAfter200ms));
	}
}
