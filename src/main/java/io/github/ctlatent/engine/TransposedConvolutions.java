package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.NumericsPolicy.ConvBackend;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;

/**
 * The k4 s2 p1 transposed convolution (exactly doubles H and W), from ops the PyTorch engine supports.
 * <p>
 * Sub-pixel (phase) decomposition: every output pixel (2m+a, 2n+b) depends on a 2×2 neighbourhood of the input
 * through one of four 2×2 sub-kernels of the 4×4 kernel. One conv2d (padding 1) with all four sub-kernels
 * stacked as 4·C_out output channels computes them all on an (H+1)×(W+1) grid; depth-to-space interleaves the
 * four phases into a (2H+2)×(2W+2) image whose one-pixel border is dropped. Same arithmetic as libtorch's own
 * kernel, which {@link NumericsPolicy#transposedMethod} may pick instead for a layer: it skips the depth-to-space
 * copy. The phase-layout weight is (4·C_out, C_in, 2, 2), channel (2·rowPhase + colPhase)·C_out + o.
 */
public final class TransposedConvolutions {

	private TransposedConvolutions() {}

	/** The transposed convolution of {@code x} (B, C_in, H, W) with a phase-layout weight → (B, C_out, 2H, 2W). */
	public static NDArray apply(NDArray x, NDArray phaseWeight) {
		return apply(x, phaseWeight, methodFor(x, phaseWeight.getShape(), false));
	}

	/** The method the active configuration gives this layer: the phases on a GPU, else {@link NumericsPolicy#transposedMethod}. */
	public static TransposedMethod methodFor(NDArray x, Shape phaseWeight, boolean weightInTorchLayout) {
		return methodFor(x, phaseWeight, weightInTorchLayout, false);
	}

	/** The same for a layer whose weight may be {@code frozen} (see {@link NumericsPolicy#transposedMethod}). */
	public static TransposedMethod methodFor(NDArray x, Shape phaseWeight, boolean weightInTorchLayout, boolean frozen) {
		return x.getDevice().isGpu() ? TransposedMethod.PHASES : methodFor(x.getShape(), phaseWeight, weightInTorchLayout, frozen);
	}

	/** The same for a CPU layer of these shapes. */
	public static TransposedMethod methodFor(Shape x, Shape phaseWeight, boolean weightInTorchLayout) {
		return methodFor(x, phaseWeight, weightInTorchLayout, false);
	}

	/** The same for a layer whose weight may be {@code frozen} (see {@link NumericsPolicy#transposedMethod}). */
	public static TransposedMethod methodFor(Shape x, Shape phaseWeight, boolean weightInTorchLayout, boolean frozen) {
		return NumericsPolicy.transposedMethod(NumericsConfig.active(), phaseWeight.get(0) / 4, weightInTorchLayout,
			Convolutions.backendFor(x, phaseWeight, 1, 1), Libtorch.OP != null, frozen);
	}

	/** The methods the active configuration may give a layer (what the numerics check covers). */
	public static java.util.List<TransposedMethod> methodsInUse() {
		return NumericsPolicy.methodsInUse(NumericsConfig.active(), Libtorch.OP != null);
	}

	/** Why libtorch's transposed convolution is not available, or null when it is. */
	public static String libtorchUnavailable() {
		return Libtorch.UNAVAILABLE;
	}

	/** The same with the method given (the numerics check runs every method a configuration uses). */
	public static NDArray apply(NDArray x, NDArray phaseWeight, TransposedMethod method) {
		return apply(x, phaseWeight, null, method);
	}

	/**
	 * The same plus a per-channel {@code bias} (C_out, or null), added inside the convolution — by oneDNN as it
	 * writes its output, or by libtorch's transposed kernel — instead of as one more pass over the doubled image.
	 */
	public static NDArray apply(NDArray x, NDArray phaseWeight, NDArray bias, TransposedMethod method) {
		// the LIBTORCH weight rearranged per call (a copy of the weight, not of the image), in x's manager (Convolutions.local)
		if (method == TransposedMethod.LIBTORCH) return libtorch(x, toTorchLayout(Convolutions.local(phaseWeight.reshape(phaseWeight.getShape()), x)), bias);
		Shape s = x.getShape();
		long b = s.get(0), h = s.get(2), w = s.get(3), cout = phaseWeight.getShape().get(0) / 4;
		// each of the four phases gets the bias: phase channel (2·rowPhase + colPhase)·C_out + o
		NDArray phases = Convolutions.conv2d(x, phaseWeight, bias == null ? null : Convolutions.local(bias.tile(4), x), 1, 1);
		// (B, rowPhase, colPhase, C_out, H+1, W+1) → (B, C_out, H+1, rowPhase, W+1, colPhase): grid row 2p + rowPhase
		NDArray grid = phases.reshape(b, 2, 2, cout, h + 1, w + 1).transpose(0, 3, 4, 1, 5, 2)
			.reshape(b, cout, 2 * h + 2, 2 * w + 2);
		// the one-pixel border dropped by negative padding, not by slicing: one op whose backward pads the gradient
		// back (measured: a sixth of the zero-filling two slices' backward did, 2% of a CPU-GAN iteration)
		return grid.pad(new Shape(-1, -1, -1, -1), 0);
	}

	/** libtorch's k4 s2 p1 transposed convolution of x with a weight in PyTorch's (C_in, C_out, 4, 4) layout. */
	public static NDArray libtorch(NDArray x, NDArray torchWeight) {
		return libtorch(x, torchWeight, null);
	}

	/** The same plus a per-channel {@code bias} (C_out, or null), which the kernel adds as it writes its output. */
	public static NDArray libtorch(NDArray x, NDArray torchWeight, NDArray bias) {
		if (Libtorch.OP == null) throw new IllegalStateException("libtorch's transposed convolution is unavailable: " + Libtorch.UNAVAILABLE);
		return bias == null ? Libtorch.OP.apply(x, torchWeight) : Libtorch.WITH_BIAS.apply(x, torchWeight, Convolutions.local(bias.reshape(bias.getShape()), x));
	}

	/** libtorch's k4 s2 p1 transposed convolution, without and with bias, compiled once per process (null if it cannot be). */
	private static final class Libtorch {
		static final ScriptedOp OP;
		static final ScriptedOp WITH_BIAS;
		static final String UNAVAILABLE;

		static {
			ScriptedOp op = null, withBias = null;
			String why = null;
			try {
				op = ScriptedOp.compile("ConvTranspose", "x: Tensor, w: Tensor", "Tensor", "torch.conv_transpose2d(x, w, None, [2, 2], [1, 1])");
				withBias = ScriptedOp.compile("ConvTransposeBias", "x: Tensor, w: Tensor, b: Tensor", "Tensor", "torch.conv_transpose2d(x, w, b, [2, 2], [1, 1])");
			} catch (java.io.IOException | RuntimeException e) {
				why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
				if (op != null) op.close();
				op = null;
			}
			OP = op;
			WITH_BIAS = withBias;
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
}
