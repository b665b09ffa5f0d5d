package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.NumericsConfig;

/**
 * Every 2D convolution of the models goes through here, so that the numerics configuration the process was
 * checked with decides how it is computed:
 * <ul>
 * <li>{@link Backend#LIBTORCH}: libtorch's own convolution (oneDNN, or its im2col kernels when oneDNN is off);</li>
 * <li>{@link Backend#GEMM}: lowered to one matrix multiplication in this class — im2col as a single gather, then
 * BLAS. It uses no oneDNN kernel at all, only the matrix multiplication that is correct on the CPUs where
 * libtorch's oneDNN convolutions are not (docs/numerics.md), and autograd differentiates the gather and the
 * product like any other op.</li>
 * </ul>
 * Which one a layer gets: {@link #choose} with {@link NumericsConfig#gemmRatio()} — the lowering wins when the
 * weights are large and the image is small ({@code C_in·k² ≥ ratio · H_out·W_out}: the deep layers of the paper
 * models, where oneDNN's CPU kernels are weakest), or always in the {@code gemm} configuration. Only on the CPU.
 */
public final class Convolutions {

	/** How a convolution is computed. */
	public enum Backend { LIBTORCH, GEMM }

	/**
	 * {@code -Dctlatent.conv.gemm_ratio=<r>} replaces the configuration's threshold (0 = every layer as a BLAS
	 * product, {@code Infinity} = none): for measuring the rule on another CPU. Read once, before the check runs.
	 */
	public static final String RATIO_SETTING = "ctlatent.conv.gemm_ratio";

	/** The parsed override (NaN: none), once it has been read. */
	private static volatile Double ratioOverride;

	private Convolutions() {}

	/** The threshold in force: the override if given, otherwise the active numerics configuration's. */
	public static double gemmRatio() {
		Double r = ratioOverride;
		if (r == null) ratioOverride = r = parseRatio(System.getProperty(RATIO_SETTING));
		return Double.isNaN(r) ? NumericsConfig.active().gemmRatio() : r;
	}

	private static double parseRatio(String s) {
		if (s == null || s.isBlank()) return Double.NaN;
		double r;
		try {
			r = Double.parseDouble(s.trim());
		} catch (NumberFormatException e) {
			r = Double.NaN;
		}
		if (!(r >= 0)) throw new ExplorerException("-D" + RATIO_SETTING + "=" + s + " is not a threshold: give a number ≥ 0 (0 = every convolution as a BLAS product) or Infinity (none), or leave it out.");
		return r;
	}

