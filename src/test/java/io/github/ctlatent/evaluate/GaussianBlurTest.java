package io.github.ctlatent.evaluate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GaussianBlurTest {

	@Test
	void aConstantImageStaysConstant() {
		float[] flat = new float[16 * 16];
		java.util.Arrays.fill(flat, 0.3f);
		for (float v : GaussianBlur.blur(flat, 16, 1.5)) assertEquals(0.3f, v, 1e-6f);
	}

	@Test
	void anImpulseSpreadsIntoTheGaussianAndKeepsItsMass() {
		float[] dot = new float[32 * 32];
		dot[16 * 32 + 16] = 1;
		float[] b = GaussianBlur.blur(dot, 32, 1.0);
		double sum = 0;
		for (float v : b) sum += v;
		assertEquals(1, sum, 1e-5, "an interior impulse keeps its mass");
		// separable Gaussian: the value one pixel right over the centre is exp(-1/2)
		assertEquals(Math.exp(-0.5), b[16 * 32 + 17] / b[16 * 32 + 16], 1e-5);
		assertEquals(Math.exp(-1.0), b[17 * 32 + 17] / b[16 * 32 + 16], 1e-5);
		assertEquals(b[15 * 32 + 16], b[17 * 32 + 16], 1e-7, "symmetric");
	}

	@Test
	void sigmaZeroIsACopyAndWrongSizesAreRefused() {
		float[] im = {1, 2, 3, 4};
		float[] c = GaussianBlur.blur(im, 2, 0);
		assertArrayEquals(im, c);
		assertNotSame(im, c);
		assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(im, 3, 1));
	}
}
