package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.Params;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanStepTest {

	static final DcganConfig TINY = new DcganConfig(8, 16, 4, 4, 1);

	static Map<String, byte[]> snapshot(Block block, Predicate<Parameter> which) {
		Map<String, byte[]> m = new LinkedHashMap<>();
		for (var p : block.getParameters()) if (which.test(p.getValue())) m.put(p.getKey(), p.getValue().getArray().toByteArray());
		return m;
	}

	static void assertAllIdentical(Map<String, byte[]> before, Map<String, byte[]> after) {
		for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k + " changed");
	}

	static void assertAllChanged(Map<String, byte[]> before, Map<String, byte[]> after) {
		for (String k : before.keySet()) assertFalse(Arrays.equals(before.get(k), after.get(k)), k + " did not change");
	}

	static NDArray realBatch(NDManager m, int b) {
		return m.randomUniform(-1f, 1f, new Shape(b, 1, TINY.imageSize(), TINY.imageSize()));
	}

	@Test
	void discriminatorUpdateLeavesGeneratorUntouchedAndViceVersa() {
		Engines.seed(11);
		try (Dcgan gan = Dcgan.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager();
			NDManager it = gan.manager().newSubManager()) {
			GanStep step = new GanStep(gan);
			NDArray real = realBatch(data, 4);
			real.tempAttach(it);
			Map<String, byte[]> g0 = snapshot(gan.generator(), Params::trainable), d0 = snapshot(gan.discriminator(), Params::trainable);
			Map<String, byte[]> dStats0 = snapshot(gan.discriminator(), p -> !Params.trainable(p));

			GanStep.Pending pending = step.discriminatorPhase(it, real, new java.util.SplittableRandom(11));

			assertAllIdentical(g0, snapshot(gan.generator(), Params::trainable));
			assertAllChanged(d0, snapshot(gan.discriminator(), Params::trainable));
			Map<String, byte[]> d1 = snapshot(gan.discriminator(), Params::trainable);
			Map<String, byte[]> dStats1 = snapshot(gan.discriminator(), p -> !Params.trainable(p));
			assertAllChanged(dStats0, dStats1);

			GanStep.Result r = step.generatorPhase(pending, new java.util.SplittableRandom(12), false);

			assertAllIdentical(d1, snapshot(gan.discriminator(), Params::trainable));
			assertAllChanged(g0, snapshot(gan.generator(), Params::trainable));
			// deliberate, as in PyTorch: D runs in training mode in the G phase, so its BN running stats move
			assertAllChanged(dStats1, snapshot(gan.discriminator(), p -> !Params.trainable(p)));
			for (var p : gan.discriminator().getParameters())
				if (Params.trainable(p.getValue())) assertTrue(p.getValue().requiresGradient(), "D unfrozen again: " + p.getKey());
			assertTrue(Float.isFinite(r.dLoss()) && Float.isFinite(r.gLoss()));
			assertTrue(r.dReal() > 0 && r.dReal() < 1 && r.dFakeAfterUpdate() > 0 && r.dFakeAfterUpdate() < 1);
		}
	}

	@Test
	void theWarpPullIsTheMeanSquaredDifferenceBetweenTheWalkedImageAndTheWarpedFake() {
		Engines.seed(21);
		try (Dcgan gan = Dcgan.create(TINY, Device.cpu()); NDManager it = gan.manager().newSubManager()) {
			// given 3 codes and the batch the generator draws from them in training mode (the judged fake)
			int n = 3, d = TINY.latentDim(), size = TINY.imageSize(), plane = size * size;
			ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(gan.manager(), false);
			NDArray z = it.randomNormal(new Shape(n, d, 1, 1));
			NDArray fake = gan.generator().forward(ps, new ai.djl.ndarray.NDList(z), true).singletonOrThrow();
			// when the pull is computed with a known random stream
			float got = WarpAxes.of(1).generatorPenalty(gan.generator(), ps, it, z, fake, new java.util.SplittableRandom(5)).getFloat();
			// then it equals the hand computation: per code, the axis 1 + change, t / 3 of the change's range, the generator in
			// eval mode on that one code (running statistics: the rest of the batch does not matter), squared error, mean
			java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
			float[] drawn = fake.toFloatArray(), codes = z.toFloatArray();
			double sum = 0;
			for (int i = 0; i < n; i++) {
				io.github.ctlatent.data.SlicePairs.Change c = io.github.ctlatent.data.SlicePairs.Change.values()[rng.nextInt(4)];
				double t = rng.nextDouble(-3, 3);
				float[] code = Arrays.copyOfRange(codes, i * d, (i + 1) * d);
				code[1 + c.ordinal()] += (float) t;
				float[] walked = gan.generator().forward(ps, new ai.djl.ndarray.NDList(it.create(code, new Shape(1, d, 1, 1))), false).singletonOrThrow().toFloatArray();
				float[] target = new float[plane];
				io.github.ctlatent.data.SlicePairs.warp(c, t / 3, Arrays.copyOfRange(drawn, i * plane, (i + 1) * plane), size, target, 0);
				for (int p = 0; p < plane; p++) sum += (walked[p] - target[p]) * (double) (walked[p] - target[p]);
			}
			assertEquals(sum / (n * plane), got, 1e-5 * Math.max(1, got));
		}
	}

	@Test
	void theWarpPullLeavesTheDiscriminatorPhaseAsAPlainRunsAndTrainsTheGenerator() {
		// given the same GAN, batch and random stream twice: once plain, once with the warp pull; when one iteration runs
		GanStep.Result[] r = plainAndWith(TINY, step -> step.warp(WarpAxes.of(50f)));
		// then (besides plainAndWith's checks) the pull is reported beside the adversarial loss
		assertTrue(Float.isNaN(r[0].warp()) && r[1].warp() > 0, r[0] + " " + r[1]);
	}

	/**
	 * One SGD iteration of the same GAN ({@code config}), batch and random stream twice, plain and then configured by
	 * {@code with}; asserts that the discriminator took the same step bit for bit, the generator a different one in
	 * every weight, and that the reported generator loss is the adversarial one in both. Returns both results.
	 */
	static GanStep.Result[] plainAndWith(DcganConfig config, java.util.function.UnaryOperator<GanStep> with) {
		Map<String, byte[]>[] d = new Map[2], g = new Map[2];
		GanStep.Result[] r = new GanStep.Result[2];
		for (int k = 0; k < 2; k++) {
			Engines.seed(31);
			try (Dcgan gan = Dcgan.create(config, Device.cpu()); NDManager data = NDManager.newBaseManager(); NDManager it = gan.manager().newSubManager()) {
				GanStep step = new GanStep(gan, sgd(), sgd());
				if (k == 1) step = with.apply(step);
				int size = config.imageSize();
				r[k] = step.step(it, data.randomUniform(-1f, 1f, new Shape(4, 1, size, size)), new java.util.SplittableRandom(31), false);
				d[k] = snapshot(gan.discriminator(), Params::trainable);
				g[k] = snapshot(gan.generator(), Params::trainable);
			}
		}
		assertAllIdentical(d[0], d[1]);
		assertAllChanged(g[0], g[1]);
		assertEquals(r[0].gLoss(), r[1].gLoss());
		return r;
	}

	@Test
	void trainingWithTheWarpPullMakesTheKnownAxesWarpTheImage() {
		// given a tiny GAN trained 150 iterations on one batch, with and without the pull
		float without = warpAfterTraining(0f), with = warpAfterTraining(100f);
		// then its generator's walks along axes 1-4 are much closer to the warps of its images
		assertTrue(with < 0.5f * without, "warp pull after training: " + without + " without, " + with + " with");
	}

	/** The warp pull (fixed codes and walks) of a tiny GAN after 150 iterations with warp weight {@code weight}; checks for leaked arrays. */
	private static float warpAfterTraining(float weight) {
		Engines.seed(41);
		try (Dcgan gan = Dcgan.create(new DcganConfig(8, 16, 8, 8, 1), Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			// the generator at a higher rate than the paper's, so that 150 iterations show where the pull leads
			GanStep step = new GanStep(gan, Updates.adam(2e-4f, 0.5f, 0.999f), Updates.adam(2e-3f, 0.5f, 0.999f)).warp(WarpAxes.of(weight));
			NDArray real = data.randomUniform(-1f, 1f, new Shape(8, 1, 16, 16));
			train(gan, step, real, 150);
			try (NDManager it = gan.manager().newSubManager()) {
				ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(gan.manager(), false);
				float[] codes = new float[16 * 8];
				java.util.Random r = new java.util.Random(3);
				for (int i = 0; i < codes.length; i++) codes[i] = (float) r.nextGaussian();
				NDArray z = it.create(codes, new Shape(16, 8, 1, 1));
				NDArray images = gan.generator().forward(ps, new ai.djl.ndarray.NDList(z), true).singletonOrThrow();
				return WarpAxes.of(1).generatorPenalty(gan.generator(), ps, it, z, images, new java.util.SplittableRandom(9)).getFloat();
			}
		}
	}

	/** {@code n} iterations of {@code step} on {@code real} with random stream 41, after one that creates the optimizers' state; checks that none leaves arrays behind. */
	static void train(Dcgan gan, GanStep step, NDArray real, int n) {
		java.util.SplittableRandom rng = new java.util.SplittableRandom(41);
		step.step(real);
		int arrays = gan.manager().getManagedArrays().size();
		for (int i = 0; i < n; i++)
			try (NDManager it = gan.manager().newSubManager()) {
				step.step(it, real, rng, false);
			}
		assertEquals(arrays, gan.manager().getManagedArrays().size(), "arrays left behind");
	}

	/** Plain SGD: unlike Adam's first step (the gradient's sign), its step tells gradients apart. */
	static ai.djl.training.optimizer.Optimizer sgd() {
		return ai.djl.training.optimizer.Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build();
	}

	static float[] run(long seed) {
		Engines.seed(seed);
		try (Dcgan gan = Dcgan.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			GanStep step = new GanStep(gan);
			GanStep.Result r = null;
			for (int i = 0; i < 2; i++) r = step.step(realBatch(data, 4));
			float[] w = gan.generator().getParameters().get(0).getValue().getArray().toFloatArray();
			float[] out = Arrays.copyOf(w, w.length + 2);
			out[w.length] = r.dLoss();
			out[w.length + 1] = r.gLoss();
			return out;
		}
	}

	@Test
	void sameSeedGivesIdenticalTraining() {
		assertArrayEquals(run(7), run(7));
		assertFalse(Arrays.equals(run(7), run(8)));
	}

	@Test
	void iterationsDoNotLeakArrays() {
		Engines.seed(3);
		try (Dcgan gan = Dcgan.create(TINY, Device.cpu()); NDManager data = NDManager.newBaseManager()) {
			GanStep step = new GanStep(gan);
			NDArray real = realBatch(data, 4);
			step.step(real); // creates the Adam state
			int arrays = gan.manager().getManagedArrays().size();

			for (int i = 0; i < 3; i++) step.step(real);

			assertEquals(arrays, gan.manager().getManagedArrays().size());
			assertEquals(1, data.getManagedArrays().size(), "the caller's batch is returned to the caller");
			assertFalse(real.isReleased());
		}
	}

	@Test
	void twoTrainingsInOneJvmDoNotDisturbEachOther() {
		// given two GAN trainings with different seeds, each run alone
		java.util.List<Map<String, Double>> aloneA = losses(1, 3, null), aloneB = losses(2, 3, null);
		// when they run interleaved in one JVM, step by step (two trainings in one Fiji)
		java.util.List<Map<String, Double>> otherB = new java.util.ArrayList<>();
		java.util.List<Map<String, Double>> interleavedA = losses(1, 3, () -> otherB.addAll(losses(2, 1, null)));
		// then each sees exactly what it saw alone: no draw comes from a shared generator
		assertEquals(aloneA, interleavedA);
		assertEquals(aloneB.get(0), otherB.get(0));
		assertNotEquals(aloneA, aloneB);
	}

	/** {@code n} GanTask iterations with {@code seed}, running {@code between} after each. */
	private static java.util.List<Map<String, Double>> losses(long seed, int n, Runnable between) {
		java.util.List<Map<String, Double>> out = new java.util.ArrayList<>();
		try (GanTask task = new GanTask(TINY, Device.cpu(), seed); NDManager data = Engines.pytorch().newBaseManager(Device.cpu())) {
			NDArray real = realBatch(data, 4);
			for (int i = 0; i < n; i++) {
				try (NDManager it = data.newSubManager()) {
					out.add(task.step(it, real, new java.util.SplittableRandom(seed * 1000 + i)));
				}
				if (between != null) between.run();
			}
		}
		return out;
	}
}
