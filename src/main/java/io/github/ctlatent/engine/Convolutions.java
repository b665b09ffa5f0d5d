package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.NumericsPolicy.ConvBackend;

/**
 * Every 2D convolution of the models goes through here, so that the numerics configuration the process was
 * checked with decides how it is computed ({@link NumericsPolicy#convBackend}):
 * <ul>
 * <li>{@link ConvBackend#LIBTORCH}: libtorch's own convolution (oneDNN, or its im2col kernels when oneDNN is off);</li>
 * <li>{@link ConvBackend#GEMM} / {@link ConvBackend#GEMM_ROWS}: lowered to one matrix multiplication in this class —
 * im2col as a single gather, then BLAS. It uses no oneDNN kernel at all, only the matrix multiplication that is
 * correct on the CPUs where libtorch's oneDNN convolutions are not (docs/numerics.md), and autograd differentiates
 * the gather and the product like any other op.</li>
 * </ul>
 * Only on the CPU: a GPU layer always gets libtorch's kernel.
 */
public final class Convolutions {

	private Convolutions() {}

	/** {@code x} (N, C, H, W) convolved with {@code weight} (O, C, k, k), optional {@code bias} (O): (N, O, H', W'). */
	public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int pad) {
		return conv2d(x, weight, bias, stride, pad, backendFor(x, weight, stride, pad));
	}

	/** The same with the backend given (the numerics check runs every backend a configuration uses). */
	public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int pad, ConvBackend backend) {
		if (backend == ConvBackend.GEMM) return lowered(x, weight, bias, Geometry.of(x.getShape(), weight.getShape(), stride, pad));
		if (backend == ConvBackend.GEMM_ROWS) return loweredRows(x, weight, bias, Geometry.of(x.getShape(), weight.getShape(), stride, pad));
		if (backend == ConvBackend.LIBTORCH_PADDED) return padded(x, weight, bias, stride, pad);
		if (backend == ConvBackend.LIBTORCH_BLOCKED)
			return blockable(x.getShape(), weight.getShape(), stride, pad) ? blocked(x, weight, bias, pad) : padded(x, weight, bias, stride, pad);
		return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(pad, pad)).singletonOrThrow();
	}

	/** The backend the active configuration gives this layer. */
	public static ConvBackend backendFor(NDArray x, NDArray weight, int stride, int pad) {
		return x.getDevice().isGpu() ? ConvBackend.LIBTORCH : backendFor(x.getShape(), weight.getShape(), stride, pad);
	}

	/** The backend the active configuration gives a CPU convolution of these shapes. */
	public static ConvBackend backendFor(Shape input, Shape weight, int stride, int pad) {
		Geometry g = Geometry.of(input, weight, stride, pad);
		return NumericsPolicy.convBackend(NumericsConfig.active(), g.c(), g.o(), (int) Math.max(g.kh(), g.kw()), g.ho() * g.wo(), g.n() * g.h() * g.w());
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
	 * libtorch's convolution with the output channels padded by zero filters to a multiple of
	 * {@link NumericsPolicy#lanes()} (oneDNN's register width here), the extra channels sliced off: the kernels then see no output-channel tail, the
	 * one kind of layer AMD Zen 5's full-width oneDNN computed wrongly (its input gradient; docs/numerics.md). The
	 * slice's backward feeds zeros to the padded channels, so the input gradient is that of the real filters.
	 */
	static NDArray padded(NDArray x, NDArray weight, NDArray bias, int stride, int pad) {
		Shape ws = weight.getShape();
		long o = ws.get(0), lanes = NumericsPolicy.lanes(), extra = (lanes - o % lanes) % lanes;
		NDArray w = local(weight.reshape(ws), x), b = bias == null ? null : local(bias.reshape(bias.getShape()), x);
		if (extra > 0) {
			w = w.concat(x.getManager().zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3)), weight.getDataType()), 0);
			if (b != null) b = b.concat(x.getManager().zeros(new Shape(extra), bias.getDataType()), 0);
		}
		NDArray out = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad)).singletonOrThrow();
		return extra > 0 ? out.get(new NDIndex(":, :{}", o)) : out;
	}

	/** Side of {@link ConvBackend#LIBTORCH_BLOCKED}'s space-to-depth blocks: 4×4 pixels turn one output channel into 16. */
	static final int BLOCK = 4;

	/**
	 * True when a convolution of these sizes can run on {@link #BLOCK}-pixel blocks: stride 1, an odd kernel with
	 * "same" padding no wider than a block, image sides multiples of the block.
	 */
	public static boolean blockable(Shape input, Shape weight, int stride, int pad) {
		long k = weight.get(2);
		return stride == 1 && k == weight.get(3) && k % 2 == 1 && pad == (k - 1) / 2 && pad <= BLOCK
			&& input.get(2) % BLOCK == 0 && input.get(3) % BLOCK == 0;
	}

	/** {@link #blocked}'s gather indices into the flattened weight (plus one zero at the end), by (O, C, k). */
	private static final java.util.Map<java.util.List<Long>, long[]> BLOCK_INDEX = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * The same convolution computed on 4×4 blocks: the input rearranged space-to-depth, (N, C, H, W) → (N, 16·C, H/4,
	 * W/4), one 3×3 convolution on the blocks whose 16·O output channels are the 16 pixels of each block, and the
	 * output rearranged back. For a one-output-channel layer this is what whole registers cost without padding: the
	 * padded form writes (and zero-fills in its backward) 16 channels to keep one, this one writes one. Its weight is a
	 * fixed rearrangement of the real weight (zeros where a block pixel's window misses a tap), gathered on every call
	 * so that its gradient flows back to the real weight. Coarse tap (ty, tx) of block pixel (a, b), input pixel (i, j)
	 * of the block is fine tap u = (ty − 1)·4 + i − a + pad (same for v), when that lies in the kernel.
	 */
	public static NDArray blocked(NDArray x, NDArray weight, NDArray bias, int pad) {
		Shape s = x.getShape(), ws = weight.getShape();
		long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3), o = ws.get(0), k = ws.get(2), blocks = BLOCK * BLOCK;
		long[] index = BLOCK_INDEX.computeIfAbsent(java.util.List.of(o, c, k), key -> blockIndex((int) o, (int) c, (int) k));
		NDArray flat = local(weight.reshape(ws), x).reshape(-1).concat(x.getManager().zeros(new Shape(1), weight.getDataType()));
		NDArray w16 = flat.get(x.getManager().create(index)).reshape(o * blocks, c * blocks, 3, 3);
		NDArray b16 = bias == null ? null : local(bias.reshape(bias.getShape()), x).reshape(o, 1).repeat(1, blocks).reshape(-1);
		NDArray xb = x.reshape(n, c, h / BLOCK, BLOCK, w / BLOCK, BLOCK).transpose(0, 1, 3, 5, 2, 4).reshape(n, c * blocks, h / BLOCK, w / BLOCK);
		NDArray yb = ai.djl.nn.convolutional.Conv2d.conv2d(xb, w16, b16, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
		return yb.reshape(n, o, BLOCK, BLOCK, h / BLOCK, w / BLOCK).transpose(0, 1, 4, 2, 5, 3).reshape(n, o, h, w);
	}

	private static long[] blockIndex(int o, int c, int k) {
		int pad = (k - 1) / 2, zero = o * c * k * k, q = 0;
		long[] index = new long[o * BLOCK * BLOCK * c * BLOCK * BLOCK * 9];
		for (int oo = 0; oo < o; oo++) for (int a = 0; a < BLOCK; a++) for (int b = 0; b < BLOCK; b++)
			for (int cc = 0; cc < c; cc++) for (int i = 0; i < BLOCK; i++) for (int j = 0; j < BLOCK; j++)
				for (int ty = 0; ty < 3; ty++) for (int tx = 0; tx < 3; tx++) {
					int u = (ty - 1) * BLOCK + i - a + pad, v = (tx - 1) * BLOCK + j - b + pad;
					index[q++] = u < 0 || u >= k || v < 0 || v >= k ? zero : ((oo * c + cc) * k + u) * k + v;
				}
		return index;
	}

	/**
	 * {@code view} (a reshape of a parameter) moved to {@code input}'s manager: DJL puts an op's result in the
	 * manager of its first operand, which for a parameter is the model's — a per-call view would otherwise live as
	 * long as the model. Everything computed from it then follows it into the caller's (per-step) manager.
	 */
	public static NDArray local(NDArray view, NDArray input) {
		view.attach(input.getManager());
		return view;
	}
}
