package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Pace;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;

import java.util.Random;

/**
 * Walks a generator along directions from a set of base codes and has the oracle read every frame: the
 * measurement behind {@link DirectionScores} and {@link Structure3d}. Frames are rendered in batches (bounded
 * memory, progress, cancel); a frame whose shift is zero is the base image and is read once per base.
 */
public final class WalkReader {

	/** Receives every rendered frame (direction, base, frame, image) while the walks are read; may be null. */
	public interface FrameSink {
		void accept(int k, int b, int t, float[] image);
	}

	/**
	 * Frames rendered and read at once: about half a second on one busy CPU thread (generator and oracle at 64²), so a
	 * cancel is honoured promptly. Fixed, not sized by time: a frame's last bits depend on the batch it is rendered in.
	 */
	private static final int BATCH_FRAMES = 64;

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

	/**
	 * Reads every walk: direction k of {@code dirs}, from every base, at every shift, in batches of
	 * {@value #BATCH_FRAMES} frames (a cancel waits for one batch; {@link Pace} logs the time to go).
	 */
	public static Walks read(Generator g, FactorOracle oracle, Directions dirs, float[][] bases, double[] shifts, FrameSink sink, Monitor monitor) {
		int nk = dirs.count(), nb = bases.length, nt = shifts.length, d = g.latentDim();
		if (g.imageSize() != oracle.config().size())
			throw new io.github.ctlatent.core.ExplorerException("The generator makes " + g.imageSize() + "² images but the oracle reads "
				+ oracle.config().size() + "²: train an oracle at the generator's size.");
		double[][][][] values = new double[nk][nb][nt][];
		boolean[][][][] observable = new boolean[nk][nb][nt][];
		boolean[][][] inDist = new boolean[nk][nb][nt];
		// the base images (the frames of shift 0), in batches too: up to 10,000 bases
		float[][] baseImages = new float[nb][];
		double[][] baseValues = new double[nb][];
		boolean[][] baseObservable = new boolean[nb][];
		boolean[] baseIn = new boolean[nb];
		for (int b0 = 0; b0 < nb; b0 += BATCH_FRAMES) {
			monitor.checkCanceled();
			int b1 = Math.min(nb, b0 + BATCH_FRAMES);
			float[][] images = g.images(flatten(java.util.Arrays.copyOfRange(bases, b0, b1)));
			FactorOracle.Reading read = oracle.read(images);
			for (int b = b0; b < b1; b++) {
				baseImages[b] = images[b - b0];
				baseValues[b] = read.values()[b - b0];
				baseObservable[b] = read.observable()[b - b0];
				baseIn[b] = oracle.inDistribution(baseImages[b], baseValues[b]);
			}
		}
		long total = (long) nk * nt * nb;
		Pace pace = new Pace(monitor, "Reading walks", total, "frames");
		int[][] frame = new int[BATCH_FRAMES][];
		float[] latents = new float[BATCH_FRAMES * d], s = null;
		boolean zero = false;
		// frame i is direction i / (nt·nb), shift (i / nb) mod nt, base i mod nb
		for (long i = 0; i < total;) {
			monitor.checkCanceled();
			monitor.progress(i, total, "reading walks");
			int n = 0;
			long from = i;
			for (; i < total && n < BATCH_FRAMES; i++) {
				int k = (int) (i / ((long) nt * nb)), t = (int) (i / nb % nt), b = (int) (i % nb);
				if (b == 0) {
					s = dirs.shift(k, (float) shifts[t]);
					zero = isZero(s);
				}
				if (zero) {
					values[k][b][t] = baseValues[b];
					observable[k][b][t] = baseObservable[b];
					inDist[k][b][t] = baseIn[b];
					if (sink != null) sink.accept(k, b, t, baseImages[b]);
					continue;
				}
				for (int c = 0; c < d; c++) latents[n * d + c] = bases[b][c] + s[c];
				frame[n++] = new int[] {k, b, t};
			}
			if (n > 0) {
				float[][] images = g.images(java.util.Arrays.copyOf(latents, n * d));
				FactorOracle.Reading read = oracle.read(images);
				for (int j = 0; j < n; j++) {
					int[] f = frame[j];
					values[f[0]][f[1]][f[2]] = read.values()[j];
					observable[f[0]][f[1]][f[2]] = read.observable()[j];
					inDist[f[0]][f[1]][f[2]] = oracle.inDistribution(images[j], read.values()[j]);
					if (sink != null) sink.accept(f[0], f[1], f[2], images[j]);
				}
			}
			pace.done(i - from);
		}
		monitor.checkCanceled();
		monitor.progress(total, total, "walks read");
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
