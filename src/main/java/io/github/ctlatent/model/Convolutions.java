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
 * Which one a layer gets: {@link #choose} with {@link NumericsConfig#gemmRatio(int)} — the lowering wins when the
 * weights are large and the image is small ({@code C_in·k² ≥ ratio · H_out·W_out}: the deep layers of the paper
 * models, where oneDNN's CPU kernels are weakest), or always in the {@code gemm} configuration. Only on the CPU.
 */
public final class Convolutions {

	/**
	 * How a convolution is computed: libtorch's kernel, or the BLAS lowering with the columns gathered from the
	 * channels-first input ({@code GEMM}) or as rows of the channels-last input ({@code GEMM_ROWS}).
	 */
	public enum Backend { LIBTORCH, GEMM, GEMM_ROWS }

	/**
	 * {@code -Dctlatent.conv.gemm_ratio=<r>} replaces the configuration's threshold (0 = every layer as a BLAS
	 * product, {@code Infinity} = none): for measuring the rule on another CPU. Read once, before the check runs.
	 */
	public static final String RATIO_SETTING = "ctlatent.conv.gemm_ratio";

	/** The parsed override (NaN: none), once it has been read. */
	private static volatile Double ratioOverride;

	private Convolutions() {}

	/** The threshold in force for a kernel of this size: the override if given, else the active configuration's. */
	public static double gemmRatio(int kernel) {
		Double r = ratioOverride;
		if (r == null) ratioOverride = r = parseRatio(System.getProperty(RATIO_SETTING));
		return Double.isNaN(r) ? NumericsConfig.active().gemmRatio(kernel) : r;
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
		if (backend == Backend.GEMM) return lowered(x, weight, bias, Geometry.of(x.getShape(), weight.getShape(), stride, pad));
		if (backend == Backend.GEMM_ROWS) return loweredRows(x, weight, bias, Geometry.of(x.getShape(), weight.getShape(), stride, pad));
		return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(pad, pad)).singletonOrThrow();
	}

	/** The backends the active configuration may give a layer (what the numerics check must cover). */
	public static java.util.List<Backend> backendsInUse() {
		double phase = gemmRatio(2), other = gemmRatio(3);
		if (phase == 0 && other == 0) return java.util.List.of(Backend.GEMM, Backend.GEMM_ROWS);
		return Double.isInfinite(phase) && Double.isInfinite(other) ? java.util.List.of(Backend.LIBTORCH)
			: java.util.List.of(Backend.LIBTORCH, Backend.GEMM, Backend.GEMM_ROWS);
	}

	/** The backend the active configuration gives this layer. */
	public static Backend backendFor(NDArray x, NDArray weight, int stride, int pad) {
		return x.getDevice().isGpu() ? Backend.LIBTORCH : backendFor(x.getShape(), weight.getShape(), stride, pad);
	}

	/** The backend the active configuration gives a CPU convolution of these shapes ({@link #choose}, then {@link #lowering}). */
	public static Backend backendFor(Shape input, Shape weight, int stride, int pad) {
		Geometry g = Geometry.of(input, weight, stride, pad);
		int kernel = (int) Math.max(g.kh(), g.kw());
		Backend b = choose(gemmRatio(kernel), g.c(), kernel, stride, g.ho() * g.wo());
		return b == Backend.GEMM ? lowering(g.o() * g.kh() * g.kw(), g.n() * g.h() * g.w()) : b;
	}

	/** The sizes of one convolution: input (N, C, H, W), weight (O, C, kh, kw), padded Hp × Wp, output H' × W'. */
	record Geometry(long n, long c, long h, long w, long o, long kh, long kw, int stride, int pad, long hp, long wp, long ho, long wo) {
		static Geometry of(Shape input, Shape weight, int stride, int pad) {
			if (weight.get(1) != input.get(1)) throw new IllegalArgumentException("convolution weight " + weight + " does not fit input " + input);
			long hp = input.get(2) + 2L * pad, wp = input.get(3) + 2L * pad;
			return new Geometry(input.get(0), input.get(1), input.get(2), input.get(3), weight.get(0), weight.get(2), weight.get(3),
				stride, pad, hp, wp, (hp - weight.get(2)) / stride + 1, (wp - weight.get(3)) / stride + 1);
		}

		/**
		 * For every output pixel (n, i, j) and tap (a, b), in that axis order, the flat position it reads in the
		 * padded (N, Hp, Wp) grid: n·Hp·Wp + (i·s + a)·Wp + j·s + b.
		 */
		NDArray positions(NDManager m) {
			long[] rows = new long[(int) (ho * kh)], cols = new long[(int) (wo * kw)], batch = new long[(int) n];
			for (int i = 0; i < ho; i++) for (int a = 0; a < kh; a++) rows[(int) (i * kh + a)] = (i * stride + a) * wp;
			for (int j = 0; j < wo; j++) for (int b = 0; b < kw; b++) cols[(int) (j * kw + b)] = j * stride + b;
			for (int i = 0; i < n; i++) batch[i] = i * hp * wp;
			try (NDArray bb = m.create(batch, new Shape(n, 1, 1, 1, 1)); NDArray r = m.create(rows, new Shape(1, ho, 1, kh, 1));
				NDArray q = m.create(cols, new Shape(1, 1, wo, 1, kw)); NDArray br = bb.add(r)) {
				return br.add(q);
			}
		}
	}

	/**
	 * Which lowering: rows when the weight is small next to the image (O·k² ≤ 6·N·H·W) — their gather copies whole
	 * channel rows and its backward adds whole rows (in parallel), but the weight must be transposed on every call;
	 * columns otherwise, which use the weight as stored (their backward is a serial scatter-add). Measured at the
	 * paper and CPU-preset shapes (bench conv-backends, also -Dbench.layers=vae): rows 0.6–0.8× the columns' time on
	 * 32×32–64×64 layers and 0.66–0.82× on the VAE's 3×3 layers at 8×8 with O·k² = 2.25–4.5·N·H·W; columns 0.4–0.9×
	 * the rows' from 8·N·H·W up (the 1024–2048-channel layers, the paper discriminator's 512→1024 at 16×16).
	 */
	static Backend lowering(long weightPerInputChannel, long inputPixels) {
		return weightPerInputChannel <= 6 * inputPixels ? Backend.GEMM_ROWS : Backend.GEMM;
	}

	/**
	 * The rule: lowered (GEMM) when C_in·k² ≥ {@code ratio} · H'·W' — large weights, small image. Measured on a quiet
	 * 2-core Zen 4 (bench conv-backends, batch 8): at full width only the paper models' 4×4- and 8×8-sized
	 * 1024–2048-channel layers (ratio ≥ 300) are faster lowered; under the AVX cap every layer from ratio ≈ 7 up,
	 * 3×3 ones included (0.75× the capped kernel's time at 256 channels on 16×16 and 512 on 8×8), 2×2 ones from ≈ 0.5.
	 */
	static Backend choose(double ratio, long inChannels, int kernel, int stride, long outputPixels) {
		if (ratio == 0) return Backend.GEMM;
		if (Double.isInfinite(ratio)) return Backend.LIBTORCH;
		return inChannels * kernel * kernel >= ratio * outputPixels ? Backend.GEMM : Backend.LIBTORCH;
	}

	/**
	 * im2col + GEMM. The padded input is laid out (C, N·Hp·Wp); one advanced-indexing gather with a
	 * (k², N·H'·W') index gives the columns (C·k², N·H'·W') in the order of the weight's own (O, C, k, k) layout,
	 * so the weight is used as stored. One gather (its backward is a single scatter-add) instead of k² strided
	 * slices: measured here, the slices' backward — a zero-filled copy of the whole input per tap — cost 3–4× the
	 * product itself.
	 */
	static NDArray lowered(NDArray x, NDArray weight, NDArray bias, Geometry g) {
		NDArray channelsFirst = x.transpose(1, 0, 2, 3);
		NDArray padded = g.pad() > 0 ? channelsFirst.pad(new Shape(g.pad(), g.pad(), g.pad(), g.pad()), 0) : channelsFirst;
		long taps = g.kh() * g.kw(), outputs = g.n() * g.ho() * g.wo();
		// the index in (tap, output) order, so that the columns come out in the weight's (C, kh, kw) order
		NDArray index;
		try (NDArray p = g.positions(x.getManager())) {
			index = p.transpose(3, 4, 0, 1, 2).reshape(taps, outputs);
		}
		NDArray columns = padded.reshape(g.c(), g.n() * g.hp() * g.wp()).get(new NDIndex(":, {}", index)).reshape(g.c() * taps, outputs);
		NDArray out = local(weight.reshape(g.o(), g.c() * taps), x).matMul(columns);
		if (bias != null) out = out.add(local(bias.reshape(g.o(), 1), x));
		return out.reshape(g.o(), g.n(), g.ho(), g.wo()).transpose(1, 0, 2, 3);
	}

	/**
	 * im2col + GEMM on the channels-last input: the padded input as (N·Hp·Wp, C) rows, one embedding lookup with a
	 * (N, H', W', k, k) index gives the columns (N·H'·W', k²·C), times the weight transposed to (k²·C, O).
	 */
	static NDArray loweredRows(NDArray x, NDArray weight, NDArray bias, Geometry g) {
		NDArray channelsLast = x.transpose(0, 2, 3, 1);
		NDArray padded = g.pad() > 0 ? channelsLast.pad(new Shape(0, 0, g.pad(), g.pad(), g.pad(), g.pad()), 0) : channelsLast;
		long taps = g.kh() * g.kw(), outputs = g.n() * g.ho() * g.wo();
		NDArray index = g.positions(x.getManager()).reshape(-1);
		NDArray columns = ai.djl.nn.core.Embedding.embedding(index, padded.reshape(g.n() * g.hp() * g.wp(), g.c()), ai.djl.ndarray.types.SparseFormat.DENSE)
			.singletonOrThrow().reshape(outputs, taps * g.c());
		NDArray out = columns.matMul(local(weight.transpose(2, 3, 1, 0), x).reshape(taps * g.c(), g.o()));
		if (bias != null) out = out.add(local(bias.reshape(1, g.o()), x));
		return out.reshape(g.n(), g.ho(), g.wo(), g.o()).transpose(0, 3, 1, 2);
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
}
