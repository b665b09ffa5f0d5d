package io.github.ctlatent.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.util.Random;

/** A real DJL generator small enough for unit tests: G(z) = tanh(z·W) as a size² image, W fixed by a seed. */
public final class ToyGenerator implements Generator {

	private final NDManager manager;
	private final NDArray w;
	private final int d, size;

	public ToyGenerator(int d, int size, long seed) {
		Engines.pytorch();
		this.d = d;
		this.size = size;
		this.manager = NDManager.newBaseManager();
		Random r = new Random(seed);
		float[] v = new float[d * size * size];
		for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 0.3);
		this.w = manager.create(v, new Shape(d, size * size));
	}

	@Override public int latentDim() { return d; }
	@Override public int imageSize() { return size; }
	@Override public Device device() { return Device.cpu(); }
	@Override public NDManager manager() { return manager; }
	@Override public String fingerprint() { return "toy-" + d + "-" + size; }
	@Override public void close() { manager.close(); }

	@Override
	public NDArray generate(NDArray z) {
		long b = z.getShape().get(0);
		return z.reshape(b, d).matMul(w).tanh().reshape(b, 1, size, size);
	}
}