	/** {@code x} (N, C, H, W) convolved with {@code weight} (O, C, k, k), optional {@code bias} (O): (N, O, H', W'). */
	public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int pad) {
		return conv2d(x, weight, bias, stride, pad, backendFor(x, weight, stride, pad));
	}

	/** The same with the backend given (the numerics check runs every backend a configuration uses). */
	public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int pad, Backend backend) {
		if (backend == Backend.GEMM) return lowered(x, weight, bias, stride, pad);
		return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(pad, pad)).singletonOrThrow();
	}

	/** The backends the active configuration may give a layer (what the numerics check must cover). */
	public static java.util.List<Backend> backendsInUse() {
		double ratio = gemmRatio();
		if (ratio == 0) return java.util.List.of(Backend.GEMM);
		return Double.isInfinite(ratio) ? java.util.List.of(Backend.LIBTORCH) : java.util.List.of(Backend.LIBTORCH, Backend.GEMM);
	}

	/** The backend the active configuration gives this layer. */
	public static Backend backendFor(NDArray x, NDArray weight, int stride, int pad) {
		if (x.getDevice().isGpu()) return Backend.LIBTORCH;
		Shape s = x.getShape(), w = weight.getShape();
		long ho = (s.get(2) + 2L * pad - w.get(2)) / stride + 1, wo = (s.get(3) + 2L * pad - w.get(3)) / stride + 1;
		return choose(gemmRatio(), s.get(1), (int) Math.max(w.get(2), w.get(3)), stride, ho * wo);
	}

	/**
	 * The rule: GEMM when C_in·k² ≥ {@code ratio} · H'·W' (large weights, small image), and only for kernels that
	 * copy each input pixel at most four times into the columns (k ≤ 2·stride: the 4×4 stride-2 and 2×2 phase
	 * convolutions, the VAE's heads). A 3×3 stride-1 convolution copies every pixel nine times; measured here, its
	 * lowering was slower than libtorch's kernel at every VAE layer, capped or not (bench conv-backends).
	 */
	public static Backend choose(double ratio, long inChannels, int kernel, int stride, long outputPixels) {
		if (ratio == 0) return Backend.GEMM;
		if (Double.isInfinite(ratio) || kernel > 2 * stride) return Backend.LIBTORCH;
		return inChannels * kernel * kernel >= ratio * outputPixels ? Backend.GEMM : Backend.LIBTORCH;
	}

	/**
	 * im2col + GEMM. The padded input is laid out (C, N·Hp·Wp); one advanced-indexing gather with a
	 * (k², N·H'·W') index gives the columns (C·k², N·H'·W') in the order of the weight's own (O, C, k, k) layout,
	 * so the weight is used as stored. One gather (its backward is a single scatter-add) instead of k² strided
	 * slices: measured here, the slices' backward — a zero-filled copy of the whole input per tap — cost 3–4× the
	 * product itself.
	 */
	static NDArray lowered(NDArray x, NDArray weight, NDArray bias, int stride, int pad) {
		Shape s = x.getShape(), ws = weight.getShape();
		long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3), o = ws.get(0), kh = ws.get(2), kw = ws.get(3);
		long hp = h + 2L * pad, wp = w + 2L * pad, ho = (hp - kh) / stride + 1, wo = (wp - kw) / stride + 1;
		if (ws.get(1) != c) throw new IllegalArgumentException("convolution weight " + ws + " does not fit input " + s);
		NDArray channelsFirst = x.transpose(1, 0, 2, 3);
		NDArray padded = pad > 0 ? channelsFirst.pad(new Shape(pad, pad, pad, pad), 0) : channelsFirst;
		NDArray index = im2colIndex(x.getManager(), n, hp, wp, kh, kw, ho, wo, stride);
		NDArray columns = padded.reshape(c, n * hp * wp).get(new NDIndex(":, {}", index)).reshape(c * kh * kw, n * ho * wo);
		NDArray out = local(weight.reshape(o, c * kh * kw), x).matMul(columns);
		if (bias != null) out = out.add(local(bias.reshape(o, 1), x));
		return out.reshape(o, n, ho, wo).transpose(1, 0, 2, 3);
	}

	/**
	 * {@code view} (a reshape of a parameter) moved to {@code input}'s manager: DJL puts an op's result in the
	 * manager of its first operand, which for a parameter is the model's — a per-call view would otherwise live as
	 * long as the model. Everything computed from it then follows it into the caller's (per-step) manager.
	 */
	static NDArray local(NDArray view, NDArray input) {
		view.attach(input.getManager());
		return view;
	}

	/** Flat positions in (N, Hp, Wp) read by tap (a, b) for output (n, i, j): n·Hp·Wp + (i·s + a)·Wp + j·s + b. */
	static NDArray im2colIndex(NDManager m, long n, long hp, long wp, long kh, long kw, long ho, long wo, int stride) {
		long[] rows = new long[(int) (kh * ho)], cols = new long[(int) (kw * wo)], batch = new long[(int) n];
		for (int a = 0; a < kh; a++) for (int i = 0; i < ho; i++) rows[(int) (a * ho + i)] = (i * stride + a) * wp;
		for (int b = 0; b < kw; b++) for (int j = 0; j < wo; j++) cols[(int) (b * wo + j)] = j * stride + b;
		for (int i = 0; i < n; i++) batch[i] = i * hp * wp;
		try (NDArray r = m.create(rows, new Shape(kh, 1, 1, ho, 1)); NDArray q = m.create(cols, new Shape(1, kw, 1, 1, wo));
			NDArray b = m.create(batch, new Shape(1, 1, n, 1, 1)); NDArray rq = r.add(q)) {
			return rq.add(b).reshape(kh * kw, n * ho * wo);
		}
	}
}
