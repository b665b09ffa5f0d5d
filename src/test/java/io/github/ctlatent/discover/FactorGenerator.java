package io.github.ctlatent.discover;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.util.SplittableRandom;

/**
 * A known-answer generator for contrastive discovery: 32² images of four Gaussian blobs, one per quadrant, each
 * driven by one factor u_q = (R·z)_q through tanh — top left moves horizontally, top right vertically, bottom left
 * grows, bottom right brightens. R is a random rotation of the latent (seeded, hidden from the method); a latent of
 * more than 4 dimensions has further coordinates that change nothing. The factor directions in z are the first four
 * rows of R ({@link #factorDirection}).
 */
final class FactorGenerator implements Generator {

	static final int SIZE = 32, FACTORS = 4;

	private final int latentDim;
	private final double[][] rotation;
	private final NDManager manager = NDManager.newBaseManager();
	private final NDArray rotationT, x, y;

	FactorGenerator(int latentDim, long seed) {
		Engines.pytorch();
		this.latentDim = latentDim;
		rotation = Orthogonal.random(latentDim, latentDim, new SplittableRandom(seed));
		float[] rt = new float[latentDim * latentDim];
		for (int i = 0; i < latentDim; i++) for (int j = 0; j < latentDim; j++) rt[j * latentDim + i] = (float) rotation[i][j];
		rotationT = manager.create(rt, new Shape(latentDim, latentDim));
		float[] gx = new float[SIZE * SIZE], gy = new float[SIZE * SIZE];
		for (int i = 0; i < gx.length; i++) {
			gx[i] = i % SIZE;
			gy[i] = i / SIZE; // x fastest, as every image plane here
		}
		x = manager.create(gx, new Shape(1, SIZE * SIZE));
		y = manager.create(gy, new Shape(1, SIZE * SIZE));
	}

	/** Unit latent direction that moves factor q alone. */
	double[] factorDirection(int q) {
		return rotation[q].clone();
	}

	@Override public int latentDim() { return latentDim; }

	@Override public int imageSize() { return SIZE; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		NDArray u = z.reshape(b, latentDim).matMul(rotationT).tanh();
		NDArray f0 = u.get(new NDIndex(":, 0:1")), f1 = u.get(new NDIndex(":, 1:2")), f2 = u.get(new NDIndex(":, 2:3")), f3 = u.get(new NDIndex(":, 3:4"));
		NDArray one = f0.onesLike();
		NDArray image = blob(f0.mul(4).add(8), one.mul(8), one.mul(2), one)
			.add(blob(one.mul(24), f1.mul(4).add(8), one.mul(2), one))
			.add(blob(one.mul(8), one.mul(24), f2.mul(1.2f).add(2.2f), one))
			.add(blob(one.mul(24), one.mul(24), one.mul(2), f3.mul(0.5f).add(0.5f)));
		return image.mul(2).sub(1).reshape(b, 1, SIZE, SIZE);
	}

	/**
	 * amplitude·exp(−((x − cx)² + (y − cy)²) / (2σ²)), each parameter (B, 1). Every operation starts from a batch
	 * array, so its result lives in the caller's manager, not in the generator's (which would keep it to the end).
	 */
	private NDArray blob(NDArray cx, NDArray cy, NDArray sigma, NDArray amplitude) {
		NDArray r2 = cx.sub(x).square().add(cy.sub(y).square());
		return r2.div(sigma.square().mul(-2)).exp().mul(amplitude);
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "factor-blobs-" + latentDim; }

	@Override public void close() { manager.close(); }
}
