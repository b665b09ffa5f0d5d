package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Directions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The supervised ceiling: a known linear latent space first, then the shipped GAN read by the shipped oracle. */
class SupervisedCeilingTest {

	@Test
	void givenFactorsThatShareALatentAxis_whenFitted_thenRegressionFollowsEachFactorAndNullingRemovesTheOther() {
		// given: f0 = 2·z0 + z1, f1 = z1 (seen on half the codes), f2 = z3 not scored, f3 seen on 10 codes only; 8-dimensional codes, a little noise
		Random r = new Random(3);
		int n = 2000, d = 8;
		float[][] codes = new float[n][d];
		double[][] values = new double[n][4];
		boolean[][] observable = new boolean[n][4];
		for (int s = 0; s < n; s++) {
			for (int c = 0; c < d; c++) codes[s][c] = (float) r.nextGaussian();
			values[s] = new double[] {2 * codes[s][0] + codes[s][1] + 0.01 * r.nextGaussian(), codes[s][1] + 0.01 * r.nextGaussian(), codes[s][3], codes[s][4]};
			observable[s] = new boolean[] {true, s % 2 == 0, true, s < 10};
		}
		// when
		SupervisedCeiling.Fit fit = SupervisedCeiling.fit(codes, values, observable, new boolean[] {true, true, false, true}, List.of("a", "b", "c", "d"));
		// then: the unscored factor and the one seen too rarely are left out, the fits are near-perfect and used the codes where the factor is seen
		assertEquals(List.of("a", "b"), fit.factors());
		assertEquals(List.of("d (seen in 10 of 2000 images)"), fit.unfitted());
		assertTrue(fit.summary().endsWith("; not fitted: d (seen in 10 of 2000 images)"), fit.summary());
		assertArrayEquals(new int[] {n, n / 2}, fit.samples());
		assertEquals(1, fit.r2()[0], 1e-3);
		assertEquals(1, fit.r2()[1], 1e-3);
		assertArrayEquals(new float[] {(float) (2 / Math.sqrt(5)), (float) (1 / Math.sqrt(5)), 0, 0, 0, 0, 0, 0}, fit.regression()[0], 0.01f);
		assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0}, fit.regression()[1], 0.01f);
		// nulled: a moves along z0 alone (b stays put); b must cancel a's share of z1: (−1, 2)/√5, oriented to raise b
		assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, fit.nulled()[0], 0.01f);
		assertArrayEquals(new float[] {(float) (-1 / Math.sqrt(5)), (float) (2 / Math.sqrt(5)), 0, 0, 0, 0, 0, 0}, fit.nulled()[1], 0.01f);
		Directions nulled = fit.nulledDirections();
		assertEquals("supervised, nulled b", nulled.label(1));
		assertArrayEquals(new float[] {2, 0, 0, 0, 0, 0, 0, 0}, nulled.shift(0, 2), 0.02f);
	}

	@Test
	void givenTheShippedGanAndOracle_whenFitted_thenTheZDirectionMovesTheOraclesZAndNotTheOtherFactorsToFirstOrder() {
		try (Generator g = Models.load(Path.of("models/phantom-gan"), Device.cpu());
			FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
			// when
			SupervisedCeiling.Fit fit = SupervisedCeiling.fit(g, o, 1024, 11, Monitor.NONE);
			// then: one direction per scored factor (lung is oracle-limited), unit vectors, nulled ones orthogonal to the other fits
			assertEquals(List.of("z", "rotation", "width", "height", "fat", "breast", "y_shift"), fit.factors());
			System.out.println(fit.summary());
			for (int i = 0; i < fit.factors().size(); i++) {
				assertEquals(1, norm(fit.regression()[i]), 1e-4);
				assertEquals(1, norm(fit.nulled()[i]), 1e-4);
				for (int j = 0; j < fit.factors().size(); j++)
					if (j != i) assertEquals(0, dot(fit.weights()[j], fit.nulled()[i]), 1e-6 * norm(fit.weights()[j]), fit.factors().get(i) + " vs " + j);
			}
			int z = fit.factors().indexOf("z");
			assertTrue(fit.r2()[z] > 0.3, "z is the GAN's dominant factor and largely linear in its latent: " + fit.summary());
			// and the generator agrees: walking the z direction ±2 from a few codes raises the oracle's z reading
			float[][] bases = WalkReader.bases(g.latentDim(), 6, 5);
			double rise = 0;
			for (float[] b : bases) {
				float[][] ends = {b.clone(), b.clone()};
				for (int c = 0; c < b.length; c++) {
					ends[0][c] -= 2 * fit.nulled()[z][c];
					ends[1][c] += 2 * fit.nulled()[z][c];
				}
				double[][] v = o.read(g.images(WalkReader.flatten(ends))).values();
				rise += (v[1][fit.index()[z]] - v[0][fit.index()[z]]) / bases.length;
			}
			assertTrue(rise > 0.5, "mean rise of ẑ over 4 latent units, in σ: " + rise);
		}
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) s += x * x;
		return Math.sqrt(s);
	}

	private static double norm(double[] v) {
		double s = 0;
		for (double x : v) s += x * x;
		return Math.sqrt(s);
	}

	private static double dot(double[] a, float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
