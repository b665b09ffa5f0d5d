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
}
