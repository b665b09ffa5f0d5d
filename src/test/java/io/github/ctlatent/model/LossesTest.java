package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {

	@Test
	void bceWithLogitsMatchesTheDefinitionAndStaysFiniteForLargeLogits() {
		Engines.pytorch();
		float[] x = {-2f, 0.5f, 3f, 100f, -100f};
		float[] y = {0.95f, 0f, 1f, 0f, 1f};
		double expected = 0;
		for (int i = 0; i < 3; i++) {
			double p = 1 / (1 + Math.exp(-x[i]));
			expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
		}
		expected += 100 + 100; // confidently wrong: loss = |logit|
		expected /= x.length;
		try (NDManager m = NDManager.newBaseManager()) {
			float loss = Losses.bceWithLogits(m.create(x), m.create(y)).getFloat();

			assertEquals(expected, loss, 1e-4);
		}
	}

	@Test
	void smoothedRealTargetsAreThousandthsFromPointNineToPointNineNineNine() {
		Engines.seed(5);
		try (NDManager m = NDManager.newBaseManager()) {
			float[] t = Losses.smoothedRealTargets(m, 2000, new java.util.SplittableRandom(5)).toFloatArray();

			Set<Long> distinct = new HashSet<>();
			for (float v : t) {
				long k = Math.round(v * 1000.0);
				assertTrue(k >= 900 && k <= 999, "target " + v);
				assertEquals(k / 1000.0, v, 1e-6);
				distinct.add(k);
			}
			assertTrue(distinct.size() > 90, "uses the whole range: " + distinct.size());
		}
	}

	@Test
	void vaeLossIsLogMsePlusBetaTimesBatchMeanKl() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray recon = m.create(new float[] {0.5f, -0.5f, 0f, 1f}, new Shape(2, 1, 1, 2));
			NDArray x = m.create(new float[] {0f, 0f, 0f, 0f}, new Shape(2, 1, 1, 2));
			float[] mu = {1f, 0f, 2f, -1f}, logvar = {0f, 1f, -1f, 0.5f};
			double mse = (0.25 + 0.25 + 0 + 1) / 4, kl = 0;
			for (int i = 0; i < 4; i++) kl += -0.5 * (1 + logvar[i] - mu[i] * mu[i] - Math.exp(logvar[i]));
			kl /= 2; // two samples with two latent dims each

			Losses.VaeLoss l = Losses.vae(recon, x, m.create(mu, new Shape(2, 2, 1, 1)), m.create(logvar, new Shape(2, 2, 1, 1)), 0.01f);

			assertEquals(mse, l.mse().getFloat(), 1e-6);
			assertEquals(kl, l.kl().getFloat(), 1e-5);
			assertEquals(Math.log(mse) + 0.01 * kl, l.total().getFloat(), 1e-5);
		}
	}
}
