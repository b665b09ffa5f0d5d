package io.github.ctlatent.train;

import java.util.Arrays;
import java.util.Random;

/**
 * Sliced Wasserstein distance between two sets of images on local patches at several scales (after Karras et al.,
 * "Progressive Growing of GANs", §5): a sample-quality figure that needs no pretrained network. For each scale
 * (full, ½, ¼ resolution by box averaging) random 7×7 patches are drawn, normalised with the first (real) set's
 * statistics, projected on random unit directions, sorted, and compared; the result is the mean over scales of
 * the mean absolute difference of the sorted projections, ×1000. 0 for identical distributions.
 */
public final class SlicedWasserstein {

	private static final int PATCH = 7, PATCHES_PER_IMAGE = 32, DIRECTIONS = 128;

	private SlicedWasserstein() {}

	/** @param real, fake images of {@code size²} values, x fastest */
	public static double distance(float[][] real, float[][] fake, int size, long seed) {
		double sum = 0;
		int levels = 0;
		float[][] r = real, f = fake;
		for (int s = size; ; s /= 2) { // scales down to 16² (a single scale for smaller images)
			sum += level(r, f, s, new Random(seed + s));
			levels++;
			if (s / 2 < 16) break;
			r = half(r, s);
			f = half(f, s);
		}
		return 1000 * sum / levels;
	}

	private static double level(float[][] real, float[][] fake, int size, Random rnd) {
		int n = Math.min(real.length, fake.length) * PATCHES_PER_IMAGE, dim = PATCH * PATCH;
		float[][] pr = patches(real, size, n, rnd), pf = patches(fake, size, n, rnd);
		double mean = 0, sq = 0;
		for (float[] p : pr) for (float v : p) { mean += v; sq += v * v; }
		mean /= (double) n * dim;
		double std = Math.sqrt(Math.max(1e-12, sq / ((double) n * dim) - mean * mean));
		double total = 0;
		float[] a = new float[n], b = new float[n];
		for (int d = 0; d < DIRECTIONS; d++) {
			double[] dir = new double[dim];
			double norm = 0;
			for (int i = 0; i < dim; i++) { dir[i] = rnd.nextGaussian(); norm += dir[i] * dir[i]; }
			norm = Math.sqrt(norm);
			for (int k = 0; k < n; k++) {
				a[k] = project(pr[k], dir, mean, std, norm);
				b[k] = project(pf[k], dir, mean, std, norm);
			}
			Arrays.sort(a);
			Arrays.sort(b);
			double s = 0;
			for (int k = 0; k < n; k++) s += Math.abs(a[k] - b[k]);
			total += s / n;
		}
		return total / DIRECTIONS;
	}

	private static float project(float[] p, double[] dir, double mean, double std, double norm) {
		double s = 0;
		for (int i = 0; i < p.length; i++) s += (p[i] - mean) * dir[i];
		return (float) (s / (std * norm));
	}

	private static float[][] patches(float[][] images, int size, int n, Random rnd) {
		float[][] out = new float[n][PATCH * PATCH];
		for (int k = 0; k < n; k++) {
			float[] img = images[k % images.length];
			int ox = rnd.nextInt(size - PATCH + 1), oy = rnd.nextInt(size - PATCH + 1);
			for (int y = 0; y < PATCH; y++) System.arraycopy(img, (oy + y) * size + ox, out[k], y * PATCH, PATCH);
		}
		return out;
	}

	private static float[][] half(float[][] images, int size) {
		int h = size / 2;
		float[][] out = new float[images.length][h * h];
		for (int i = 0; i < images.length; i++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < h; x++) {
					float[] im = images[i];
					int p = 2 * y * size + 2 * x;
					out[i][y * h + x] = (im[p] + im[p + 1] + im[p + size] + im[p + size + 1]) / 4;
				}
		return out;
	}
}
