package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers of β-TCVAE's total-correlation estimate (Losses.totalCorrelation). */
class TotalCorrelationTest {

	private static final int B = 256;

	/** Posteriors N(mu_j, σ²) with mu (B, 2) from {@code mean}, and one sample z from each. */
	private static float tc(NDManager m, float[] mean, float sigma, long seed) {
		Random r = new Random(seed);
		float[] z = new float[mean.length], lv = new float[mean.length];
		for (int i = 0; i < z.length; i++) {
			z[i] = mean[i] + sigma * (float) r.nextGaussian();
			lv[i] = (float) Math.log(sigma * sigma);
		}
		Shape s = new Shape(B, 2);
		return Losses.totalCorrelation(m.create(z, s), m.create(mean, s), m.create(lv, s)).getFloat();
	}

	@Test
	void identicalStandardPosteriorsHaveNoTotalCorrelation() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			// given every posterior N(0, I): the aggregate is N(0, I), which factorises, and the estimate is exact
			assertEquals(0, tc(m, new float[2 * B], 1f, 1), 1e-4);
		}
	}

	@Test
	void codesOnALineHaveMuchMoreTotalCorrelationThanIndependentOnes() {
		Engines.pytorch();
		Random r = new Random(7);
		float[] line = new float[2 * B], independent = new float[2 * B];
		for (int j = 0; j < B; j++) {
			float t = (float) r.nextGaussian();
			line[2 * j] = t;
			line[2 * j + 1] = t; // both dimensions say the same: knowing one fixes the other
			independent[2 * j] = (float) r.nextGaussian();
			independent[2 * j + 1] = (float) r.nextGaussian();
		}
		try (NDManager m = NDManager.newBaseManager()) {
			float onLine = tc(m, line, 0.05f, 2), apart = tc(m, independent, 0.05f, 2);
			// a perfectly dependent pair at σ 0.05 shares about log(1/σ) ≈ 3 nats; the independent pair's estimate
			// carries only the minibatch estimator's bias
			assertTrue(onLine > apart + 1.5, "line " + onLine + " vs independent " + apart);
			assertTrue(Float.isFinite(onLine) && Float.isFinite(apart));
		}
	}

	@Test
	void gradientsReachTheMeansAndAreFinite() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray mu = m.randomNormal(new Shape(32, 4, 1, 1)), lv = m.zeros(new Shape(32, 4, 1, 1));
			mu.setRequiresGradient(true);
			try (ai.djl.training.GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray z = mu.add(lv.mul(0.5f).exp().mul(m.randomNormal(mu.getShape())));
				gc.backward(Losses.totalCorrelation(z, mu, lv));
			}
			float[] g = mu.getGradient().toFloatArray();
			double norm = 0;
			for (float v : g) norm += v * v;
			assertTrue(Double.isFinite(norm) && norm > 0, "gradient norm " + norm);
		}
	}
}
