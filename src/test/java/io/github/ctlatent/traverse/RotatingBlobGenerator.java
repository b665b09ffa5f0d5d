package io.github.ctlatent.traverse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

/**
 * A generator whose axes of change turn with the code: a round Gaussian blob at x = centre + A·θ, y = centre +
 * B·(ρ − 2) pixels, (ρ, θ) the polar coordinates of the 2D latent. Along the circle ρ = const the blob only moves
 * sideways (a pure scroll); a straight line starting tangentially leaves the circle and also moves the blob down.
 * The blob is round, so J(z)ᵀJ(z) has the tangent and the radius as eigenvectors, with values ∝ (A/ρ)² and B²:
 * the tangent is the top singular vector while ρ &lt; A/B.
 */
final class RotatingBlobGenerator implements Generator {

	static final int SIZE = 40;
	static final float A = 12, B = 2, SIGMA = 2;
	static final double CENTRE = (SIZE - 1) / 2.0;

	private final NDManager manager = Engines.pytorch().newBaseManager();

	@Override public int latentDim() { return 2; }

	@Override public int imageSize() { return SIZE; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		NDManager m = z.getManager();
		NDArray flat = z.reshape(b, 2);
		NDArray z0 = flat.get(":, 0"), z1 = flat.get(":, 1");
		NDArray theta = atan2(z1, z0);
		NDArray rho = z0.square().add(z1.square()).sqrt();
		NDArray x0 = theta.mul(A).add((float) CENTRE).reshape(b, 1, 1, 1);
		NDArray y0 = rho.sub(2f).mul(B).add((float) CENTRE).reshape(b, 1, 1, 1);
		NDArray x = m.arange(0f, SIZE, 1f).reshape(1, 1, 1, SIZE), y = m.arange(0f, SIZE, 1f).reshape(1, 1, SIZE, 1);
		NDArray r2 = x.sub(x0).square().add(y.sub(y0).square());
		return r2.div(-2f * SIGMA * SIGMA).exp().mul(2f).sub(1f);
	}

	/** atan2 for z0 &gt; 0 (the walks here stay in the right half-plane): DJL has no atan2. */
	private static NDArray atan2(NDArray y, NDArray x) {
		return y.div(x).atan();
	}

	/** The blob's centroid (x, y) in pixels. */
	static double[] centroid(float[] image) {
		double sw = 0, sx = 0, sy = 0;
		for (int i = 0; i < image.length; i++) {
			double w = (image[i] + 1) / 2;
			sw += w;
			sx += w * (i % SIZE);
			sy += w * (i / SIZE);
		}
		return new double[] {sx / sw, sy / sw};
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "rotating-blob-" + SIZE; }

	@Override public void close() { manager.close(); }
}
