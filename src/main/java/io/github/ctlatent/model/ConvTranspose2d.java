package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A bias-free transposed convolution with kernel 4, stride 2, padding 1 (the DCGAN up-sampling layer: exactly
 * doubles H and W), built from ops the PyTorch engine supports (DJL's own Conv2dTranspose is not implemented
 * there, docs/platform.md §3).
 * <p>
 * Sub-pixel (phase) decomposition: every output pixel (2m+a, 2n+b) depends on a 2×2 neighbourhood of the input
 * through one of four 2×2 sub-kernels of the 4×4 kernel. One conv2d (padding 1) with all four sub-kernels
 * stacked as 4·C_out output channels computes them all on an (H+1)×(W+1) grid; depth-to-space interleaves the
 * four phases into a (2H+2)×(2W+2) image whose one-pixel border is dropped. Same arithmetic as the native op.
 * <p>
 * The trainable weight is stored directly in that stacked layout (4·C_out, C_in, 2, 2), channel index
 * (2·rowPhase + colPhase)·C_out + o, because rearranging a PyTorch-layout weight on every call was measured up to
 * 1.9× slower. {@link #fromTorchLayout} / {@link #toTorchLayout} convert to and from PyTorch's ConvTranspose2d
 * layout (C_in, C_out, 4, 4) for import and export.
 */
public final class ConvTranspose2d extends AbstractBlock {

	private static final byte VERSION = 1;

	private final int inChannels;
	private final int outChannels;
	private final Parameter weight;

	public ConvTranspose2d(int inChannels, int outChannels) {
		super(VERSION);
		if (inChannels < 1 || outChannels < 1) throw new IllegalArgumentException("channels must be positive: " + inChannels + " -> " + outChannels);
		this.inChannels = inChannels;
		this.outChannels = outChannels;
		weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
			.optShape(new Shape(4L * outChannels, inChannels, 2, 2)).build());
	}

	public int inChannels() {
		return inChannels;
	}

	public int outChannels() {
		return outChannels;
	}

	/** The trainable weight in the stacked phase layout (4·C_out, C_in, 2, 2). */
	public Parameter weight() {
		return weight;
	}

	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDArray x = inputs.singletonOrThrow();
		return new NDList(apply(x, ps.getValue(weight, x.getDevice(), training)));
	}

	/** The transposed convolution of {@code x} (B, C_in, H, W) with a phase-layout weight → (B, C_out, 2H, 2W). */
	public static NDArray apply(NDArray x, NDArray phaseWeight) {
		Shape s = x.getShape();
		long b = s.get(0), h = s.get(2), w = s.get(3), cout = phaseWeight.getShape().get(0) / 4;
		NDArray phases = Convolutions.conv2d(x, phaseWeight, null, 1, 1);
		// (B, rowPhase, colPhase, C_out, H+1, W+1) → (B, C_out, H+1, rowPhase, W+1, colPhase): grid row 2p + rowPhase
		NDArray grid = phases.reshape(b, 2, 2, cout, h + 1, w + 1).transpose(0, 3, 4, 1, 5, 2)
			.reshape(b, cout, 2 * h + 2, 2 * w + 2);
		// the one-pixel border dropped by negative padding, not by slicing: one op whose backward pads the gradient
		// back (measured: a sixth of the zero-filling two slices' backward did, 2% of a CPU-GAN iteration)
		return grid.pad(new Shape(-1, -1, -1, -1), 0);
	}

	/**
	 * PyTorch ConvTranspose2d weight (C_in, C_out, 4, 4) → phase layout (4·C_out, C_in, 2, 2).
	 * Phase a ∈ {0,1}, tap u ∈ {0,1} use kernel row ky = 2 + a − 2u (same for columns): write ky = 2u' + a, then
	 * u = 1 − u', i.e. split the kernel axis into (u', a) and flip u'.
	 */
	public static NDArray fromTorchLayout(NDArray torchWeight) {
		Shape s = torchWeight.getShape();
		if (s.dimension() != 4 || s.get(2) != 4 || s.get(3) != 4)
			throw new IllegalArgumentException("expected a (C_in, C_out, 4, 4) ConvTranspose2d weight, got " + s);
		long cin = s.get(0), cout = s.get(1);
		return torchWeight.reshape(cin, cout, 2, 2, 2, 2).flip(2, 4).transpose(3, 5, 1, 0, 2, 4)
			.reshape(4 * cout, cin, 2, 2);
	}

	/** Phase layout (4·C_out, C_in, 2, 2) → PyTorch ConvTranspose2d layout (C_in, C_out, 4, 4). */
	public static NDArray toTorchLayout(NDArray phaseWeight) {
		Shape s = phaseWeight.getShape();
		if (s.dimension() != 4 || s.get(0) % 4 != 0 || s.get(2) != 2 || s.get(3) != 2)
			throw new IllegalArgumentException("expected a (4*C_out, C_in, 2, 2) phase weight, got " + s);
		long cout = s.get(0) / 4, cin = s.get(1);
		return phaseWeight.reshape(2, 2, cout, cin, 2, 2).transpose(3, 2, 4, 0, 5, 1).flip(2, 4)
			.reshape(cin, cout, 4, 4);
	}

	/**
	 * The textbook construction, kept as a slow reference: insert zeros between input pixels, pad by 2 and
	 * convolve with the spatially flipped, in/out-swapped kernel. Four times the arithmetic of {@link #apply}.
	 */
	public static NDArray zeroInsertionReference(NDArray x, NDArray torchWeight) {
		Shape s = x.getShape();
		long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		NDArray x6 = x.reshape(b, c, h, 1, w, 1);
		NDArray zeros = x6.zerosLike();
		NDArray cols = x6.concat(zeros, 5); // (b, c, h, 1, w, 2)
		NDArray dilated = cols.concat(cols.zerosLike(), 3).reshape(b, c, 2 * h, 2 * w)
			.get(new NDIndex(":, :, :{}, :{}", 2 * h - 1, 2 * w - 1));
		NDArray kernel = torchWeight.flip(2, 3).transpose(1, 0, 2, 3);
		return ai.djl.nn.convolutional.Conv2d.conv2d(dilated, kernel, null, new Shape(1, 1), new Shape(2, 2)).singletonOrThrow();
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		Shape s = inputShapes[0];
		return new Shape[] {new Shape(s.get(0), outChannels, 2 * s.get(2), 2 * s.get(3))};
	}

	@Override
	protected void prepare(Shape[] inputShapes) {
		long c = inputShapes[0].get(1);
		if (c != inChannels) throw new IllegalArgumentException("ConvTranspose2d expects " + inChannels + " input channels, got " + inputShapes[0]);
	}

	@Override
	public String toString() {
		return "ConvTranspose2d(" + inChannels + " -> " + outChannels + ", k4 s2 p1, no bias)";
	}
}
