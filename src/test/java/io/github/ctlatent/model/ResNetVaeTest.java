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

	/** docs/method.md §3: conv1 cin→cout/2, conv2 cout/2→cout, skip cin→cout, 3×3 + bias; BN(cout/2), BN(cout). */
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

			ResNetVae.Output train = vae.forward(ps, x, true, new java.util.SplittableRandom(1));
			ResNetVae.Encoding e = vae.encode(ps, x, false);
			NDArray evalRecon = vae.decode(ps, ResNetVae.latent(e, false, null), false);

			assertEquals(new Shape(3, 4, 1, 1), train.mu().getShape());
			assertEquals(new Shape(3, 4, 1, 1), train.logvar().getShape());
			assertEquals(new Shape(3, 1, 16, 16), train.reconstruction().getShape());
			assertTrue(train.reconstruction().abs().max().getFloat() <= 1f);
			assertArrayEquals(e.mu().toFloatArray(), ResNetVae.latent(e, false, null).toFloatArray());
			assertNotEquals(0f, ResNetVae.latent(e, true, new java.util.SplittableRandom(2)).sub(e.mu()).abs().sum().getFloat());
			assertArrayEquals(ResNetVae.latent(e, true, new java.util.SplittableRandom(2)).toFloatArray(),
				ResNetVae.latent(e, true, new java.util.SplittableRandom(2)).toFloatArray(), "the same stream, the same sample");
			assertArrayEquals(evalRecon.toFloatArray(), vae.forward(ps, x, false, null).reconstruction().toFloatArray());
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

	/** SeFa's W for the VAE: conv1's centre tap and the skip conv on the upsampled 1×1 latent, checked against libtorch's conv2d. */
	@Test
	void theFirstUpBlocksLinearMapReproducesItsConvolutionsOnALatent() {
		Engines.seed(3);
		try (VaeDecoderGenerator g = VaeDecoderGenerator.random(TINY, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
			float[][] map = g.firstLayerLinearMap();
			ResidualBlock first = (ResidualBlock) g.block().getChildren().get(0).getValue();
			var p = first.getParameters();
			int d = TINY.latentDim(), out = TINY.decoderWidths().get(0);
			assertEquals(out / 2 + 4 * out, map.length);
			float[] zv = {0.3f, -1.2f, 0.7f, 2.0f};
			NDArray z = m.create(zv, new Shape(1, d, 1, 1));
			Shape k = new Shape(1, 1), pad1 = new Shape(1, 1);
			NDArray c1 = ai.djl.nn.convolutional.Conv2d.conv2d(z, weight(p, "conv1"), null, k, pad1, k).singletonOrThrow();
			NDArray sk = ai.djl.nn.convolutional.Conv2d.conv2d(ResidualBlock.upsampleNearest(z), weight(p, "skip"), null, k, pad1, k).singletonOrThrow();
			float[] expected = new float[map.length];
			System.arraycopy(c1.toFloatArray(), 0, expected, 0, out / 2);
			float[] s = sk.toFloatArray(); // (1, out, 2, 2)
			for (int oy = 0; oy < 2; oy++) for (int ox = 0; ox < 2; ox++) for (int o = 0; o < out; o++)
				expected[out / 2 + (oy * 2 + ox) * out + o] = s[(o * 2 + oy) * 2 + ox];
			for (int r = 0; r < map.length; r++) {
				double v = 0;
				for (int i = 0; i < d; i++) v += map[r][i] * zv[i];
				assertEquals(expected[r], v, 1e-4, "row " + r);
			}
		}
	}

	private static NDArray weight(ai.djl.nn.ParameterList p, String conv) {
		for (var e : p) if (e.getKey().endsWith(conv + "_weight")) return e.getValue().getArray();
		throw new AssertionError("no " + conv + " weight in " + p.keys());
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
