package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DcganTest {

	static final DcganConfig TINY = new DcganConfig(8, 16, 4, 4, 1);

	@Test
	void paperPresetHasTheParameterCountsOfTheTables() {
		// docs/method.md §2 tables: (in, out) per 4x4 convolution, no biases; BN (gamma, beta) after all but the
		// generator's last and the discriminator's first and last layers.
		int[][] g = {{32, 2048}, {2048, 1024}, {1024, 512}, {512, 256}, {256, 128}, {128, 1}};
		int[][] d = {{1, 128}, {128, 256}, {256, 512}, {512, 1024}, {1024, 2048}, {2048, 1}};
		long expectedG = 0, expectedD = 0;
		for (int i = 0; i < 6; i++) {
			expectedG += 16L * g[i][0] * g[i][1] + (i < 5 ? 2L * g[i][1] : 0);
			expectedD += 16L * d[i][0] * d[i][1] + (i > 0 && i < 5 ? 2L * d[i][1] : 0);
		}
		try (Dcgan gan = Dcgan.create(DcganConfig.paper(), Device.cpu())) {
			assertEquals(expectedG, Params.countTrainable(gan.generator()));
			assertEquals(expectedD, Params.countTrainable(gan.discriminator()));
			assertEquals(45.6e6, expectedG, 0.05e6);
			assertEquals(44.6e6, expectedD, 0.05e6);
			assertEquals(List.of(2048, 1024, 512, 256, 128), DcganConfig.paper().generatorWidths());
		}
	}

	@Test
	void generatorMakesTanhImagesAndDiscriminatorLogits() {
		Engines.seed(1);
		try (Dcgan gan = Dcgan.create(TINY, Device.cpu()); NDManager it = gan.manager().newSubManager()) {
			ParameterStore ps = new ParameterStore(it, false);
			NDArray img = gan.generator().forward(ps, new NDList(it.randomNormal(new Shape(3, 8, 1, 1))), true).singletonOrThrow();
			NDArray logit = gan.discriminator().forward(ps, new NDList(img), true).singletonOrThrow();

			assertEquals(new Shape(3, 1, 16, 16), img.getShape());
			assertTrue(img.abs().max().getFloat() <= 1f);
			assertEquals(new Shape(3, 1), logit.getShape());
		}
	}

	@Test
	void initializationFollowsTheDcganRecipe() {
		Engines.seed(2);
		try (Dcgan gan = Dcgan.create(new DcganConfig(32, 32, 64, 64, 1), Device.cpu())) {
			for (var p : gan.generator().getParameters()) {
				NDArray a = p.getValue().getArray();
				float mean = a.mean().getFloat(), std = (float) Math.sqrt(a.sub(mean).square().mean().getFloat());
				switch (p.getValue().getType()) {
					case WEIGHT -> assertEquals(0.02f, std, 0.002f, p.getKey());
					case GAMMA -> assertEquals(1f, mean, 0.01f, p.getKey());
					case BETA, RUNNING_MEAN -> assertEquals(0f, a.abs().max().getFloat(), p.getKey());
					default -> { }
				}
			}
		}
	}

	@Test
	void batchNormUpdatesRunningStatsLikePyTorchMomentumPointOne() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			BatchNorm bn = Dcgan.batchNorm();
			bn.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(4, 1, 1, 1));
			NDArray x = m.create(new float[] {1, 2, 3, 6}, new Shape(4, 1, 1, 1));

			bn.forward(new ParameterStore(m, false), new NDList(x), true);

			float mean = 3, unbiasedVar = (4 + 1 + 0 + 9) / 3f;
			for (var p : bn.getParameters()) {
				Parameter q = p.getValue();
				if (q.getType() == Parameter.Type.RUNNING_MEAN) assertEquals(0.1f * mean, q.getArray().getFloat(0), 1e-6f);
				if (q.getType() == Parameter.Type.RUNNING_VAR) assertEquals(0.9f + 0.1f * unbiasedVar, q.getArray().getFloat(0), 1e-6f);
			}
		}
	}
}
