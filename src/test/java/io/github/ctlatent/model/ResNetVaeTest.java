package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResNetVaeTest {

	static final VaeConfig TINY = new VaeConfig(4, 16, 4, 1);

	/** METHOD.md §3: conv1 cin→cout/2, conv2 cout/2→cout, skip cin→cout, all 3×3 with bias; BN(cout/2), BN(cout). */
	static long residual(long cin, long cout) {
		return (9 * cin * cout / 2 + cout / 2) + 2 * (cout / 2) + (9 * cout / 2 * cout + cout) + 2 * cout + (9 * cin * cout + cout);
	}

	@Test
	void paperPresetHasTheParameterCountsOfMethod() {
		long enc = residual(1, 64) + residual(64, 128) + residual(128, 256) + residual(256, 512) + residual(512, 512)
			+ 2 * (512 * 32 * 16 + 32);
		long dec = residual(32, 1024) + residual(1024, 512) + residual(512, 512) + residual(512, 256) + residual(256, 128)
			+ residual(128, 64) + residual(64, 32) + (32 * 9 + 1);
		try (ResNetVae vae = ResNetVae.create(VaeConfig.paper(), Device.cpu())) {
			assertEquals(enc, Params.countTrainable(vae.encoder()));
			assertEquals(dec, Params.countTrainable(vae.decoder()));
			assertEquals(9.1e6, enc, 0.05e6);
			assertEquals(20.9e6, dec, 0.05e6);
			assertEquals(List.of(1024, 512, 512, 256, 128, 64, 32), VaeConfig.paper().decoderWidths());
			assertEquals(List.of(64, 128, 256, 512, 512), VaeConfig.paper().encoderWidths());
		}
	}

	@Test
	void encodesToLatentsAndDecodesToTanhImages() {
		Engines.seed(1);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu()); NDManager it = vae.manager().newSubManager()) {
			ParameterStore ps = new ParameterStore(it, false);
			NDArray x = it.randomUniform(-1f, 1f, new Shape(3, 1, 16, 16));

			ResNetVae.Output train = vae.forward(ps, x, true);
			ResNetVae.Encoding e = vae.encode(ps, x, false);
			NDArray evalRecon = vae.decode(ps, ResNetVae.latent(e, false), false);

			assertEquals(new Shape(3, 4, 1, 1), train.mu().getShape());
			assertEquals(new Shape(3, 4, 1, 1), train.logvar().getShape());
			assertEquals(new Shape(3, 1, 16, 16), train.reconstruction().getShape());
			assertTrue(train.reconstruction().abs().max().getFloat() <= 1f);
			assertArrayEquals(e.mu().toFloatArray(), ResNetVae.latent(e, false).toFloatArray());
			assertNotEquals(0f, ResNetVae.latent(e, true).sub(e.mu()).abs().sum().getFloat());
			assertArrayEquals(evalRecon.toFloatArray(), vae.forward(ps, x, false).reconstruction().toFloatArray());
		}
	}

	@Test
	void convolutionsUsePyTorchDefaultInitialization() {
		Engines.seed(2);
		try (ResNetVae vae = ResNetVae.create(TINY, Device.cpu())) {
			for (var p : vae.decoder().getParameters()) {
				Parameter q = p.getValue();
				NDArray a = q.getArray();
				if (q.getType() == Parameter.Type.WEIGHT && a.getShape().dimension() == 4) {
					Shape s = a.getShape();
					double bound = 1 / Math.sqrt(s.get(1) * s.get(2) * s.get(3));
					assertTrue(a.abs().max().getFloat() <= bound, p.getKey());
					assertTrue(a.abs().max().getFloat() > 0.5 * bound, p.getKey());
				}
				if (q.getType() == Parameter.Type.GAMMA) assertEquals(1f, a.min().getFloat(), p.getKey());
			}
		}
	}

	@Test
	void upsamplingIsNearestNeighbour() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));

			float[] up = ResidualBlock.upsampleNearest(x).toFloatArray();

			assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6}, up);
		}
	}
}
