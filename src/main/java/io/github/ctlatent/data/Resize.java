package io.github.ctlatent.data;

import java.util.Locale;

/**
 * Separable 2D resampling of float images. {@link Interpolation#LANCZOS4} reproduces OpenCV's
 * {@code INTER_LANCZOS4} as used by the seed paper: a fixed 8-tap kernel around the source position
 * {@code (dst + 0.5) * scale - 0.5}, weights sinc(x)·sinc(x/4) normalised to sum 1, and <b>no antialiasing</b>
 * when shrinking (the kernel is not widened). Out-of-image taps repeat the edge pixel (as OpenCV does; checked against OpenCV 4.6 output in the tests). {@link Interpolation#AREA}
 * averages the covered source pixels (antialiased), {@link Interpolation#BILINEAR} is plain 2-tap.
 */
public final class Resize {

	public enum Interpolation {
		LANCZOS4, BILINEAR, AREA;

		public static Interpolation parse(String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw new io.github.ctlatent.core.ExplorerException("Unknown interpolation '" + s + "'. Use lanczos4, bilinear or area.");
			}
		}
	}

	/** Taps of one output coordinate: source indices and weights. */
	private record Taps(int[][] index, float[][] weight) {}

	private Resize() {}

	/** Resizes a {@code w × h} image (x fastest) to {@code nw × nh}. */
	public static float[] resize(float[] src, int w, int h, int nw, int nh, Interpolation method) {
		if (w == nw && h == nh) return src.clone();
		Taps tx = taps(w, nw, method), ty = taps(h, nh, method);
		// horizontal pass: h rows of nw
		float[] tmp = new float[nw * h];
		for (int y = 0; y < h; y++) {
			int row = y * w;
			for (int x = 0; x < nw; x++) {
				int[] idx = tx.index[x];
				float[] wt = tx.weight[x];
				float s = 0;
				for (int k = 0; k < idx.length; k++) s += wt[k] * src[row + idx[k]];
				tmp[y * nw + x] = s;
			}
		}
		float[] dst = new float[nw * nh];
		for (int y = 0; y < nh; y++) {
			int[] idx = ty.index[y];
			float[] wt = ty.weight[y];
			int out = y * nw;
			for (int k = 0; k < idx.length; k++) {
				int in = idx[k] * nw;
				float c = wt[k];
				for (int x = 0; x < nw; x++) dst[out + x] += c * tmp[in + x];
			}
		}
		return dst;
	}

	private static Taps taps(int n, int m, Interpolation method) {
		double scale = n / (double) m;
		int[][] index = new int[m][];
		float[][] weight = new float[m][];
		for (int d = 0; d < m; d++) {
			double f = (d + 0.5) * scale - 0.5;
			switch (method) {
				case LANCZOS4 -> {
					int s = (int) Math.floor(f);
					double frac = f - s;
					index[d] = new int[8];
					weight[d] = lanczos4(frac);
					for (int k = 0; k < 8; k++) index[d][k] = clamp(s - 3 + k, n);
				}
				case BILINEAR -> {
					int s = (int) Math.floor(f);
					float frac = (float) (f - s);
					index[d] = new int[] {clamp(s, n), clamp(s + 1, n)};
					weight[d] = new float[] {1 - frac, frac};
				}
				case AREA -> {
					double a = d * scale, b = (d + 1) * scale;
					int s0 = (int) Math.floor(a), s1 = Math.min(n, (int) Math.ceil(b));
					index[d] = new int[s1 - s0];
					weight[d] = new float[s1 - s0];
					for (int s = s0; s < s1; s++) {
						index[d][s - s0] = clamp(s, n);
						weight[d][s - s0] = (float) ((Math.min(b, s + 1) - Math.max(a, s)) / scale);
					}
				}
			}
		}
		return new Taps(index, weight);
	}

	/** OpenCV's Lanczos-4 weights for taps at offsets −3…+4 from floor(f), fractional part {@code x}. */
	static float[] lanczos4(double x) {
		float[] c = new float[8];
		if (x < 1e-7) {
			c[3] = 1;
			return c;
		}
		double sum = 0;
		for (int i = 0; i < 8; i++) {
			double t = x + 3 - i; // distance from tap i to the sample position
			double v = sinc(Math.PI * t) * sinc(Math.PI * t / 4);
			c[i] = (float) v;
			sum += v;
		}
		for (int i = 0; i < 8; i++) c[i] = (float) (c[i] / sum);
		return c;
	}

	private static double sinc(double x) {
		return Math.abs(x) < 1e-12 ? 1 : Math.sin(x) / x;
	}

	private static int clamp(int i, int n) {
		return i < 0 ? 0 : i >= n ? n - 1 : i;
	}
}
