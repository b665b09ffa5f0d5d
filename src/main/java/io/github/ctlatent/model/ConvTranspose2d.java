package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.NumericsConfig;
import io.github.ctlatent.engine.ScriptedOp;

/**
 * A bias-free transposed convolution with kernel 4, stride 2, padding 1 (the DCGAN up-sampling layer: exactly
 * doubles H and W), built from ops the PyTorch engine supports (DJL's own Conv2dTranspose is not implemented
 * there, docs/platform.md §3).
 * <p>
 * Sub-pixel (phase) decomposition: every output pixel (2m+a, 2n+b) depends on a 2×2 neighbourhood of the input
 * through one of four 2×2 sub-kernels of the 4×4 kernel. One conv2d (padding 1) with all four sub-kernels
 * stacked as 4·C_out output channels computes them all on an (H+1)×(W+1) grid; depth-to-space interleaves the
 * four phases into a (2H+2)×(2W+2) image whose one-pixel border is dropped. Same arithmetic as the native op, which
 * the numerics configuration may pick instead for a layer ({@link Method}): it skips the depth-to-space copy.
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

	/**
	 * How a transposed convolution is computed: {@code PHASES}, the decomposition above (its 2×2 convolution going
	 * through {@link Convolutions}' per-layer choice), or {@code LIBTORCH}, libtorch's own transposed convolution
	 * (oneDNN's deconvolution; DJL has no binding for it, so it is a {@link ScriptedOp}).
	 */
	public enum Method { PHASES, LIBTORCH }

	/** The transposed convolution of {@code x} (B, C_in, H, W) with a phase-layout weight → (B, C_out, 2H, 2W). */
	public static NDArray apply(NDArray x, NDArray phaseWeight) {
		return apply(x, phaseWeight, methodFor(x, phaseWeight.getShape(), false));
	}

	/**
	 * The method the active numerics configuration gives a layer: the phases on a GPU, when their 2×2 convolution
	 * is BLAS-lowered (the deep layers, where the lowering beats both kernels) or libtorch's kernel is
	 * unavailable; otherwise as {@link NumericsConfig#libtorchTransposed} says for C_out and the weight's layout.
	 */
	public static Method methodFor(NDArray x, Shape phaseWeight, boolean weightInTorchLayout) {
		return x.getDevice().isGpu() ? Method.PHASES : methodFor(x.getShape(), phaseWeight, weightInTorchLayout);
	}

	/** The same for a CPU layer of these shapes. */
	public static Method methodFor(Shape x, Shape phaseWeight, boolean weightInTorchLayout) {
		if (Libtorch.OP == null || Convolutions.backendFor(x, phaseWeight, 1, 1) != Convolutions.Backend.LIBTORCH) return Method.PHASES;
		return NumericsConfig.active().libtorchTransposed(phaseWeight.get(0) / 4, weightInTorchLayout) ? Method.LIBTORCH : Method.PHASES;
	}

	/** The methods the active configuration may give a layer (what the numerics check must cover). */
	public static java.util.List<Method> methodsInUse() {
		NumericsConfig c = NumericsConfig.active();
		boolean any = Libtorch.OP != null && (c.libtorchTransposed(1, true) || c.libtorchTransposed(2, true));
		return any ? java.util.List.of(Method.PHASES, Method.LIBTORCH) : java.util.List.of(Method.PHASES);
	}

	/** Which layers get which method in this process (System Info). */
	public static String describe() {
		NumericsConfig c = NumericsConfig.active();
		String phases = "the phase decomposition (2x2 convolution + depth-to-space)";
		if (Libtorch.OP == null) return phases + " on every layer (libtorch's kernel unavailable: " + Libtorch.UNAVAILABLE + ")";
		if (c.libtorchTransposed(2, true)) return "libtorch's kernel on the VAE's up blocks (whose folded weight comes in its layout) unless BLAS-lowered; " + phases + " elsewhere";
		if (c.libtorchTransposed(1, false)) return "libtorch's kernel on one-output-channel layers; " + phases + " elsewhere";
		return phases + " on every layer";
	}

	/** Why libtorch's transposed convolution is not available, or null when it is. */
	public static String libtorchUnavailable() {
		return Libtorch.UNAVAILABLE;
	}

	/** The same with the method given (the numerics check runs every method a configuration uses). */
	public static NDArray apply(NDArray x, NDArray phaseWeight, Method method) {
		// the LIBTORCH weight rearranged per call (a copy of the weight, not of the image), in x's manager (Convolutions.local)
		if (method == Method.LIBTORCH) return libtorch(x, toTorchLayout(Convolutions.local(phaseWeight.reshape(phaseWeight.getShape()), x)));
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

	/** libtorch's k4 s2 p1 transposed convolution of x with a weight in PyTorch's (C_in, C_out, 4, 4) layout. */
	public static NDArray libtorch(NDArray x, NDArray torchWeight) {
		if (Libtorch.OP == null) throw new IllegalStateException("libtorch's transposed convolution is unavailable: " + Libtorch.UNAVAILABLE);
		return Libtorch.OP.apply(x, torchWeight);
	}

	/** libtorch's k4 s2 p1 transposed convolution, compiled once per process (null if it cannot be). */
	private static final class Libtorch {
		static final ScriptedOp OP;
		static final String UNAVAILABLE;

		static {
			ScriptedOp op = null;
			String why = null;
			try {
				op = ScriptedOp.compile("ConvTranspose", "x: Tensor, w: Tensor", "Tensor", "torch.conv_transpose2d(x, w, None, [2, 2], [1, 1])");
			} catch (java.io.IOException | RuntimeException e) {
				why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
			}
			OP = op;
			UNAVAILABLE = why;
		}
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
