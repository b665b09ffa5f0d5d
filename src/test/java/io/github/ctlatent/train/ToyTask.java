package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real but tiny DJL training task for the loop's tests: G(z) = tanh(W z + b) reshaped to an image, trained by
 * Adam to minimise the MSE to real slices. Optionally reports NaN from a given iteration on.
 */
final class ToyTask implements TrainingTask {

	final NDManager manager = NDManager.newBaseManager();
	final NDArray w, b;
	final Adam adam;
	final int d = 4, size;
	final long nanFrom, hugeFrom;
	long steps;
	/** Held-out errors the evaluations report in turn (the last one repeats); null: no held-out figures, as a GAN. */
	double[] heldOut;
	private int evaluations;

	ToyTask(int size, long nanFrom) {
		this(size, nanFrom, Long.MAX_VALUE);
	}

	/** Reports a finite but exploding loss (1e10) from step {@code hugeFrom} on, NaN from {@code nanFrom} on. */
	ToyTask(int size, long nanFrom, long hugeFrom) {
		this.size = size;
		this.nanFrom = nanFrom;
		this.hugeFrom = hugeFrom;
		Engines.seed(1);
		w = manager.randomNormal(0, 0.1f, new Shape(d, size * size), ai.djl.ndarray.types.DataType.FLOAT32);
		b = manager.zeros(new Shape(size * size));
		adam = new Adam(manager, 0.01f, 0.5f, 0.999f);
	}

	@Override
	public String kind() {
		return "toy";
	}

	@Override
	public Map<String, Double> step(NDManager it, NDArray real, SplittableRandom rng) {
		int batch = (int) real.getShape().get(0);
		float[] z = new float[batch * d];
		for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextGaussian();
		w.setRequiresGradient(true);
		b.setRequiresGradient(true);
		double loss;
		try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
			NDArray out = it.create(z, new Shape(batch, d)).matMul(w).add(b).tanh();
			NDArray l = out.sub(real.reshape(batch, size * size)).square().mean();
			gc.backward(l);
			loss = l.getFloat();
		}
		try (NDArray gw = w.getGradient(); NDArray gb = b.getGradient()) {
			adam.update("w", w, gw);
			adam.update("b", b, gb);
		}
		steps++;
		return Map.of("mse", steps >= nanFrom ? Double.NaN : steps >= hugeFrom ? 1e10 : loss);
	}

	@Override
	public double baseLearningRate() {
		return adam.baseLearningRate();
	}

	@Override
	public void scaleLearningRate(double factor) {
		adam.scaleLearningRate(factor);
	}

	@Override public int latentDim() { return d; }
	@Override public int imageSize() { return size; }
	@Override public Device device() { return Device.cpu(); }

	@Override
	public Generator snapshot() {
		return new Generator() {
			public int latentDim() { return d; }
			public int imageSize() { return size; }
			public NDArray generate(NDArray z) {
				return z.reshape(z.getShape().get(0), d).matMul(w).add(b).tanh().reshape(z.getShape().get(0), 1, size, size);
			}
			public Device device() { return Device.cpu(); }
			public NDManager manager() { return manager; }
			public String fingerprint() { return "toy"; }
			public void close() {}
		};
	}

	@Override
	public void saveState(Path folder) throws IOException {
		try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve("toy.bin")))) {
			for (float v : w.toFloatArray()) out.writeFloat(v);
			for (float v : b.toFloatArray()) out.writeFloat(v);
			out.writeLong(steps);
			adam.save(out, id -> id);
		}
	}

	@Override
	public void loadState(Path folder) throws IOException {
		try (DataInputStream in = new DataInputStream(Files.newInputStream(folder.resolve("toy.bin")))) {
			float[] wv = new float[d * size * size], bv = new float[size * size];
			for (int i = 0; i < wv.length; i++) wv[i] = in.readFloat();
			for (int i = 0; i < bv.length; i++) bv[i] = in.readFloat();
			w.set(wv);
			b.set(bv);
			steps = in.readLong();
			adam.load(in, name -> name);
		}
	}

	@Override
	public Map<String, Double> evaluate(NDManager manager, NDArray real) {
		if (heldOut == null) return Map.of();
		return Map.of("heldout_mse", heldOut[Math.min(evaluations++, heldOut.length - 1)]);
	}

	/** The weights file holds the step count, so a test can tell which iteration's weights a folder keeps. */
	@Override
	public void saveWeights(Path runFolder) throws IOException {
		Files.writeString(runFolder.resolve("toy.weights"), Long.toString(steps));
	}

	@Override
	public Map<String, Object> settings() {
		return Map.of("latent_dim", d, "image_size", size);
	}

	@Override
	public void close() {
		manager.close();
	}
}
