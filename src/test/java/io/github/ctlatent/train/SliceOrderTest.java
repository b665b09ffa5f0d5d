package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.ResNetVae;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceOrderTest {

	@Test
	void theHingeCountsOnlyMisorderedOrTooCloseSlicePairsOnAxisZero() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			// given three pairs on a 2-d latent: first images then partners; axis 1 is far off and must not matter
			// (in the encoder's own shape: (2n, d, 1, 1))
			NDArray mu = m.create(new float[] {0f, 9f, 3f, -9f, 5f, 3f, /* partners */ 1.5f, -9f, 0f, 9f, -7f, 0f}, new Shape(6, 2, 1, 1));
			// the first partner is a quarter of the volume further (band 8..10 · 0.25 = 2..2.5, moved 1.5: short by 0.5); the second
			// a tenth back (band 0.8..1, moved back 3: 2 too far); the third is a geometric pair (offset 0: left out)
			NDArray offsets = m.create(new float[] {0.25f, -0.1f, 0f});
			mu.setRequiresGradient(true);
			float hinge;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray h = SliceOrder.hinge(mu, offsets, 0, SliceOrder.DEFAULT_SPAN);
				hinge = h.getFloat();
				gc.backward(h);
			}
			// then the hinge is the mean over the two slice pairs; the short pair is pushed apart, the far one pulled
			// together, on axis 0 alone
			assertEquals((0.5f + 2f) / 2, hinge, 1e-6f);
			assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0, 0, 0, -0.5f, 0, -0.5f, 0, 0, 0}, mu.getGradient().toFloatArray(), 1e-6f);
			// and a pair inside its band costs nothing
			assertEquals(0f, SliceOrder.hinge(m.create(new float[] {0f, 2.2f}, new Shape(2, 1, 1, 1)), m.create(new float[] {0.25f}), 0, SliceOrder.DEFAULT_SPAN).getFloat());
			// and a batch of geometric pairs alone costs nothing
			assertEquals(0f, SliceOrder.hinge(mu.stopGradient(), m.create(new float[] {0f, 0f, 0f}), 0, SliceOrder.DEFAULT_SPAN).getFloat());
			// and on axis 1 the same offsets read axis 1: the first pair moved −18 against +2..2.5, the second +18 against −1..−0.8
			assertEquals((20f + 18.8f) / 2, SliceOrder.hinge(mu.stopGradient(), offsets, 1, SliceOrder.DEFAULT_SPAN).getFloat(), 1e-5f);
			// and with a volume asked to span 6 units (band 5..7 · 0.25 = 1.25..1.75) the first pair's 1.5 is in its band, the
			// second's 3 back is 2.3 too far (band 0.5..0.7)
			assertEquals(2.3f / 2, SliceOrder.hinge(mu.stopGradient(), offsets, 0, 6f).getFloat(), 1e-5f);
		}
	}

	@Test
	void trainingWithTheHingeOrdersAxisZeroAndTheLossSaysSo() {
		Engines.seed(5);
		try (ResNetVae vae = ResNetVae.create(VaeStepTest.TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			// given a fixed batch of two pairs whose partners lie further along the volume
			NDArray x = data.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16));
			float[] offsets = {0.5f, 0.25f};
			VaeStep step = new VaeStep(vae, Updates.adam(1e-3f, 0.9f, 0.999f), Losses.VAE_BETA, 1f, true, PositionAxis.ordered(10f));
			// a step without the batch's offsets is refused rather than trained without the hinge
			assertThrows(IllegalStateException.class, () -> step.step(x));
			step.pairOffsets(offsets);
			VaeStep.Result first = step.step(x);
			assertTrue(first.order() > 0, "a random encoder leaves the pairs short of the margin: " + first.order());
			assertTrue(Float.isFinite(first.shared()));
			// when it trains on them
			VaeStep.Result r = first;
			for (int i = 0; i < 40; i++) {
				step.pairOffsets(offsets);
				r = step.step(x);
			}
			// then the hinge has fallen well below where it started, and it is part of the minimised loss
			assertTrue(r.order() < 0.2f * first.order(), first.order() + " -> " + r.order());
			assertEquals(Math.log(r.mse()) + Losses.VAE_BETA * r.kl() + 10 * r.order(), r.loss(), 1e-4, "the total holds the weighted hinge");
		}
	}

	@Test
	void withKnownGeometricAxesEachChangesAxisIsOrderedToo() {
		Engines.seed(6);
		// a tiny VAE with room for the position and the four changes
		try (ResNetVae vae = ResNetVae.create(new io.github.ctlatent.model.VaeConfig(6, 16, 4, 1), Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			// given a slice pair, a pair rotated by +0.4 of the rotation range (axis 1) and one y-scaled by −0.3 (axis 4)
			NDArray x = data.randomUniform(-1f, 1f, new Shape(6, 1, 16, 16));
			float[] offsets = {0.5f, 0f, 0f};
			float[][] changes = {{0f, 0.4f, 0f}, {0f, 0f, 0f}, {0f, 0f, 0f}, {0f, 0f, -0.3f}};
			VaeStep step = new VaeStep(vae, Updates.adam(1e-3f, 0.9f, 0.999f), Losses.VAE_BETA, 1f, true, PositionAxis.ordered(10f).withGeometryAxes(true));
			// a step without the batch's changes is refused rather than trained without their axes
			step.pairOffsets(offsets);
			assertThrows(IllegalStateException.class, () -> step.step(x));
			// and without the position axis the option is refused
			assertThrows(IllegalArgumentException.class, () -> PositionAxis.OFF.withGeometryAxes(true));
			step.pairOffsets(offsets);
			step.pairChanges(changes);
			VaeStep.Result first = step.step(x), r = first;
			// when it trains on them
			for (int i = 0; i < 40; i++) {
				step.pairOffsets(offsets);
				step.pairChanges(changes);
				r = step.step(x);
			}
			// then the three hinges together fall well below where they started
			assertTrue(first.order() > 0 && r.order() < 0.2f * first.order(), first.order() + " -> " + r.order());
			// and the encoder now orders axis 1 and axis 4 the way the changes went
			try (NDManager m = data.newSubManager()) {
				float[] mu = vae.encode(new ai.djl.training.ParameterStore(m, false), x, false).mu().reshape(6, -1).toFloatArray();
				int d = mu.length / 6;
				// (the band asks 8..10 units per whole range: at least 3.2 and 2.4 here; half of that is required)
				assertTrue(mu[4 * d + 1] - mu[d + 1] > 1.6f, "rotation pair on axis 1: " + mu[d + 1] + " -> " + mu[4 * d + 1]);
				assertTrue(mu[5 * d + 4] - mu[2 * d + 4] < -1.2f, "y-scale pair on axis 4: " + mu[2 * d + 4] + " -> " + mu[5 * d + 4]);
			}
		}
	}
	@Test
	void theInvariancePullCountsSlicePairsBeyondAxisZeroOnly() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			// given three pairs on a 3-d latent: a slice pair apart by 1 on axis 1 and 2 on axis 2 (and 5 on axis 0, the
			// position, which is free to differ); a slice pair identical beyond axis 0; a geometric pair far apart
			NDArray mu = m.create(new float[] {0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, /* partners */ 5f, 1f, 2f, -3f, 1f, 1f, 0f, 9f, -9f}, new Shape(6, 3, 1, 1));
			NDArray offsets = m.create(new float[] {0.5f, -0.25f, 0f});
			mu.setRequiresGradient(true);
			float pull;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray p = SliceOrder.invariance(mu, offsets);
				pull = p.getFloat();
				gc.backward(p);
			}
			// then it is the mean over the two slice pairs of the squared distance beyond axis 0: (1 + 4 + 0) / 2
			assertEquals(2.5f, pull, 1e-6f);
			// and its gradient pulls the first pair together on axes 1 and 2 alone (d/dμ of (b − a)² / 2 pairs = ∓(b − a))
			assertArrayEquals(new float[] {0, -1, -2, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0}, mu.getGradient().toFloatArray(), 1e-6f);
			// and a batch of geometric pairs alone costs nothing
			assertEquals(0f, SliceOrder.invariance(mu.stopGradient(), m.create(new float[] {0f, 0f, 0f})).getFloat());
		}
	}

	@Test
	void trainingWithTheInvariancePullBringsSlicePairsTogetherBeyondAxisZero() {
		float[] without = pairDistancesAfterTraining(0f), with = pairDistancesAfterTraining(10f);
		// then the slice pairs' codes beyond axis 0 end much closer with the pull than without it
		assertTrue(with[0] < 0.25f * without[0], "distance beyond axis 0: " + without[0] + " without, " + with[0] + " with the pull");
		// and the pull is logged and part of the minimised loss
		assertTrue(Float.isNaN(without[1]) && with[1] >= 0, "logged pull: " + without[1] + ", " + with[1]);
	}

	/** Trains a tiny VAE 40 steps on one batch of two slice pairs; returns their summed squared distance beyond axis 0, and the last logged pull. */
	private static float[] pairDistancesAfterTraining(float weight) {
		Engines.seed(7);
		try (ResNetVae vae = ResNetVae.create(VaeStepTest.TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			NDArray x = data.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16));
			float[] offsets = {0.5f, 0.25f};
			PositionAxis axis = PositionAxis.ordered(1f).withInvariance(weight);
			VaeStep step = new VaeStep(vae, Updates.adam(1e-3f, 0.9f, 0.999f), Losses.VAE_BETA, 1f, true, axis);
			VaeStep.Result r = null;
			for (int i = 0; i < 40; i++) {
				step.pairOffsets(offsets);
				r = step.step(x);
			}
			if (weight > 0)
				assertEquals(Math.log(r.mse()) + Losses.VAE_BETA * r.kl() + r.order() + weight * r.invariance(), r.loss(), 1e-4, "the total holds the weighted pull");
			try (NDManager m = data.newSubManager()) {
				float[] mu = vae.encode(new ai.djl.training.ParameterStore(m, false), x, false).mu().reshape(4, -1).toFloatArray();
				int d = mu.length / 4;
				float sum = 0;
				for (int pair = 0; pair < 2; pair++)
					for (int j = 1; j < d; j++) sum += (mu[(2 + pair) * d + j] - mu[pair * d + j]) * (mu[(2 + pair) * d + j] - mu[pair * d + j]);
				return new float[] {sum, r.invariance()};
			}
		}
	}
}
