package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression for issue 24's NaN runs: a constant that a differentiable op saves for the backward pass must stay
 * valid until the backward pass, whatever the garbage collector does in between. DJL's {@code mul(Number)} made the
 * constant from a Java buffer and closed it at once; after a collection the gradients were scaled by freed memory.
 */
class GraphConstantsTest {

	@Test
	void theVaeLossesGradientsDoNotChangeWhenGarbageIsCollectedBeforeBackward() {
		// given mu, logvar, noise and a reconstruction target
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			SplittableRandom r = new SplittableRandom(7);
			NDArray mu = Losses.gaussian(m, r, new Shape(6, 4, 1, 1)), logvar = Losses.gaussian(m, r, new Shape(6, 4, 1, 1)).mul(m.create(0.3f));
			NDArray eps = Losses.gaussian(m, r, new Shape(6, 4, 1, 1)), x = Losses.gaussian(m, r, new Shape(6, 4, 1, 1));
			// the reparameterisation feeding the plain VAE loss and the beta-TCVAE loss (z stands in for the reconstruction)
			Function<NDArray[], NDArray> plain = p -> {
				NDArray z = ResNetVae.reparameterize(new ResNetVae.Encoding(p[0], p[1]), eps);
				return Losses.vae(z.tanh(), x, p[0], p[1], 0.01f).total();
			};
			Function<NDArray[], NDArray> tc = p -> {
				NDArray z = ResNetVae.reparameterize(new ResNetVae.Encoding(p[0], p[1]), eps);
				return Losses.betaTcVae(z.tanh(), x, z, p[0], p[1], 0.001f, 6f).total();
			};
			Function<NDArray[], NDArray> bce = p -> Losses.bceWithLogits(p[0].mul(p[1]), x.abs().tanh());
			for (Function<NDArray[], NDArray> loss : java.util.List.of(plain, tc, bce)) {
				// when the gradients are computed with and without a garbage collection between forward and backward
				float[][] quiet = gradients(loss, mu, logvar, () -> {});
				float[][] collected = gradients(loss, mu, logvar, GraphConstantsTest::collectGarbage);
				// then they are the same numbers (and finite)
				for (int i = 0; i < quiet.length; i++) {
					assertArrayEquals(quiet[i], collected[i], "gradient " + i + " changed after a garbage collection");
					for (float g : quiet[i]) assertTrue(Float.isFinite(g));
				}
			}
		}
	}

	/** The gradients of {@code loss} with respect to both inputs, {@code between} run after the forward pass. */
	private static float[][] gradients(Function<NDArray[], NDArray> loss, NDArray a0, NDArray b0, Runnable between) {
		NDArray a = a0.duplicate(), b = b0.duplicate();
		a.setRequiresGradient(true);
		b.setRequiresGradient(true);
		try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
			NDArray l = loss.apply(new NDArray[] {a, b});
			between.run();
			gc.backward(l);
		}
		return new float[][] {a.getGradient().toFloatArray(), b.getGradient().toFloatArray()};
	}

	/** Full collections until the collector has had time to run the cleaners of unreachable direct buffers. */
	static void collectGarbage() {
		for (int i = 0; i < 5; i++) {
			System.gc();
			try {
				Thread.sleep(40);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}
}
