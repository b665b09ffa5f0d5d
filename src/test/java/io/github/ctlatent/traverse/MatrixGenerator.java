package io.github.ctlatent.traverse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

/** image = W·z for a small (pixels × d) matrix W: a generator whose Jacobian is the same everywhere. */
final class MatrixGenerator implements Generator {

	private final NDManager manager = Engines.pytorch().newBaseManager();
	private final NDArray wt;
	private final int d, size;

	/** {@code w} has size² rows... or fewer: missing pixels stay 0 (the image is the smallest square that holds them). */
	MatrixGenerator(float[][] w) {
		d = w[0].length;
		size = (int) Math.ceil(Math.sqrt(w.length));
		float[] t = new float[d * size * size];
		for (int r = 0; r < w.length; r++) for (int i = 0; i < d; i++) t[i * size * size + r] = w[r][i];
		wt = manager.create(t, new Shape(d, (long) size * size));
	}

	@Override public int latentDim() { return d; }

	@Override public int imageSize() { return size; }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		return z.reshape(b, d).matMul(wt).reshape(b, 1, size, size);
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return "matrix-" + d + "x" + size; }

	@Override public void close() { manager.close(); }
}
