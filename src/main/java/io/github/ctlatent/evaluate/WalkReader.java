package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;

import java.util.Random;

/**
 * Walks a generator along directions from a set of base codes and has the oracle read every frame: the
 * measurement behind {@link DirectionScores} and {@link Structure3d}. Frames are rendered in chunks (bounded
 * memory, progress, cancel); a frame whose shift is zero is the base image and is read once per base.
 */
public final class WalkReader {

	/** Receives every rendered frame (direction, base, frame, image) while the walks are read; may be null. */
	public interface FrameSink {
		void accept(int k, int b, int t, float[] image);
	}

	private static final int CHUNK_FRAMES = 1024;

	private WalkReader() {}

	/** M base codes z ~ N(0, I), base b from seed + b (the same as Traversal's seeded latents). */
	public static float[][] bases(int d, int m, long seed) {
		float[][] z = new float[m][];
		for (int b = 0; b < m; b++) z[b] = Traversal.seedLatent(d, seed + b);
		return z;
	}

	/** 2S+1 shifts −T…+T. */
	public static double[] shifts(double radius, int steps) {
		double[] s = new double[2 * steps + 1];
		for (int i = 0; i < s.length; i++) s[i] = -radius + radius * i / steps;
		return s;
	}

	/**
	 * n random unit directions in d dimensions, orthonormal within each block of d (Gram–Schmidt of Gaussian
	 * vectors): the null of "random orthonormal directions".
	 */
	public static float[][] randomOrthonormal(int d, int n, long seed) {
		Random r = new Random(seed);
		float[][] out = new float[n][];
		double[][] block = new double[d][];
		for (int i = 0; i < n; i++) {
			int j = i % d;
			double[] v;
			double norm;
			do {
				v = new double[d];
				for (int c = 0; c < d; c++) v[c] = r.nextGaussian();
				for (int p = 0; p < j; p++) {
					double dot = 0;
					for (int c = 0; c < d; c++) dot += v[c] * block[p][c];
					for (int c = 0; c < d; c++) v[c] -= dot * block[p][c];
				}
				norm = 0;
				for (double x : v) norm += x * x;
				norm = Math.sqrt(norm);
			} while (norm < 1e-6);
			for (int c = 0; c < d; c++) v[c] /= norm;
			block[j] = v;
			out[i] = new float[d];
			for (int c = 0; c < d; c++) out[i][c] = (float) v[c];
		}
		return out;
	}

	/** The d coordinate axes. */
	public static float[][] axes(int d) {
		float[][] a = new float[d][d];
		for (int i = 0; i < d; i++) a[i][i] = 1;
		return a;
	}

	/** Reads every walk: direction k of {@code dirs}, from every base, at every shift. */
	public static Walks read(Generator g, FactorOracle oracle, Directions dirs, float[][] bases, double[] shifts, FrameSink sink, Monitor monitor) {
		int nk = dirs.count(), nb = bases.length, nt = shifts.length, d = g.latentDim();
		if (g.imageSize() != oracle.config().size())
			throw new io.github.ctlatent.core.ExplorerException("The generator makes " + g.imageSize() + "² images but the oracle reads "
				+ oracle.config().size() + "²: train an oracle at the generator's size.");
		double[][][][] values = new double[nk][nb][nt][];
		boolean[][][][] observable = new boolean[nk][nb][nt][];
		boolean[][][] inDist = new boolean[nk][nb][nt];
		float[][] baseImages = g.images(flatten(bases));
		FactorOracle.Reading baseRead = oracle.read(baseImages);
		boolean[] baseIn = new boolean[nb];
		for (int b = 0; b < nb; b++) baseIn[b] = oracle.inDistribution(baseImages[b], baseRead.values()[b]);
		int perDirection = nb * nt, chunkDirs = Math.max(1, CHUNK_FRAMES / perDirection);
		for (int k0 = 0; k0 < nk; k0 += chunkDirs) {
			monitor.checkCanceled();
			monitor.progress(k0, nk, "reading walks");
			int k1 = Math.min(nk, k0 + chunkDirs);
			int[][] frame = new int[(k1 - k0) * perDirection][];
			float[] latents = new float[frame.length * d];
			int n = 0;
			for (int k = k0; k < k1; k++)
				for (int t = 0; t < nt; t++) {
					float[] s = dirs.shift(k, (float) shifts[t]);
					boolean zero = isZero(s);
					for (int b = 0; b < nb; b++) {
						if (zero) {
							values[k][b][t] = baseRead.values()[b];
							observable[k][b][t] = baseRead.observable()[b];
							inDist[k][b][t] = baseIn[b];
							if (sink != null) sink.accept(k, b, t, baseImages[b]);
							continue;
						}
						for (int c = 0; c < d; c++) latents[n * d + c] = bases[b][c] + s[c];
						frame[n++] = new int[] {k, b, t};
					}
				}
			float[][] images = g.images(java.util.Arrays.copyOf(latents, n * d));
			FactorOracle.Reading read = oracle.read(images);
			for (int i = 0; i < n; i++) {
				int k = frame[i][0], b = frame[i][1], t = frame[i][2];
				values[k][b][t] = read.values()[i];
				observable[k][b][t] = read.observable()[i];
				inDist[k][b][t] = oracle.inDistribution(images[i], read.values()[i]);
				if (sink != null) sink.accept(k, b, t, images[i]);
			}
		}
		monitor.progress(nk, nk, "walks read");
		return new Walks(shifts.clone(), values, observable, inDist);
	}

	private static boolean isZero(float[] s) {
		for (float v : s) if (v != 0) return false;
		return true;
	}

	static float[] flatten(float[][] rows) {
		int d = rows[0].length;
		float[] f = new float[rows.length * d];
		for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, f, i * d, d);
		return f;
	}
}
