package io.github.ctlatent.data.phantom;

import io.github.ctlatent.data.phantom.PhantomFactors.Factor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhantomFactorsTest {

	@Test
	void sameSeedGivesSameFactorsAndOtherSeedsDiffer() {
		assertEquals(PhantomFactors.draw(42), PhantomFactors.draw(42));
		assertNotEquals(PhantomFactors.draw(42), PhantomFactors.draw(43));
	}

	@Test
	void drawsAreUniformIndependentAndStandardizeToMeanZeroStdOne() {
		int n = 4000, k = Factor.values().length;
		double[] sum = new double[k], sq = new double[k];
		double cross = 0; // width x height: drawn independently, so uncorrelated
		for (int i = 0; i < n; i++) {
			PhantomFactors f = PhantomFactors.draw(i);
			double[] s = new SliceFactors(0, 0, (i % 101) / 100.0, f, true, true).standardized();
			for (Factor fa : Factor.values()) {
				double raw = fa == Factor.Z ? (i % 101) / 100.0 : f.get(fa);
				assertTrue(raw >= fa.min && raw <= fa.max, fa + " out of range: " + raw);
				sum[fa.ordinal()] += s[fa.ordinal()];
				sq[fa.ordinal()] += s[fa.ordinal()] * s[fa.ordinal()];
			}
			cross += s[Factor.WIDTH.ordinal()] * s[Factor.HEIGHT.ordinal()];
		}
		for (Factor f : Factor.values()) {
			assertEquals(0, sum[f.ordinal()] / n, 0.06, f + " standardized mean");
			assertEquals(1, Math.sqrt(sq[f.ordinal()] / n), 0.05, f + " standardized std");
		}
		assertEquals(0, cross / n, 0.06, "width/height correlation");
	}

	@Test
	void standardizeRoundTrips() {
		for (Factor f : Factor.values()) assertEquals(f.max, f.destandardize(f.standardize(f.max)), 1e-9);
		assertEquals(Math.sqrt(3), Factor.ROTATION.standardize(Factor.ROTATION.max), 1e-9);
	}

	@Test
	void withReplacesOneFactorAndRefusesZ() {
		PhantomFactors f = PhantomFactors.mean().with(Factor.FAT, 29);
		assertEquals(29, f.fat());
		assertEquals(PhantomFactors.mean().width(), f.width());
		assertThrows(IllegalArgumentException.class, () -> f.with(Factor.Z, 0.5));
	}
}
