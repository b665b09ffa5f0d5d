package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Convolutions;
import io.github.ctlatent.engine.NumericsConfig;
import io.github.ctlatent.engine.NumericsPolicy;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import io.github.ctlatent.engine.TransposedConvolutions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvTranspose2dTest {

	/** Transposed convolution straight from its definition: input pixel (i, j) scatters W·x to (s·i − p + ky, s·j − p + kx). */
	static float[] reference(float[] x, int b, int cin, int h, int w, float[] torchW, int cout, int k, int stride, int pad, int oh, int ow) {
		double[] out = new double[b * cout * oh * ow];
		for (int n = 0; n < b; n++)
			for (int c = 0; c < cin; c++)
				for (int i = 0; i < h; i++)
					for (int j = 0; j < w; j++)
						for (int o = 0; o < cout; o++)
							for (int ky = 0; ky < k; ky++)
								for (int kx = 0; kx < k; kx++) {
									int y = stride * i - pad + ky, xx = stride * j - pad + kx;
									if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
									out[((n * cout + o) * oh + y) * ow + xx] += x[((n * cin + c) * h + i) * w + j]
										* (double) torchW[((c * cout + o) * k + ky) * k + kx];
								}
		float[] f = new float[out.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) out[i];
		return f;
	}

	static float[] random(Random r, int n) {
		float[] a = new float[n];
		for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
		return a;
	}

	static double relativeError(float[] actual, float[] expected) {
		double maxDiff = 0, maxRef = 0;
		for (int i = 0; i < expected.length; i++) {
			maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
			maxRef = Math.max(maxRef, Math.abs(expected[i]));
		}
		return maxDiff / maxRef;
	}

	@Test
	void matchesTheDefinitionForSeveralShapes() {
		Engines.pytorch();
		int[][] cases = {{1, 1, 1, 1, 1}, {2, 3, 5, 4, 6}, {3, 16, 7, 5, 3}, {1, 2, 1, 8, 8}};
		Random r = new Random(1);
		try (NDManager m = NDManager.newBaseManager()) {
			for (int[] c : cases) {
				int b = c[0], cin = c[1], cout = c[2], h = c[3], w = c[4];
				float[] x = random(r, b * cin * h * w), tw = random(r, cin * cout * 16);
				ConvTranspose2d block = new ConvTranspose2d(cin, cout);
				block.initialize(m, DataType.FLOAT32, new Shape(b, cin, h, w));
				NDArray torchW = m.create(tw, new Shape(cin, cout, 4, 4));
				Params.assign(block.weight(), TransposedConvolutions.fromTorchLayout(torchW));

				NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(b, cin, h, w))), false).singletonOrThrow();

				assertEquals(new Shape(b, cout, 2 * h, 2 * w), out.getShape());
				float[] expected = reference(x, b, cin, h, w, tw, cout, 4, 2, 1, 2 * h, 2 * w);
				assertTrue(relativeError(out.toFloatArray(), expected) <= 1e-5, "case " + java.util.Arrays.toString(c));
				float[] zeroInsertion = TransposedConvolutions.zeroInsertionReference(m.create(x, new Shape(b, cin, h, w)), torchW).toFloatArray();
				assertTrue(relativeError(zeroInsertion, expected) <= 1e-5, "zero insertion, case " + java.util.Arrays.toString(c));
			}
		}
	}

	@Test
	void torchLayoutConversionRoundTripsExactly() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			float[] tw = random(new Random(2), 3 * 5 * 16);
			NDArray phase = TransposedConvolutions.fromTorchLayout(m.create(tw, new Shape(3, 5, 4, 4)));

			assertEquals(new Shape(20, 3, 2, 2), phase.getShape());
			assertArrayEquals(tw, TransposedConvolutions.toTorchLayout(phase).toFloatArray());
		}
	}

	@Test
	void latentProjectionMatchesTheDefinition() {
		Engines.pytorch();
		int b = 3, d = 6, cout = 5;
		Random r = new Random(3);
		try (NDManager m = NDManager.newBaseManager()) {
			float[] z = random(r, b * d), tw = random(r, d * cout * 16);
			LatentProjection block = new LatentProjection(d, cout);
			block.initialize(m, DataType.FLOAT32, new Shape(b, d, 1, 1));
			Params.assign(block.weight(), LatentProjection.fromTorchLayout(m.create(tw, new Shape(d, cout, 4, 4))));

			NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.create(z, new Shape(b, d, 1, 1))), false).singletonOrThrow();

			assertEquals(new Shape(b, cout, 4, 4), out.getShape());
			assertTrue(relativeError(out.toFloatArray(), reference(z, b, d, 1, 1, tw, cout, 4, 1, 0, 4, 4)) <= 1e-5);
		}
	}

	@Test
	void gradientsReachInputAndWeight() {
		// The layer is linear in x and in W, so for loss = <T(x), r>: <dL/dx, x> = <dL/dW, W> = loss.
		Engines.pytorch();
		Random r = new Random(4);
		try (NDManager m = NDManager.newBaseManager()) {
			ConvTranspose2d block = new ConvTranspose2d(4, 3);
			block.initialize(m, DataType.FLOAT32, new Shape(2, 4, 5, 5));
			Params.assign(block.weight(), m.create(random(r, 12 * 4 * 4), new Shape(12, 4, 2, 2)));
			NDArray x = m.create(random(r, 2 * 4 * 25), new Shape(2, 4, 5, 5));
			x.setRequiresGradient(true);
			NDArray rr = m.create(random(r, 2 * 3 * 100), new Shape(2, 3, 10, 10));
			float loss;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray l = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().mul(rr).sum();
				loss = l.getFloat();
				gc.backward(l);
			}
			NDArray w = block.weight().getArray();
			float viaX = x.getGradient().mul(x).sum().getFloat();
			float viaW = w.getGradient().mul(w).sum().getFloat();

			assertTrue(Math.abs(loss) > 1e-3);
			assertEquals(loss, viaX, 1e-4 * Math.max(1, Math.abs(loss)));
			assertEquals(loss, viaW, 1e-4 * Math.max(1, Math.abs(loss)));
		}
	}

	@Test
	void aFrozenLayerMatchesTheDefinitionWhicheverMethodThePolicyGivesIt() {
		// a frozen 32 -> 16 layer at 4x4: libtorch's kernel on a weight rearranged once where the rule allows it
		Engines.pytorch();
		Random r = new Random(9);
		int b = 2, cin = 32, cout = 16, h = 4;
		try (NDManager m = NDManager.newBaseManager()) {
			ConvTranspose2d block = new ConvTranspose2d(cin, cout);
			block.initialize(m, DataType.FLOAT32, new Shape(b, cin, h, h));
			float[] torchW = random(r, cin * cout * 16), xs = random(r, b * cin * h * h), g = random(r, b * cout * 4 * h * h);
			Params.assign(block.weight(), TransposedConvolutions.fromTorchLayout(m.create(torchW, new Shape(cin, cout, 4, 4))));
			block.freezeParameters(true);
			TransposedMethod method = TransposedConvolutions.methodFor(new Shape(b, cin, h, h), new Shape(4 * cout, cin, 2, 2), true, true);
			assertEquals(NumericsPolicy.transposedMethod(NumericsConfig.active(), cout, true,
				Convolutions.backendFor(new Shape(b, cin, h, h), new Shape(4 * cout, cin, 2, 2), 1, 1), true, true), method);
			for (int pass = 0; pass < 2; pass++) { // the second pass reuses the rearranged weight
				NDArray x = m.create(xs, new Shape(b, cin, h, h));
				x.setRequiresGradient(true);
				NDArray out;
				try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
					out = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
					gc.backward(out.mul(m.create(g, out.getShape())).sum());
				}
				float[] expected = reference(xs, b, cin, h, h, torchW, cout, 4, 2, 1, 2 * h, 2 * h);
				assertTrue(relativeError(out.toFloatArray(), expected) < 1e-5, method + ": forward off by " + relativeError(out.toFloatArray(), expected));
				// the input gradient of a transposed convolution is the convolution of g with the same weight
				NDArray gx = Convolutions.conv2d(m.create(g, out.getShape()), m.create(torchW, new Shape(cin, cout, 4, 4)), null, 2, 1,
					io.github.ctlatent.engine.NumericsPolicy.ConvBackend.GEMM);
				assertTrue(relativeError(x.getGradient().toFloatArray(), gx.toFloatArray()) < 1e-5, method + ": input gradient off");
				assertNull(block.weight().getArray().hasGradient() ? block.weight().getArray().getGradient() : null, "a frozen weight gets no gradient");
			}
		}
	}

	@Test
	void libtorchsKernelAndThePhasesAgreeInValuesAndGradients() {
		Engines.pytorch();
		assertNull(TransposedConvolutions.libtorchUnavailable(), "libtorch 2.7.1 has conv_transpose2d");
		int[][] cases = {{2, 4, 3, 5, 5}, {3, 16, 1, 7, 6}, {2, 32, 8, 4, 4}};
		Random r = new Random(7);
		try (NDManager m = NDManager.newBaseManager()) {
			for (int[] c : cases) {
				int b = c[0], cin = c[1], cout = c[2], h = c[3], w = c[4];
				float[] x = random(r, b * cin * h * w), tw = random(r, cin * cout * 16), g = random(r, b * cout * 4 * h * w);
				float[] expected = reference(x, b, cin, h, w, tw, cout, 4, 2, 1, 2 * h, 2 * w);
				float[][] phases = null;
				for (TransposedMethod method : TransposedMethod.values()) {
					NDArray weight = TransposedConvolutions.fromTorchLayout(m.create(tw, new Shape(cin, cout, 4, 4)));
					weight.setRequiresGradient(true);
					NDArray in = m.create(x, new Shape(b, cin, h, w));
					in.setRequiresGradient(true);
					float[] out;
					try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
						NDArray y = TransposedConvolutions.apply(in, weight, method);
						out = y.toFloatArray();
						gc.backward(y.mul(m.create(g, y.getShape())).sum());
					}
					String what = method + " " + java.util.Arrays.toString(c);
					assertTrue(relativeError(out, expected) <= 1e-5, what);
					assertEquals(new Shape(4L * cout, cin, 2, 2), weight.getGradient().getShape(), what + ": the gradient in the stored layout");
					float[][] grads = {in.getGradient().toFloatArray(), weight.getGradient().toFloatArray()};
					if (phases == null) phases = grads;
					else for (int k = 0; k < 2; k++) assertTrue(relativeError(grads[k], phases[k]) <= 1e-5, what + (k == 0 ? " input" : " weight") + " gradient");
				}
			}
		}
	}

	@Test
	void theActiveConfigurationsMethodIsThePolicysForTheLayer() {
		Engines.pytorch();
		Shape input = new Shape(8, 64, 16, 16), phases = new Shape(4 * 32, 64, 2, 2);
		// when a layer asks for its method, then it gets what the policy says for the active configuration
		assertEquals(NumericsPolicy.transposedMethod(NumericsConfig.active(), 32, true, Convolutions.backendFor(input, phases, 1, 1), true),
			TransposedConvolutions.methodFor(input, phases, true));
		assertTrue(TransposedConvolutions.methodsInUse().contains(TransposedMethod.PHASES));
	}
}
