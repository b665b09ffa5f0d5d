package io.github.ctlatent.engine;

/**
 * The layers the models use, written out from their definitions in plain Java double precision: the independent
 * reference {@link NumericsCheck} compares libtorch's results against. Arrays are dense NCHW (weights OIHW), as
 * libtorch stores them. Slow on purpose: nothing here is shared with, or lowered like, the engine's kernels.
 */
final class ReferenceOps {

	private ReferenceOps() {}

	/** A 4-D shape and its flat NCHW index. */
	record Dims(int n, int c, int h, int w) {
		int size() {
			return n * c * h * w;
		}

		int at(int a, int b, int y, int x) {
			return ((a * c + b) * h + y) * w + x;
		}
	}

	/**
	 * Cross-correlation as torch.nn.functional.conv2d: out[n,o,i,j] = Σ x[n,c,s·i−p+ky, s·j−p+kx]·w[o,c,ky,kx].
	 * The three functions below are this sum read three ways; each visits the same (output, tap) pairs.
	 */
	static double[] conv2d(double[] x, Dims xd, double[] w, Dims wd, int stride, int pad) {
		Dims od = outDims(xd, wd, stride, pad);
		double[] out = new double[od.size()];
		visit(xd, wd, od, stride, pad, (xi, wi, oi) -> out[oi] += x[xi] * w[wi]);
		return out;
	}

	/** ∂/∂x of Σ conv2d(x, w)·g: the input gradient, which is also a transposed convolution of g with w. */
	static double[] conv2dInputGrad(double[] g, Dims xd, double[] w, Dims wd, int stride, int pad) {
		Dims od = outDims(xd, wd, stride, pad);
		double[] dx = new double[xd.size()];
		visit(xd, wd, od, stride, pad, (xi, wi, oi) -> dx[xi] += g[oi] * w[wi]);
		return dx;
	}

	/** ∂/∂w of Σ conv2d(x, w)·g. */
	static double[] conv2dWeightGrad(double[] g, double[] x, Dims xd, Dims wd, int stride, int pad) {
		Dims od = outDims(xd, wd, stride, pad);
		double[] dw = new double[wd.size()];
		visit(xd, wd, od, stride, pad, (xi, wi, oi) -> dw[wi] += g[oi] * x[xi]);
		return dw;
	}

	static Dims outDims(Dims xd, Dims wd, int stride, int pad) {
		return new Dims(xd.n(), wd.n(), (xd.h() + 2 * pad - wd.h()) / stride + 1, (xd.w() + 2 * pad - wd.w()) / stride + 1);
	}

	private interface Tap {
		void at(int xIndex, int wIndex, int outIndex);
	}

	private static void visit(Dims xd, Dims wd, Dims od, int stride, int pad, Tap tap) {
		for (int n = 0; n < od.n(); n++)
			for (int o = 0; o < od.c(); o++)
				for (int i = 0; i < od.h(); i++)
					for (int j = 0; j < od.w(); j++)
						for (int c = 0; c < xd.c(); c++)
							for (int ky = 0; ky < wd.h(); ky++) {
								int y = stride * i - pad + ky;
								if (y < 0 || y >= xd.h()) continue;
								for (int kx = 0; kx < wd.w(); kx++) {
									int xx = stride * j - pad + kx;
									if (xx >= 0 && xx < xd.w()) tap.at(xd.at(n, c, y, xx), wd.at(o, c, ky, kx), od.at(n, o, i, j));
								}
							}
	}

	/** y = x·wᵀ + b for x (n, in), w (out, in), b (out). */
	static double[] linear(double[] x, int n, int in, double[] w, int out, double[] b) {
		double[] y = new double[n * out];
		for (int r = 0; r < n; r++)
			for (int o = 0; o < out; o++) {
				double s = b[o];
				for (int i = 0; i < in; i++) s += x[r * in + i] * w[o * in + i];
				y[r * out + o] = s;
			}
		return y;
	}

	/** Gradients of Σ linear(x, w, b)·g: {dx (n, in), dw (out, in), db (out)}. */
	static double[][] linearGrads(double[] g, double[] x, int n, int in, double[] w, int out) {
		double[] dx = new double[n * in], dw = new double[out * in], db = new double[out];
		for (int r = 0; r < n; r++)
			for (int o = 0; o < out; o++) {
				double go = g[r * out + o];
				db[o] += go;
				for (int i = 0; i < in; i++) {
					dx[r * in + i] += go * w[o * in + i];
					dw[o * in + i] += go * x[r * in + i];
				}
			}
		return new double[][] {dx, dw, db};
	}

	/**
	 * Batch normalisation over (N, H, W) per channel. Training mode (mean, var == null) normalises with the batch's
	 * mean and biased variance; evaluation mode with the given running statistics.
	 */
	static double[] batchNorm(double[] x, Dims d, double[] gamma, double[] beta, double[] mean, double[] var, double eps) {
		double[][] stats = mean == null ? batchStats(x, d) : new double[][] {mean, var};
		double[] y = new double[x.length];
		forEach(d, (c, i) -> y[i] = gamma[c] * (x[i] - stats[0][c]) / Math.sqrt(stats[1][c] + eps) + beta[c]);
		return y;
	}

	/** Training-mode gradients of Σ batchNorm(x)·g: {dx, dγ, dβ}. */
	static double[][] batchNormGrads(double[] g, double[] x, Dims d, double[] gamma, double eps) {
		double[][] stats = batchStats(x, d);
		int c = d.c();
		double m = (double) d.n() * d.h() * d.w();
		double[] sumG = new double[c], sumGx = new double[c], dx = new double[x.length];
		double[] inv = new double[c];
		for (int k = 0; k < c; k++) inv[k] = 1 / Math.sqrt(stats[1][k] + eps);
		forEach(d, (k, i) -> {
			sumG[k] += g[i];
			sumGx[k] += g[i] * (x[i] - stats[0][k]) * inv[k];
		});
		forEach(d, (k, i) -> {
			double xhat = (x[i] - stats[0][k]) * inv[k];
			dx[i] = gamma[k] * inv[k] / m * (m * g[i] - sumG[k] - xhat * sumGx[k]);
		});
		return new double[][] {dx, sumGx, sumG};
	}

	/** {mean, biased variance} per channel. */
	static double[][] batchStats(double[] x, Dims d) {
		double[] mean = new double[d.c()], var = new double[d.c()];
		double m = (double) d.n() * d.h() * d.w();
		forEach(d, (c, i) -> mean[c] += x[i] / m);
		forEach(d, (c, i) -> var[c] += (x[i] - mean[c]) * (x[i] - mean[c]) / m);
		return new double[][] {mean, var};
	}

	private interface ChannelElement {
		void at(int channel, int index);
	}

	private static void forEach(Dims d, ChannelElement f) {
		for (int n = 0; n < d.n(); n++)
			for (int c = 0; c < d.c(); c++)
				for (int y = 0; y < d.h(); y++)
					for (int x = 0; x < d.w(); x++) f.at(c, d.at(n, c, y, x));
	}
}
