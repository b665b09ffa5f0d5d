package io.github.ctlatent.discover;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

/**
 * A test generator image = reshape(W·h(z)) with an explicit map W (S² × d) and an element-wise h: the identity
 * (a linear generator with any chosen singular values), the cube (independent non-Gaussian causes mixed into the
 * pixels), or one that turns every image into NaN (a broken model).
 */
final class MapGenerator implements Generator {

	enum Shaping { LINEAR, CUBE, NAN }

	private final int latentDim, size;
	private final Shaping shaping;
	private final NDManager manager = NDManager.newBaseManager();
	private final NDArray wt; // (d, S²)

	MapGenerator(double[][] w, int size, Shaping shaping) {
		Engines.pytorch();
		this.latentDim = w[0].length;
		this.size = size;
		this.shaping = shaping;
		float[] flat = new float[latentDim * size * size];
		for (int r = 0; r < size * size; r++) for (int i = 0; i < latentDim; i++) flat[i * size * size + r] = (float) w[r][i];
		wt = manager.create(flat, new Shape(latentDim, (long) size * size));
	}

	@Override public int latentDim() { return latentDim; }

	@Override public int imageSize() { return size; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		NDArray h = z.reshape(b, latentDim);
		if (shaping == Shaping.CUBE) h = h.pow(3);
		if (shaping == Shaping.NAN) h = h.mul(Float.NaN);
		return h.matMul(wt).reshape(b, 1, size, size);
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "map-" + shaping + "-" + latentDim + "x" + size; }

	@Override public void close() { manager.close(); }
}
