package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Params;
import io.github.ctlatent.model.ResNetVae;
import io.github.ctlatent.model.VaeConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.github.ctlatent.train.GanStepTest.assertAllChanged;
import static io.github.ctlatent.train.GanStepTest.assertAllIdentical;
import static io.github.ctlatent.train.GanStepTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VaeStepTest {

	static final VaeConfig TINY = new VaeConfig(4, 16, 4, 1);

	static NDArray batch(NDManager m) {
		return m.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16));
	}

	@Test
	void oneStepMovesEveryEncoderAndDecoderWeight() {
		Engines.seed(21);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			Map<String, byte[]> e0 = snapshot(vae.encoder(), Params::trainable), d0 = snapshot(vae.decoder(), Params::trainable);

			VaeStep.Result r = new VaeStep(vae).step(batch(data));

			// a convolution bias right before a training-mode batch norm has an exactly zero gradient (the norm removes
			// the channel mean), so whether Adam moves it depends on rounding alone: those are left out
			java.util.function.Predicate<String> beforeNorm = n -> n.endsWith("conv1_bias") || n.endsWith("conv2_bias");
			e0.keySet().removeIf(beforeNorm);
			d0.keySet().removeIf(beforeNorm);
			Map<String, byte[]> e1 = snapshot(vae.encoder(), Params::trainable), d1 = snapshot(vae.decoder(), Params::trainable);
			e1.keySet().removeIf(beforeNorm);
			d1.keySet().removeIf(beforeNorm);
			assertFalse(e0.isEmpty() || d0.isEmpty());
			assertAllChanged(e0, e1);
			assertAllChanged(d0, d1);
			assertEquals(Math.log(r.mse()) + 0.01 * r.kl(), r.loss(), 1e-4);
			assertTrue(r.kl() >= 0);
		}
	}

	static float run(long seed) {
		Engines.seed(seed);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			VaeStep step = new VaeStep(vae);
			NDArray x = batch(data);
			step.step(x);
			return step.step(x).loss();
		}
	}

	@Test
	void sameSeedGivesIdenticalTrainingWithoutLeaks() {
		assertEquals(run(5), run(5));
		Engines.seed(6);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			VaeStep step = new VaeStep(vae);
			NDArray x = batch(data);
			step.step(x);
			int arrays = vae.manager().getManagedArrays().size();
			for (int i = 0; i < 3; i++) step.step(x);
			assertEquals(arrays, vae.manager().getManagedArrays().size());
		}
	}

	@Test
	void aTotalCorrelationWeightAddsItsPenaltyAndReportsIt() {
		// given the same VAE, batch and noise twice: once the paper's loss, once β-TCVAE with weight 6
		VaeStep.Result[] r = new VaeStep.Result[2];
		float[] tcBeta = {1f, 6f};
		for (int k = 0; k < 2; k++) {
			Engines.seed(5);
			try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
				Engines.seed(6);
				VaeStep step = new VaeStep(vae, Updates.adam(VaeStep.LEARNING_RATE, 0.9f, 0.999f), 0.01f, tcBeta[k], false);
				try (NDManager it = vae.manager().newSubManager()) {
					r[k] = step.step(it, batch(data), new java.util.SplittableRandom(3));
				}
			}
		}
		// then the plain step reports no TC, the β-TCVAE one a finite TC, and its loss is the plain one plus 0.01·5·TC
		assertTrue(Float.isNaN(r[0].tc()) && Float.isFinite(r[1].tc()), r[0] + " " + r[1]);
		assertEquals(r[0].mse(), r[1].mse(), 1e-6f);
		assertEquals(r[0].loss() + 0.01f * 5f * r[1].tc(), r[1].loss(), 1e-4f);
	}

	@Test
	void theTraversalCycleTrainsTheDecoderAloneAndAddsItsWeightedPenalty() {
		// given the same VAE, batch and noise twice: once without the cycle, once with weight 1000 (an untrained tiny VAE's
		// walks change the other axes' readings by little)
		DecoderTermSteps s = oneSgdStepEach(TINY, 1000f, (vae, sgd, weight) -> new VaeStep(vae, sgd, 0.01f, 1f, false, PositionAxis.OFF, new TraversalCycle(weight)));
		// then the encoder takes the same step bit for bit (the cycle's gradient never reaches it) and the decoder another
		s.assertOnlyTheDecoderStepsDifferently();
		// and the penalty is logged only when on, and the loss is the plain one plus 1000 times it
		VaeStep.Result[] r = s.results();
		assertTrue(Float.isNaN(r[0].cycle()) && r[1].cycle() > 0, r[0] + " " + r[1]);
		assertEquals(r[0].mse(), r[1].mse(), 1e-6f);
		assertEquals(r[0].loss() + 1000f * r[1].cycle(), r[1].loss(), 1e-4f * Math.abs(r[1].loss()));
	}

	/** A tiny VAE with room for the warp axes 1-4. */
	static final VaeConfig WIDE = new VaeConfig(8, 16, 4, 1);

	@Test
	void theWarpPullTrainsTheDecoderAloneAndAddsItsWeightedPenalty() {
		// given the same VAE, batch and noise twice: once without the warp pull, once with weight 100
		DecoderTermSteps s = oneSgdStepEach(WIDE, 100f, (vae, sgd, weight) -> new VaeStep(vae, sgd, 0.01f, 1f, false).warp(new WarpAxes(weight, 3f)));
		// then the encoder takes the same step bit for bit (the pull starts from detached means) and the decoder another
		s.assertOnlyTheDecoderStepsDifferently();
		// and the pull is logged only when on, and the loss is the plain one plus 100 times it
		VaeStep.Result[] r = s.results();
		assertTrue(Float.isNaN(r[0].warp()) && r[1].warp() > 0, r[0] + " " + r[1]);
		assertEquals(r[0].mse(), r[1].mse(), 1e-6f);
		assertEquals(r[0].loss() + 100f * r[1].warp(), r[1].loss(), 1e-4f * Math.abs(r[1].loss()));
	}

	/** A VAE step with a decoder-only term of weight {@code weight}. */
	interface StepWith {
		VaeStep make(ResNetVae vae, ai.djl.training.optimizer.Optimizer sgd, float weight);
	}

	/** One step each at weight 0 and at a weight: the results, and the encoder's and decoder's weights after each. */
	record DecoderTermSteps(VaeStep.Result[] results, java.util.List<Map<String, byte[]>> encoders, java.util.List<Map<String, byte[]>> decoders) {
		void assertOnlyTheDecoderStepsDifferently() {
			assertAllIdentical(encoders.get(0), encoders.get(1));
			// weights ahead of a batch norm left out (see oneStepMovesEveryEncoderAndDecoderWeight)
			java.util.function.Predicate<String> beforeNorm = n -> n.endsWith("conv1_bias") || n.endsWith("conv2_bias");
			decoders.forEach(d -> d.keySet().removeIf(beforeNorm));
			assertAllChanged(decoders.get(0), decoders.get(1));
		}
	}

	/**
	 * The same VAE, batch and noise twice, one step each with the term off and at {@code weight}; plain SGD, whose step
	 * is the gradient itself (Adam's first step is the gradient's sign, which two gradients can share).
	 */
	private static DecoderTermSteps oneSgdStepEach(VaeConfig config, float weight, StepWith stepWith) {
		VaeStep.Result[] r = new VaeStep.Result[2];
		java.util.List<Map<String, byte[]>> encoders = new java.util.ArrayList<>(), decoders = new java.util.ArrayList<>();
		for (float w : new float[] {0f, weight}) {
			Engines.seed(5);
			try (ResNetVae vae = ResNetVae.create(config, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
				VaeStep step = stepWith.make(vae, GanStepTest.sgd(), w);
				try (NDManager it = vae.manager().newSubManager()) {
					r[encoders.size()] = step.step(it, batch(data), new java.util.SplittableRandom(3));
				}
				encoders.add(snapshot(vae.encoder(), Params::trainable));
				decoders.add(snapshot(vae.decoder(), Params::trainable));
			}
		}
		return new DecoderTermSteps(r, encoders, decoders);
	}

	@Test
	void trainingWithTheWarpPullMakesWalksAlongAxesOneToFourWarpTheDecodedImage() {
		// given a tiny VAE trained 120 steps on one batch, with and without the pull
		float without = warpAfterTraining(0f), with = warpAfterTraining(30f);
		// then its decoded walks along axes 1-4 are much nearer the warps of the decoded starts
		// (measured: 0.030 without, 0.014 with; the tiny decoder cannot go much lower at any weight)
		assertTrue(with < 0.6f * without, "warp pull after training: " + without + " without, " + with + " with");
	}

	/** The warp pull (fixed walks from the batch's posterior means) of a tiny VAE after 120 steps with warp weight {@code weight}. */
	private static float warpAfterTraining(float weight) {
		Engines.seed(7);
		try (ResNetVae vae = ResNetVae.create(WIDE, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			NDArray x = data.randomUniform(-1f, 1f, new Shape(8, 1, 16, 16));
			VaeStep step = new VaeStep(vae, Updates.adam(1e-3f, 0.9f, 0.999f), 0.01f, 1f, false).warp(new WarpAxes(weight, 3f));
			step.step(x);
			int arrays = vae.manager().getManagedArrays().size();
			for (int i = 1; i < 120; i++) step.step(x);
			assertEquals(arrays, vae.manager().getManagedArrays().size(), "arrays left behind");
			try (NDManager m = vae.manager().newSubManager()) {
				ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
				return step.warpPull(m, vae.encode(ps, x, false).mu(), new java.util.SplittableRandom(11)).getFloat();
			}
		}
	}

	@Test
	void trainingWithTheTraversalCycleMakesWalksReadBackAsWalked() {
		// given a tiny VAE trained 40 steps on one batch, with and without the cycle
		float without = cycleAfterTraining(0f), with = cycleAfterTraining(10f);
		// then walks along one axis, decoded and encoded again, land much nearer where they were walked to with it
		assertTrue(with < 0.5f * without, "cycle penalty after training: " + without + " without, " + with + " with");
	}

	/** The cycle penalty (fixed walks) of a tiny VAE after 40 steps with cycle weight {@code weight}. */
	private static float cycleAfterTraining(float weight) {
		Engines.seed(7);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			NDArray x = batch(data);
			VaeStep step = new VaeStep(vae, Updates.adam(1e-3f, 0.9f, 0.999f), 0.01f, 1f, false, PositionAxis.OFF, new TraversalCycle(weight));
			step.step(x);
			int arrays = vae.manager().getManagedArrays().size();
			for (int i = 1; i < 120; i++) step.step(x);
			// the second pass's arrays (kept gradients, walks) go with each iteration
			assertEquals(arrays, vae.manager().getManagedArrays().size());
			try (NDManager m = data.newSubManager()) {
				ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
				return TraversalCycle.penalty(vae, ps, m, vae.encode(ps, x, false).mu(), new java.util.SplittableRandom(11)).getFloat();
			}
		}
	}

	@Test
	void theCyclePenaltyIsTheMeanSquaredChangeAWalkMakesToTheOtherAxesReadings() {
		Engines.seed(9);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
			// given the posterior means of 2 slices, (2, d, 1, 1) as the encoder gives them, and the walks the penalty draws
			NDArray means = vae.encode(ps, m.randomUniform(-1f, 1f, new Shape(2, 1, 16, 16)), false).mu();
			int d = TINY.latentDim();
			java.util.SplittableRandom draws = new java.util.SplittableRandom(4);
			float[] start = means.toFloatArray(), end = start.clone();
			int[] axis = new int[2];
			for (int i = 0; i < 2; i++) {
				axis[i] = draws.nextInt(d);
				end[i * d + axis[i]] += (float) draws.nextDouble(-TraversalCycle.RANGE, TraversalCycle.RANGE);
			}
			// when the penalty is taken with the same stream
			float penalty = TraversalCycle.penalty(vae, ps, m, means, new java.util.SplittableRandom(4)).getFloat();
			// then it is the mean over the two walks of the squared change of the encoder's reading on the axes not walked (starts
			// and ends decoded as one batch, as the decoder's batch norms see them in training)
			float[] both = new float[2 * start.length];
			System.arraycopy(start, 0, both, 0, start.length);
			System.arraycopy(end, 0, both, start.length, end.length);
			float[] read = readBack(vae, ps, m, both), a = java.util.Arrays.copyOf(read, start.length), b = java.util.Arrays.copyOfRange(read, start.length, read.length);
			double expected = 0;
			for (int i = 0; i < 2; i++)
				for (int j = 0; j < d; j++) if (j != axis[i]) expected += (b[i * d + j] - a[i * d + j]) * (b[i * d + j] - a[i * d + j]) / 2.0;
			assertTrue(expected > 0);
			assertEquals(expected, penalty, 1e-3 * expected);
		}
	}

	private static float[] readBack(ResNetVae vae, ai.djl.training.ParameterStore ps, NDManager m, float[] codes) {
		NDArray z = m.create(codes, new Shape(codes.length / TINY.latentDim(), TINY.latentDim(), 1, 1));
		return vae.encode(ps, vae.decode(ps, z, true), false).mu().toFloatArray();
	}
}
