package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.Scalars;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed paper's ResNet VAE (docs/method.md §3). The encoder maps images (B, c, S, S) to (mu, logvar), each
 * (B, d, 1, 1); the decoder maps latents (B, d, 1, 1) to tanh images. Both are usable on their own (the
 * decoder is the generator for direction discovery). PyTorch default initialization; BN as PyTorch's default.
 * Owns the manager holding all parameters.
 */
public final class ResNetVae implements AutoCloseable {

	/** Encoder output: mean and log-variance of q(z|x), each (B, d, 1, 1). */
	public record Encoding(NDArray mu, NDArray logvar) {}

	/** A full pass: reconstruction and the encoding it came from. */
	public record Output(NDArray reconstruction, NDArray mu, NDArray logvar) {}

	private final VaeConfig config;
	private final NDManager manager;
	private final Encoder encoder;
	private final SequentialBlock decoder;

	private ResNetVae(VaeConfig config, NDManager manager, Encoder encoder, SequentialBlock decoder) {
		this.config = config;
		this.manager = manager;
		this.encoder = encoder;
		this.decoder = decoder;
	}

	/** A freshly initialized VAE on {@code device} (seed with {@code Engines.seed} first for reproducibility). */
	public static ResNetVae create(VaeConfig config, Device device) {
		return OwnedManager.build(device, manager -> {
			Encoder e = encoderBlock(config);
			SequentialBlock d = decoderBlock(config);
			e.initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.imageSize(), config.imageSize()));
			d.initialize(manager, DataType.FLOAT32, new Shape(1, config.latentDim(), 1, 1));
			return new ResNetVae(config, manager, e, d);
		});
	}

	/** Uninitialized encoder: ResDown stages to 4×4, then two k4 s4 heads (mu, logvar). */
	public static Encoder encoderBlock(VaeConfig c) {
		return new Encoder(c);
	}

	/** Uninitialized decoder: ResUp stages 1 px → S, then Conv3×3 to image channels and tanh. */
	public static SequentialBlock decoderBlock(VaeConfig c) {
		List<Integer> w = c.decoderWidths();
		SequentialBlock d = new SequentialBlock();
		int in = c.latentDim();
		for (int out : w) {
			d.add(ResidualBlock.up(in, out));
			in = out;
		}
		d.add(ResidualBlock.conv3x3(in, c.channels())).add(Activation.tanhBlock());
		return d;
	}

	public VaeConfig config() {
		return config;
	}

	public Encoder encoder() {
		return encoder;
	}

	public SequentialBlock decoder() {
		return decoder;
	}

	public NDManager manager() {
		return manager;
	}

	public Device device() {
		return manager.getDevice();
	}

	public Encoding encode(ParameterStore ps, NDArray x, boolean training) {
		NDList out = encoder.forward(ps, new NDList(x), training);
		return new Encoding(out.get(0), out.get(1));
	}

	public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
		return decoder.forward(ps, new NDList(z), training).singletonOrThrow();
	}

	/**
	 * z = mu + exp(logvar / 2)·eps with eps ~ N(0, I) drawn from {@code rng} in training; z = mu in eval (the
	 * original's Train=False). The noise comes from the caller's stream, never from libtorch's global generator,
	 * so two models training in one JVM do not disturb each other.
	 */
	public static NDArray latent(Encoding e, boolean training, SplittableRandom rng) {
		if (!training) return e.mu();
		return reparameterize(e, Losses.gaussian(e.mu().getManager(), rng, e.mu().getShape()));
	}

	/** The reparameterisation z = mu + exp(logvar / 2)·eps with the caller's noise {@code eps} ~ N(0, I) (training draws it from its own stream). */
	public static NDArray reparameterize(Encoding e, NDArray eps) {
		return e.mu().add(Scalars.mul(e.logvar(), 0.5f).exp().mul(eps));
	}

	/** Encode, sample (training: noise from {@code rng}; eval: the mean), decode. */
	public Output forward(ParameterStore ps, NDArray x, boolean training, SplittableRandom rng) {
		Encoding e = encode(ps, x, training);
		return new Output(decode(ps, latent(e, training, rng), training), e.mu(), e.logvar());
	}

	@Override
	public void close() {
		manager.close();
	}

	/** ResDown trunk plus the parallel mu and logvar heads; output NDList(mu, logvar). */
	public static final class Encoder extends AbstractBlock {

		private static final byte VERSION = 1;

		private final SequentialBlock trunk = new SequentialBlock();
		private final Conv2d muHead;
		private final Conv2d logvarHead;

		Encoder(VaeConfig c) {
			super(VERSION);
			int in = c.channels();
			for (int out : c.encoderWidths()) {
				trunk.add(ResidualBlock.down(in, out));
				in = out;
			}
			addChildBlock("trunk", trunk);
			muHead = addChildBlock("mu", ResidualBlock.conv(in, c.latentDim(), 4, 4, 0));
			logvarHead = addChildBlock("logvar", ResidualBlock.conv(in, c.latentDim(), 4, 4, 0));
		}

		@Override
		protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
			NDList h = trunk.forward(ps, inputs, training);
			return new NDList(muHead.forward(ps, h, training).singletonOrThrow(), logvarHead.forward(ps, h, training).singletonOrThrow());
		}

		@Override
		protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
			trunk.initialize(manager, dataType, inputShapes);
			Shape[] h = trunk.getOutputShapes(inputShapes);
			muHead.initialize(manager, dataType, h);
			logvarHead.initialize(manager, dataType, h);
		}

		@Override
		public Shape[] getOutputShapes(Shape[] inputShapes) {
			Shape[] head = muHead.getOutputShapes(trunk.getOutputShapes(inputShapes));
			return new Shape[] {head[0], head[0]};
		}
	}
}
