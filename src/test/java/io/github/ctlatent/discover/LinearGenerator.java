package io.github.ctlatent.discover;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.util.SplittableRandom;

/**
 * A purely linear test generator, image = reshape(W·z), whose map W (S²×d) has one planted dominant singular
 * direction: W = σ·v·uᵀ + small noise with unit u ∈ ℝᵈ. Closed-form methods must recover ±u.
 */
class LinearGenerator implements Generator {

	final float[][] w;
	final double[] planted;
	private final int latentDim, size;
	private final NDManager manager = NDManager.newBaseManager();
	private final NDArray wt; // (d, S²)

	LinearGenerator(int latentDim, int size, double sigma, long seed) {
		Engines.pytorch();
		this.latentDim = latentDim;
		this.size = size;
		SplittableRandom rnd = new SplittableRandom(seed);
		planted = unit(gaussian(latentDim, rnd));
		double[] v = unit(gaussian(size * size, rnd));
		w = new float[size * size][latentDim];
		float[] flatT = new float[latentDim * size * size];
		for (int r = 0; r < size * size; r++)
			for (int i = 0; i < latentDim; i++) {
				w[r][i] = (float) (sigma * v[r] * planted[i] + 0.05 * rnd.nextGaussian());
				flatT[i * size * size + r] = w[r][i];
			}
		wt = manager.create(flatT, new Shape(latentDim, (long) size * size));
	}

	private static double[] gaussian(int n, SplittableRandom rnd) {
		double[] x = new double[n];
		for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
		return x;
	}

	static double[] unit(double[] x) {
		double n = 0;
		for (double v : x) n += v * v;
		n = Math.sqrt(n);
		double[] u = new double[x.length];
		for (int i = 0; i < x.length; i++) u[i] = x[i] / n;
		return u;
	}

	@Override public int latentDim() { return latentDim; }

	@Override public int imageSize() { return size; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		return z.reshape(b, latentDim).matMul(wt).reshape(b, 1, size, size);
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "linear-" + latentDim + "x" + size; }

	@Override public float[][] firstLayerLinearMap() { return w; }

	@Override public void close() { manager.close(); }
}
