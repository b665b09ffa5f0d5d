package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * FastICA (Hyvärinen &amp; Oja 2000) with symmetric decorrelation and the log-cosh contrast: the data are centred and
 * whitened onto their top {@code k} principal components, then an orthogonal unmixing W is iterated by the fixed
 * point W ← E[g(WY)·Yᵀ] − diag(E[g′(WY)])·W, g = tanh, followed by W ← (WWᵀ)^−½·W, until every row stops turning.
 * Deterministic from the seed (the initial W), in double precision.
 *
 * @param mixing     k rows: the input-space vector each unit-variance source adds (x = mean + Σ s_c·a_c), largest
 *                   {@code variance} first
 * @param sources    the sources of every sample (N × k), unit variance, in the order of {@code mixing}
 * @param variance   input-space variance each source explains, ‖a_c‖² (the order)
 * @param negentropy (E log cosh s − E log cosh ν)², ν standard normal: how far from Gaussian each source is
 * @param iterations fixed-point iterations run
 * @param converged  whether the largest change of a row fell below {@link #TOLERANCE}
 * @param change     that largest change at the last iteration (1 − |⟨w_new, w_old⟩|)
 */
public record FastIca(double[][] mixing, double[][] sources, double[] variance, double[] negentropy, int iterations, boolean converged,
	double change) {

	/** Convergence threshold on 1 − |⟨w_new, w_old⟩| (scikit-learn's default is 1e-4; this is stricter). */
	public static final double TOLERANCE = 1e-5;
	public static final int MAX_ITERATIONS = 1000;
	/** E[log cosh ν] for ν ~ N(0, 1) (numerical integration), the Gaussian reference of the negentropy. */
	static final double GAUSSIAN_LOGCOSH = 0.3745672075;

	/** Runs FastICA on the rows of {@code x} (N × p) for {@code k} components, at most {@link #MAX_ITERATIONS} iterations. */
	public static FastIca of(double[][] x, int k, long seed, Monitor m) {
		return of(x, k, seed, MAX_ITERATIONS, m);
	}

	static FastIca of(double[][] x, int k, long seed, int maxIterations, Monitor m) {
		int n = x.length, p = x[0].length;
		if (k < 1 || k > p) throw new ExplorerException("ICA finds at most " + p + " components (the input size), asked for " + k + ".");
		if (n <= 2 * k) throw new ExplorerException("ICA needs more than " + 2 * k + " samples for " + k + " components, got " + n + ".");
		for (double[] r : x) for (double v : r) if (!Double.isFinite(v)) throw new ExplorerException("ICA input contains NaN or infinite values; check the generator or codes.");
		double[][] xc = Pca.centred(x);
		SymmetricEigen pca = SymmetricEigen.of(Pca.covariance(xc));
		double[] sd = new double[k];
		for (int c = 0; c < k; c++) {
			if (!(pca.values()[c] > 1e-12 * Math.max(pca.values()[0], Double.MIN_NORMAL)))
				throw new ExplorerException("The input has rank " + c + " < " + k + " (ICA whitens onto the top principal components); ask for fewer directions.");
			sd[c] = Math.sqrt(pca.values()[c]);
		}
		double[][] y = new double[n][k]; // whitened: y_c = e_cᵀ·xc / √λ_c
		for (int s = 0; s < n; s++)
			for (int c = 0; c < k; c++) {
				double v = 0;
				for (int i = 0; i < p; i++) v += pca.vectors()[c][i] * xc[s][i];
				y[s][c] = v / sd[c];
			}
		SplittableRandom rnd = new SplittableRandom(seed);
		double[][] w = new double[k][k];
		for (double[] r : w) for (int j = 0; j < k; j++) r[j] = rnd.nextGaussian();
		w = decorrelate(w);
		int it = 0;
		double change = Double.NaN;
		boolean converged = false;
		while (it < maxIterations && !converged) {
			m.checkCanceled();
			double[][] next = decorrelate(step(y, w));
			change = 0;
			for (int c = 0; c < k; c++) {
				double dot = 0;
				for (int j = 0; j < k; j++) dot += next[c][j] * w[c][j];
				change = Math.max(change, Math.abs(1 - Math.abs(dot)));
			}
			w = next;
			it++;
			converged = change < TOLERANCE;
			if (it % 50 == 0) m.progress(it, maxIterations, String.format("FastICA iteration %d, change %.2e", it, change));
		}
		return ordered(y, w, pca, sd, it, converged, change);
	}

	/** One fixed-point step W₊ = E[g(u)·yᵀ] − diag(E[g′(u)])·W with u = W·y, g = tanh. */
	private static double[][] step(double[][] y, double[][] w) {
		int n = y.length, k = w.length;
		double[][] next = new double[k][k];
		double[] meanDeriv = new double[k];
		for (double[] ys : y)
			for (int c = 0; c < k; c++) {
				double u = 0;
				for (int j = 0; j < k; j++) u += w[c][j] * ys[j];
				double g = Math.tanh(u);
				meanDeriv[c] += 1 - g * g;
				for (int j = 0; j < k; j++) next[c][j] += g * ys[j];
			}
		for (int c = 0; c < k; c++)
			for (int j = 0; j < k; j++) next[c][j] = next[c][j] / n - meanDeriv[c] / n * w[c][j];
		return next;
	}

	/** Symmetric decorrelation (WWᵀ)^−½·W: the nearest orthogonal matrix, treating every row alike. */
	static double[][] decorrelate(double[][] w) {
		int k = w.length;
		double[][] wwt = Pca.mul(w, transpose(w));
		SymmetricEigen e = SymmetricEigen.of(wwt);
		double[][] inv = new double[k][k];
		for (int c = 0; c < k; c++) {
			if (!(e.values()[c] > 0)) throw new ExplorerException("FastICA lost rank (a degenerate unmixing matrix); try another seed or fewer directions.");
			double s = 1 / Math.sqrt(e.values()[c]);
			double[] v = e.vectors()[c];
			for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) inv[i][j] += s * v[i] * v[j];
		}
		return Pca.mul(inv, w);
	}

	/** log cosh u without overflowing for large |u|. */
	static double logCosh(double u) {
		double a = Math.abs(u);
		return a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
	}

	static double[][] transpose(double[][] a) {
		double[][] t = new double[a[0].length][a.length];
		for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
		return t;
	}

	/** Sources, mixing vectors (a_c = Σ_j W[c][j]·√λ_j·e_j) and figures, ordered by explained variance. */
	private static FastIca ordered(double[][] y, double[][] w, SymmetricEigen pca, double[] sd, int it, boolean converged, double change) {
		int n = y.length, k = w.length, p = pca.vectors()[0].length;
		double[][] mix = new double[k][p];
		double[] variance = new double[k], negentropy = new double[k];
		for (int c = 0; c < k; c++) {
			for (int j = 0; j < k; j++) for (int i = 0; i < p; i++) mix[c][i] += w[c][j] * sd[j] * pca.vectors()[j][i];
			for (double v : mix[c]) variance[c] += v * v;
		}
		double[][] s = new double[n][k];
		for (int r = 0; r < n; r++)
			for (int c = 0; c < k; c++) {
				double u = 0;
				for (int j = 0; j < k; j++) u += w[c][j] * y[r][j];
				s[r][c] = u;
				negentropy[c] += logCosh(u) / n;
			}
		for (int c = 0; c < k; c++) negentropy[c] = Math.pow(negentropy[c] - GAUSSIAN_LOGCOSH, 2);
		Integer[] order = new Integer[k];
		for (int c = 0; c < k; c++) order[c] = c;
		Arrays.sort(order, Comparator.comparingDouble(c -> -variance[c]));
		double[][] mixO = new double[k][], sO = new double[n][k];
		double[] varO = new double[k], negO = new double[k];
		for (int r = 0; r < k; r++) {
			int c = order[r];
			mixO[r] = mix[c];
			varO[r] = variance[c];
			negO[r] = negentropy[c];
			for (int t = 0; t < n; t++) sO[t][r] = s[t][c];
		}
		return new FastIca(mixO, sO, varO, negO, it, converged, change);
	}
}
