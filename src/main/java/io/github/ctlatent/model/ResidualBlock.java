package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The VAE's ResDown / ResUp block (docs/method.md §3), all convolutions 3×3 stride 1 pad 1 with bias:
 * main = conv(cin→cout/2) → BN → act → resample → conv(cout/2→cout) → BN; skip = conv(cin→cout)(resample(x));
 * out = act(main + skip). Resample is AvgPool2 (down) or nearest-neighbour ×2 (up).
 */
public final class ResidualBlock extends AbstractBlock {

	/**
	 * The original calls functional rrelu with default arguments, i.e. training=False: a fixed leaky slope equal
	 * to the mean of the default range [1/8, 1/3], in training as well as in eval (docs/method.md §7.7).
	 */
	public static final float SLOPE = (1f / 8 + 1f / 3) / 2;

	private static final byte VERSION = 1;

	public enum Kind { DOWN, UP }

	private final Kind kind;
	private final int inChannels;
	private final int outChannels;
	private final Conv2d conv1;
	private final BatchNorm bn1;
	private final Conv2d conv2;
	private final BatchNorm bn2;
	private final Conv2d skip;

	public ResidualBlock(Kind kind, int inChannels, int outChannels) {
		super(VERSION);
		this.kind = kind;
		this.inChannels = inChannels;
		this.outChannels = outChannels;
		conv1 = addChildBlock("conv1", conv3x3(inChannels, outChannels / 2));
		bn1 = addChildBlock("bn1", Dcgan.batchNorm());
		conv2 = addChildBlock("conv2", conv3x3(outChannels / 2, outChannels));
		bn2 = addChildBlock("bn2", Dcgan.batchNorm());
		skip = addChildBlock("skip", conv3x3(inChannels, outChannels));
	}

	public static ResidualBlock down(int in, int out) {
		return new ResidualBlock(Kind.DOWN, in, out);
	}

	public static ResidualBlock up(int in, int out) {
		return new ResidualBlock(Kind.UP, in, out);
	}

	/** A 3×3 same-size convolution with bias and PyTorch's default initialization. */
	static Conv2d conv3x3(int in, int out) {
		return conv(in, out, 3, 1, 1);
	}

	/** A convolution with bias and PyTorch's default initialization U(±1/√fanIn) for weight and bias. */
	static Conv2d conv(int in, int out, int kernel, int stride, int pad) {
		Conv2d c = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(out)
			.optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).build();
		long fanIn = (long) in * kernel * kernel;
		c.setInitializer(Initializers.torchDefault(fanIn), Parameter.Type.WEIGHT);
		c.setInitializer(Initializers.torchDefault(fanIn), Parameter.Type.BIAS);
		return c;
	}

	private NDArray resample(NDArray x) {
		if (kind == Kind.DOWN) return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
		return upsampleNearest(x);
	}

	/** Nearest-neighbour ×2 upsampling: every pixel becomes a 2×2 block. */
	static NDArray upsampleNearest(NDArray x) {
		Shape s = x.getShape();
		return x.reshape(s.get(0), s.get(1), s.get(2), 1, s.get(3), 1).broadcast(s.get(0), s.get(1), s.get(2), 2, s.get(3), 2)
			.reshape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3));
	}

	private static NDArray act(NDArray x) {
		return Activation.leakyRelu(x, SLOPE);
	}

	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDArray x = inputs.singletonOrThrow();
		NDArray h = conv1.forward(ps, new NDList(x), training).singletonOrThrow();
		h = act(bn1.forward(ps, new NDList(h), training).singletonOrThrow());
		h = conv2.forward(ps, new NDList(resample(h)), training).singletonOrThrow();
		h = bn2.forward(ps, new NDList(h), training).singletonOrThrow();
		NDArray s = skip.forward(ps, new NDList(resample(x)), training).singletonOrThrow();
		return new NDList(act(h.add(s)));
	}

	/**
	 * On a 1×1 input (the decoder's first block, fed the latent), the block's two convolutions that see the input
	 * directly are linear in it: {@code conv1} through its centre tap, and {@code skip} on the 2×2 nearest-upsampled
	 * input, where output pixel (oy, ox) sums the taps that land inside the 2×2 grid. Returns those maps stacked as
	 * (outChannels/2 + 4·outChannels) × inChannels rows; SeFa factorises them (the later BN and activation are not
	 * linear and are left out, as SeFa leaves out everything after its first layer).
	 */
	float[][] linearMapOnOnePixel() {
		if (kind != Kind.UP) throw new IllegalStateException("only an up block can take a 1×1 input");
		float[] w1 = conv1.getParameters().get("weight").getArray().toFloatArray(); // (out/2, in, 3, 3)
		float[] ws = skip.getParameters().get("weight").getArray().toFloatArray(); // (out, in, 3, 3)
		int half = outChannels / 2;
		float[][] map = new float[half + 4 * outChannels][inChannels];
		for (int o = 0; o < half; o++)
			for (int i = 0; i < inChannels; i++) map[o][i] = w1[((o * inChannels + i) * 3 + 1) * 3 + 1];
		int row = half;
		for (int oy = 0; oy < 2; oy++)
			for (int ox = 0; ox < 2; ox++)
				for (int o = 0; o < outChannels; o++, row++)
					for (int i = 0; i < inChannels; i++)
						for (int ky = 1 - oy; ky <= 2 - oy; ky++)
							for (int kx = 1 - ox; kx <= 2 - ox; kx++) map[row][i] += ws[((o * inChannels + i) * 3 + ky) * 3 + kx];
		return map;
	}

	/** {@code s} after resampling, with {@code channels} channels. */
	private Shape resampled(Shape s, long channels) {
		boolean down = kind == Kind.DOWN;
		return new Shape(s.get(0), channels, down ? s.get(2) / 2 : s.get(2) * 2, down ? s.get(3) / 2 : s.get(3) * 2);
	}

	@Override
	protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
		Shape in = inputShapes[0];
		if (in.get(1) != inChannels) throw new IllegalArgumentException(this + " expects " + inChannels + " input channels, got " + in);
		Shape mid = new Shape(in.get(0), outChannels / 2, in.get(2), in.get(3));
		conv1.initialize(manager, dataType, in);
		bn1.initialize(manager, dataType, mid);
		conv2.initialize(manager, dataType, resampled(mid, outChannels / 2));
		bn2.initialize(manager, dataType, resampled(mid, outChannels));
		skip.initialize(manager, dataType, resampled(in, inChannels));
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		return new Shape[] {resampled(inputShapes[0], outChannels)};
	}

	@Override
	public String toString() {
		return (kind == Kind.DOWN ? "ResDown(" : "ResUp(") + inChannels + " -> " + outChannels + ")";
	}
}
