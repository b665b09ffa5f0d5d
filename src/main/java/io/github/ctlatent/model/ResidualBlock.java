package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.Convolutions;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import io.github.ctlatent.engine.TransposedConvolutions;

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
		Conv2d c = Conv2d.of(out, kernel, stride, pad, true);
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
		h = bn2.forward(ps, new NDList(resampledConv(ps, conv2, h, training)), training).singletonOrThrow();
		return new NDList(act(h.add(resampledConv(ps, skip, x, training))));
	}

	/**
	 * Smallest input (H·W) whose up-block convolution is folded. Below it the folding of the weights and a 2×2
	 * convolution with 4·C_out channels on a tiny image cost more than they save: measured at the paper decoder's
	 * shapes, batch 8 (fold time / textbook time), 2–12× at 1–4 px inputs, 0.9–0.96 at 8×8, 0.35–0.63 from 16×16.
	 */
	static final long FOLD_FROM_PIXELS = 8 * 8;

	/** {@code conv(resample(x))}; for the up block on larger images computed on x itself ({@link #convOfUpsampled}). */
	private NDArray resampledConv(ParameterStore ps, Conv2d conv, NDArray x, boolean training) {
		if (kind == Kind.DOWN || x.getShape().get(2) * x.getShape().get(3) < FOLD_FROM_PIXELS)
			return conv.forward(ps, new NDList(resample(x)), training).singletonOrThrow();
		NDArray w = ps.getValue(conv.getParameters().get("weight"), x.getDevice(), training);
		NDArray b = ps.getValue(conv.getParameters().get("bias"), x.getDevice(), training);
		return convOfUpsampled(x, w, b);
	}

	/**
	 * A 3×3 pad-1 convolution of the nearest-neighbour ×2 upsampled {@code x}, computed on x: in each of the four
	 * output phases the 3×3 kernel sees only 2×2 distinct input pixels, so it folds into a 2×2 kernel (taps summed),
	 * and the four phases are one 2×2 convolution with 4·C_out channels plus depth-to-space — the same arrangement
	 * as {@link TransposedConvolutions#apply}. 16 instead of 36 multiply-adds per output pixel and channel, and the
	 * upsampled copy is never made; the same function of the same 3×3 weight (what is saved and exported).
	 * <p>
	 * Rows (columns alike): output row 2i reads input rows i−1, i with taps (w₀, w₁+w₂); row 2i+1 reads i, i+1 with
	 * (w₀+w₁, w₂). In {@link TransposedConvolutions#apply}'s grid, phase 1 at position p reads rows p−1, p and lands on row
	 * 2p (the even rows), phase 0 reads the same rows and lands on 2p−1 (odd rows, i = p−1).
	 */
	static NDArray convOfUpsampled(NDArray x, NDArray weight3x3, NDArray bias) {
		Shape ws = weight3x3.getShape();
		long o = ws.get(0), c = ws.get(1);
		TransposedMethod method = TransposedConvolutions.methodFor(x, new Shape(4 * o, c, 2, 2), true);
		return convOfUpsampled(x, weight3x3, bias, method);
	}

	/**
	 * The same with the method given. For libtorch's transposed convolution the taps are folded straight into its
	 * (C_in, C_out, 4, 4) layout, whose kernel row 2 + a − 2u is phase a's tap u ({@link TransposedConvolutions#fromTorchLayout}):
	 * rows 0–3 = (w2), (w1+w2), (w0+w1), (w0) — the same copy of the weight as the phase layout costs.
	 */
	static NDArray convOfUpsampled(NDArray x, NDArray weight3x3, NDArray bias, TransposedMethod method) {
		Shape ws = weight3x3.getShape();
		long o = ws.get(0), c = ws.get(1);
		boolean torchLayout = method == TransposedMethod.LIBTORCH;
		float[] taps = torchLayout ? new float[] {0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0} : new float[] {1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1};
		// The fold must be libtorch's own copy, not the array made from Java data: libtorch uses that array's Java
		// buffer in place, autograd keeps the fold for the weight's gradient after this method closes its handle, and
		// once the garbage collector freed the buffer the backward pass read whatever the memory held next (the NaN
		// runs of issue 24; docs/numerics.md). A clone's memory is counted by libtorch and lives as long as the graph.
		try (NDArray javaBacked = x.getManager().create(taps, new Shape(4, 3)); NDArray fold = javaBacked.duplicate()) {
			// phases: (phase, tap) × kernel row, phase 0 = (w0+w1, w2), phase 1 = (w0, w1+w2); torch layout: by kernel row
			NDArray folded = fold.matMul(Convolutions.local(weight3x3.reshape(o * c, 3, 3), x)).matMul(fold.transpose()); // (O·C, 4, 4)
			// the bias goes into the convolution: one pass less over the doubled image, forward and backward
			return torchLayout ? TransposedConvolutions.libtorch(x, folded.reshape(o, c, 4, 4).transpose(1, 0, 2, 3), bias)
				: TransposedConvolutions.apply(x, folded.reshape(o, c, 2, 2, 2, 2).transpose(2, 4, 0, 1, 3, 5).reshape(4 * o, c, 2, 2), bias, method);
		}
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
