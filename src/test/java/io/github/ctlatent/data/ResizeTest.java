package io.github.ctlatent.data;

import io.github.ctlatent.data.Resize.Interpolation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ResizeTest {

	@Test
	void lanczosWeightsAreNormalisedAndSymmetric() {
		float[] w = Resize.lanczos4(0.5);
		double sum = 0;
		for (float v : w) sum += v;
		assertEquals(1, sum, 1e-6);
		for (int i = 0; i < 4; i++) assertEquals(w[i], w[7 - i], 1e-6);
		assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0}, Resize.lanczos4(0));
	}

	@Test
	void constantImagesStayConstant() {
		float[] img = new float[37 * 23];
		java.util.Arrays.fill(img, 7.5f);
		for (Interpolation m : Interpolation.values()) {
			float[] r = Resize.resize(img, 37, 23, 11, 16, m);
			for (float v : r) assertEquals(7.5f, v, 1e-4, m.name());
		}
	}

	@Test
	void areaAveragesBlocksWhileLanczosSamplesWithoutAntialiasing() {
		// a one-pixel checkerboard: area averaging gives gray, an un-widened 8-tap kernel aliases it
		float[] img = new float[64 * 64];
		for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img[y * 64 + x] = (x + y) % 2;
		float[] area = Resize.resize(img, 64, 64, 16, 16, Interpolation.AREA);
		for (float v : area) assertEquals(0.5f, v, 1e-6);
		float[] lz = Resize.resize(img, 64, 64, 20, 20, Interpolation.LANCZOS4);
		float[] ar = Resize.resize(img, 64, 64, 20, 20, Interpolation.AREA);
		assertTrue(spread(lz) > 3 * spread(ar), "Lanczos-4 without antialias keeps more checkerboard energy: " + spread(lz) + " vs " + spread(ar));
	}

	private static double spread(float[] r) {
		double s = 0;
		for (float v : r) s = Math.max(s, Math.abs(v - 0.5));
		return s;
	}
}
