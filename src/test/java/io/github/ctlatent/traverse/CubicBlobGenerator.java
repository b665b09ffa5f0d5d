package io.github.ctlatent.traverse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

/**
 * A generator with a known image path: a vertical Gaussian stripe whose x position is centre + 1.5·z₀³ (pixels);
 * z₁ changes nothing. Walking z₀ with equal shift steps moves the stripe slowly near 0 and fast at the ends;
 * at equal image change it moves by the same number of pixels per frame.
 */
final class CubicBlobGenerator implements Generator {

	static final int SIZE = 32;
	static final double SIGMA = 1.5;

	private final NDManager manager;

	CubicBlobGenerator() {
		manager = Engines.pytorch().newBaseManager();
	}

	/** Where the stripe is for latent coordinate z₀. */
	static double position(double z0) {
		return (SIZE - 1) / 2.0 + 1.5 * z0 * z0 * z0;
	}

	@Override public int latentDim() { return 2; }

	@Override public int imageSize() { return SIZE; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		NDManager m = z.getManager();
		NDArray a = z.reshape(b, 2).get(":, 0");
		NDArray pos = a.pow(3).mul(1.5f).add((SIZE - 1) / 2f).reshape(b, 1, 1, 1);
		NDArray x = m.arange(0f, SIZE, 1f).reshape(1, 1, 1, SIZE);
		NDArray stripe = x.sub(pos).square().div((float) (-2 * SIGMA * SIGMA)).exp();
		return stripe.mul(m.ones(new Shape(1, 1, SIZE, 1))).mul(2f).sub(1f);
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "cubic-stripe-" + SIZE; }

	@Override public void close() { manager.close(); }
}
