package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

import java.util.List;

/**
 * The seed paper's DCGAN (docs/method.md §2): generator z (B, d, 1, 1) → tanh image (B, c, S, S) and discriminator
 * image → raw logit (B, 1). No convolution biases; BatchNorm as PyTorch's default (update 0.1, eps 1e-5);
 * weights N(0, 0.02), BN gamma N(1, 0.02), beta 0. Owns the manager holding all parameters.
 */
public final class Dcgan implements AutoCloseable {

	/**
	 * DJL's BatchNorm momentum is the weight of the OLD running value (the PyTorch engine passes 1 − momentum to
	 * torch), so PyTorch's momentum 0.1 is 0.9 here.
	 */
	public static final float BN_MOMENTUM = 0.9f;
	public static final float BN_EPSILON = 1e-5f;
	public static final float LEAKY_SLOPE = 0.2f;

	private final DcganConfig config;
	private final NDManager manager;
	private final SequentialBlock generator;
	private final SequentialBlock discriminator;

	private Dcgan(DcganConfig config, NDManager manager, SequentialBlock generator, SequentialBlock discriminator) {
		this.config = config;
		this.manager = manager;
		this.generator = generator;
		this.discriminator = discriminator;
	}

	/** A freshly initialized DCGAN on {@code device} (seed with {@code Engines.seed} first for reproducibility). */
	public static Dcgan create(DcganConfig config, Device device) {
		return OwnedManager.build(device, manager -> {
			SequentialBlock g = generatorBlock(config);
			SequentialBlock d = discriminatorBlock(config);
			initialize(g, manager, latentShape(config));
			initialize(d, manager, imageShape(config));
			return new Dcgan(config, manager, g, d);
		});
	}

	/** Sets the DCGAN initializers and allocates the parameters of a generator or discriminator block. */
	static void initialize(Block block, NDManager manager, Shape inputShape) {
		block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
		block.setInitializer(Initializers.normal(1f, 0.02f), Parameter.Type.GAMMA);
		block.setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
		block.initialize(manager, DataType.FLOAT32, inputShape);
	}

	static Shape latentShape(DcganConfig c) {
		return new Shape(1, c.latentDim(), 1, 1);
	}

	static Shape imageShape(DcganConfig c) {
		return new Shape(1, c.channels(), c.imageSize(), c.imageSize());
	}

	/** Uninitialized generator: LatentProjection → [ConvTranspose2d, BN, ReLU]… → ConvTranspose2d → tanh. */
	public static SequentialBlock generatorBlock(DcganConfig c) {
		List<Integer> w = c.generatorWidths();
		SequentialBlock g = new SequentialBlock();
		g.add(new LatentProjection(c.latentDim(), w.get(0))).add(batchNorm()).add(Activation.reluBlock());
		for (int i = 1; i < w.size(); i++)
			g.add(new ConvTranspose2d(w.get(i - 1), w.get(i))).add(batchNorm()).add(Activation.reluBlock());
		g.add(new ConvTranspose2d(w.get(w.size() - 1), c.channels())).add(Activation.tanhBlock());
		return g;
	}

	/** Uninitialized discriminator: Conv, LReLU → [Conv, BN, LReLU]… → Conv k4 s1 p0 → logit (B, 1). */
	public static SequentialBlock discriminatorBlock(DcganConfig c) {
		List<Integer> w = c.discriminatorWidths();
		SequentialBlock d = new SequentialBlock();
		d.add(down(w.get(0))).add(Activation.leakyReluBlock(LEAKY_SLOPE));
		for (int i = 1; i < w.size(); i++) d.add(down(w.get(i))).add(batchNorm()).add(Activation.leakyReluBlock(LEAKY_SLOPE));
		d.add(Conv2d.of(1, 4, 1, 0, false));
		d.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, 1)), "logit"));
		return d;
	}

	private static Conv2d down(int filters) {
		return Conv2d.of(filters, 4, 2, 1, false);
	}

	static BatchNorm batchNorm() {
		return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
	}

	public DcganConfig config() {
		return config;
	}

	public SequentialBlock generator() {
		return generator;
	}

	public SequentialBlock discriminator() {
		return discriminator;
	}

	/** The manager owning every parameter; per-iteration work goes into its sub-managers. */
	public NDManager manager() {
		return manager;
	}

	public Device device() {
		return manager.getDevice();
	}

	@Override
	public void close() {
		manager.close();
	}
}
