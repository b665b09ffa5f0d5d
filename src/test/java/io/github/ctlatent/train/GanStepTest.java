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

			GanStep.Result r = step.generatorPhase(pending, null);

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
