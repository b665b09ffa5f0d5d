package io.github.ctlatent.discover;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ShiftSamplerTest {

	private final ShiftSampler sampler = new ShiftSampler(8, 10, 6f, 0.5f, 42);

	@Test
	void directionsAreUniformAndMagnitudesFollowTheSnappedUniform() {
		int batches = 200, b = 128, n = batches * b;
		int[] perK = new int[10];
		int snapped = 0, inside = 0;
		double zSum = 0, zSq = 0;
		float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
		for (int s = 0; s < batches; s++) {
			ShiftSampler.Batch batch = sampler.sample(s, b);
			for (int i = 0; i < b; i++) {
				perK[batch.k()[i]]++;
				float e = batch.eps()[i];
				min = Math.min(min, e);
				max = Math.max(max, e);
				if (Math.abs(e) == 0.5f) snapped++;
				else if (Math.abs(e) < 0.5f) inside++;
			}
			for (float z : batch.z()) {
				zSum += z;
				zSq += z * z;
			}
		}
		for (int c : perK) assertEquals(n / 10.0, c, 0.05 * n / 10.0, "direction counts " + java.util.Arrays.toString(perK));
		assertTrue(min >= -6f && max <= 6f && min < -5.9f && max > 5.9f, "range [" + min + ", " + max + "]");
		assertEquals(0, inside, "nothing strictly inside (-0.5, 0.5)");
		assertEquals(1 / 12.0, (double) snapped / n, 0.005, "point mass at ±0.5 = 0.5/6 of the samples");
		double zn = n * 8.0;
		assertEquals(0, zSum / zn, 0.01);
		assertEquals(1, zSq / zn, 0.01);
	}

	@Test
	void aBatchDependsOnlyOnSeedAndStream() {
		ShiftSampler.Batch a = sampler.sample(17, 16), b = new ShiftSampler(8, 10, 6f, 0.5f, 42).sample(17, 16);
		assertArrayEquals(a.z(), b.z());
		assertArrayEquals(a.k(), b.k());
		assertArrayEquals(a.eps(), b.eps());
		assertFalse(java.util.Arrays.equals(a.z(), sampler.sample(18, 16).z()));
		assertFalse(java.util.Arrays.equals(a.z(), sampler.sample(ShiftSampler.validationStream(17), 16).z()));
		assertFalse(java.util.Arrays.equals(a.z(), new ShiftSampler(8, 10, 6f, 0.5f, 43).sample(17, 16).z()));
	}

	@Test
	void snappingKeepsTheSign() {
		assertEquals(0.5f, sampler.snap(0.01f));
		assertEquals(-0.5f, sampler.snap(-0.49f));
		assertEquals(0.7f, sampler.snap(0.7f));
		assertEquals(-5f, sampler.snap(-5f));
	}
}
