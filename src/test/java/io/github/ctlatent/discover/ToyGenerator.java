package io.github.ctlatent.discover;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.github.ctlatent.model.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A small random (untrained) convolutional generator for the discovery tests: Linear(d → C·4·4) → reshape → BN →
 * ReLU, then per doubling nearest ×2 upsampling → Conv3×3(C→C) → BN → ReLU, and Conv3×3(C→1) → tanh. Its
 * images change smoothly and distinctly along different latent directions, which is all discovery needs to
 * have something to find. Frozen, eval mode, graph kept — as {@link Generator} requires.
 */
final class ToyGenerator implements Generator {

	private final int latentDim, size, channels;
	private final NDManager manager;
	private final SequentialBlock block;
	private final ParameterStore store;
	private final String fingerprint;

	ToyGenerator(int latentDim, int size, int channels, long seed) {
		if (size < 4 || Integer.bitCount(size) != 1) throw new IllegalArgumentException("size must be a power of two ≥ 4");
		Engines.pytorch();
		this.latentDim = latentDim;
		this.size = size;
		this.channels = channels;
		this.manager = NDManager.newBaseManager();
		block = new SequentialBlock();
		block.add(LambdaBlock.singleton(z -> z.reshape(z.getShape().get(0), latentDim)));
		block.add(Linear.builder().setUnits(channels * 16L).build());
		block.add(LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), channels, 4, 4)));
		block.add(BatchNorm.builder().build()).add(Activation.reluBlock());
		for (int s = 4; s < size; s *= 2) {
			block.add(LambdaBlock.singleton(ToyGenerator::upsample2));
			block.add(conv(channels)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
		}
		block.add(conv(1)).add(Activation.tanhBlock());
		block.initialize(manager, DataType.FLOAT32, new Shape(1, latentDim, 1, 1));
		SplittableRandom rnd = new SplittableRandom(seed);
		for (Pair<String, Parameter> p : block.getParameters()) {
			NDArray a = p.getValue().getArray();
			float[] v = new float[Math.toIntExact(a.size())];
			switch (p.getValue().getType()) {
				case WEIGHT -> { // He-normal keeps the signal alive through the random layers
					double std = Math.sqrt(2.0 / (a.size() / a.getShape().get(0)));
					for (int i = 0; i < v.length; i++) v[i] = (float) (std * rnd.nextGaussian());
				}
				case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(v, 1f);
				case BIAS -> { for (int i = 0; i < v.length; i++) v[i] = (float) (0.1 * rnd.nextGaussian()); }
				default -> { }
			}
			io.github.ctlatent.model.Params.overwrite(a, v); // not a.set(v): see Params.overwrite
		}
		block.freezeParameters(true);
		store = new ParameterStore(manager, false);
		fingerprint = hash();
	}

	/** The project's convolution, so that the process's numerics rules reach it as they reach the real models'. */
	private static Conv2d conv(int filters) {
		return Conv2d.of(filters, 3, 1, 1, true);
	}

	/** Nearest-neighbour ×2 upsampling by broadcasting (differentiable). */
	static NDArray upsample2(NDArray x) {
		Shape s = x.getShape();
		long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, 2 * h, 2 * w);
	}

	private String hash() {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update(("toy d=" + latentDim + " size=" + size).getBytes());
			for (Pair<String, Parameter> p : block.getParameters()) {
				float[] v = p.getValue().getArray().toFloatArray();
				ByteBuffer bb = ByteBuffer.allocate(4 * v.length);
				bb.asFloatBuffer().put(v);
				md.update(bb);
			}
			return "toy-" + HexFormat.of().formatHex(md.digest(), 0, 8);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Multiply-adds of one forward pass per image (linear layer and convolutions). */
	double macsPerImage() {
		double macs = (double) latentDim * channels * 16;
		for (int s = 8; s <= size; s *= 2) macs += (double) s * s * channels * channels * 9;
		return macs + (double) size * size * channels * 9;
	}

	SequentialBlock block() {
		return block;
	}

	@Override public int latentDim() { return latentDim; }

	@Override public int imageSize() { return size; }

	@Override
	public NDArray generate(NDArray z) {
		return block.forward(store, new NDList(z), false).singletonOrThrow();
	}

	@Override public Device device() { return manager.getDevice(); }

	@Override public NDManager manager() { return manager; }

	@Override public String fingerprint() { return fingerprint; }

	@Override
	public float[][] firstLayerLinearMap() {
		NDArray w = block.getChildren().get(1).getValue().getParameters().get("weight").getArray(); // (C·16, d)
		float[] flat = w.toFloatArray();
		int rows = Math.toIntExact(w.getShape().get(0));
		float[][] m = new float[rows][latentDim];
		for (int r = 0; r < rows; r++) System.arraycopy(flat, r * latentDim, m[r], 0, latentDim);
		return m;
	}

	@Override
	public void close() {
		manager.close();
	}
}
