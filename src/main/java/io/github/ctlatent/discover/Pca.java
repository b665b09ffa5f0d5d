package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.Generator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Principal directions, GANSpace-style (Härkönen et al., NeurIPS 2020): principal components of the generator's
 * first-layer features for random latents, mapped back to latent directions by least-squares regression of the
 * latents on the PCA scores; or plain PCA of given latent codes (e.g. VAE posterior means).
 * <p>
 * The features f = W·z of a linear first layer all lie in the ≤ d-dimensional range of W, so their PCA is done
 * exactly through d×d matrices (never forming the features × features covariance): with S the sample covariance
 * of z, R = S^½ and P = R·WᵀW·R = Σ λ e eᵀ, the feature axes are u = W·R·e/√λ and the scores x = eᵀ·R·WᵀW·(z − z̄)/√λ.
 * A bias of the first layer shifts f but not its covariance, so it plays no role.
 */
public final class Pca {

	private Pca() {}

	/** The top {@code k} GANSpace directions of {@code g} (unit length; variance of the feature component in the stats). */
	public static DirectionSet ofGenerator(Generator g, int k, int samples, long seed) {
		float[][] w = g.firstLayerLinearMap();
		if (w == null)
			throw new ExplorerException("PCA of first-layer features needs a generator whose first layer is linear in the latent (the DCGAN); "
				+ "this generator (" + g.fingerprint() + ") does not expose one. Use method=voynov, or Pca.ofLatents on encoder codes.");
		return ofLinearMap(w, k, samples, seed, g.fingerprint());
	}

	/** GANSpace directions of an explicit (features × d) first-layer map. */
	public static DirectionSet ofLinearMap(float[][] w, int k, int samples, long seed, String fingerprint) {
		int d = w[0].length;
		if (k < 1 || k > d) throw new ExplorerException("PCA finds at most " + d + " directions (the latent size), asked for " + k + ".");
		if (samples <= d) throw new ExplorerException("PCA needs more latent samples than latent dimensions (" + d + "), got " + samples + ".");
		double[][] gram = new double[d][d]; // WᵀW
		for (float[] r : w)
			for (int i = 0; i < d; i++) {
				if (r[i] == 0) continue;
				for (int j = i; j < d; j++) gram[i][j] += (double) r[i] * r[j];
			}
		for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) gram[i][j] = gram[j][i];
		SplittableRandom rnd = new SplittableRandom(seed);
		double[][] z = new double[samples][d];
		for (double[] row : z) for (int i = 0; i < d; i++) row[i] = rnd.nextGaussian();
		double[][] zc = centred(z);
		double[][] root = sqrtPsd(covariance(zc));
		SymmetricEigen eig = SymmetricEigen.of(mul(mul(root, gram), root));
		// scores x[n][c] = e_cᵀ·R·WᵀW·zc_n / √λ_c  →  per-component row vectors q_c = e_cᵀ·R·WᵀW / √λ_c
		double[][] q = new double[k][];
		double[][] rg = mul(root, gram);
		for (int c = 0; c < k; c++) {
			if (eig.values()[c] <= 0) throw new ExplorerException("The generator's first layer has rank " + c + " < " + k + "; ask for fewer directions.");
			q[c] = new double[d];
			for (int i = 0; i < d; i++) {
				double s = 0;
				for (int j = 0; j < d; j++) s += eig.vectors()[c][j] * rg[j][i];
				q[c][i] = s / Math.sqrt(eig.values()[c]);
			}
		}
		double[][] x = new double[samples][k];
		for (int n = 0; n < samples; n++)
			for (int c = 0; c < k; c++) {
				double s = 0;
				for (int i = 0; i < d; i++) s += q[c][i] * zc[n][i];
				x[n][c] = s;
			}
		double[][] b = leastSquares(x, zc); // zc ≈ x·B, B is k×d: row c is the latent direction of component c
		double total = 0;
		for (double v : eig.values()) total += Math.max(v, 0);
		float[][] dirs = new float[k][];
		for (int c = 0; c < k; c++) dirs[c] = unit(b[c]);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("method", "pca");
		settings.put("directions", k);
		settings.put("samples", samples);
		settings.put("seed", seed);
		settings.put("totalVariance", total);
		return DirectionSet.ranked("pca", settings, fingerprint, dirs, eig.values());
	}

	/** All d principal axes of latent codes (N × d), largest variance first; tied to no generator. */
	public static DirectionSet ofLatents(float[][] codes) {
		return ofLatents(codes, codes.length == 0 ? 0 : codes[0].length, null);
	}

	/** The top {@code k} principal axes of latent codes (N × d), tied to the generator with {@code fingerprint} (may be null). */
	public static DirectionSet ofLatents(float[][] codes, int k, String fingerprint) {
		if (codes.length < 2) throw new ExplorerException("PCA of latent codes needs at least 2 codes, got " + codes.length + ".");
		int d = codes[0].length;
		if (k < 1 || k > d) throw new ExplorerException("PCA finds at most " + d + " directions (the latent size), asked for " + k + ".");
		double[][] z = toDouble(codes);
		SymmetricEigen eig = SymmetricEigen.of(covariance(centred(z)));
		float[][] dirs = new float[k][];
		for (int c = 0; c < k; c++) dirs[c] = unit(eig.vectors()[c]);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("method", "pca-latents");
		settings.put("directions", k);
		settings.put("codes", codes.length);
		return DirectionSet.ranked("pca-latents", settings, fingerprint, dirs, eig.values());
	}

	// ---- small dense linear algebra (d ≤ 512) ----

	/** Latent codes (N × d, refused when ragged) in double precision. */
	static double[][] toDouble(float[][] codes) {
		int d = codes[0].length;
		double[][] z = new double[codes.length][d];
		for (int n = 0; n < codes.length; n++) {
			if (codes[n].length != d) throw new ExplorerException("Latent code " + n + " has " + codes[n].length + " values, expected " + d + ".");
			for (int i = 0; i < d; i++) z[n][i] = codes[n][i];
		}
		return z;
	}

	static double[][] centred(double[][] z) {
		int n = z.length, d = z[0].length;
		double[] mean = new double[d];
		for (double[] r : z) for (int i = 0; i < d; i++) mean[i] += r[i] / n;
		double[][] c = new double[n][d];
		for (int s = 0; s < n; s++) for (int i = 0; i < d; i++) c[s][i] = z[s][i] - mean[i];
		return c;
	}

	static double[][] covariance(double[][] zc) {
		int n = zc.length, d = zc[0].length;
		double[][] s = new double[d][d];
		for (double[] r : zc)
			for (int i = 0; i < d; i++) for (int j = i; j < d; j++) s[i][j] += r[i] * r[j];
		for (int i = 0; i < d; i++)
			for (int j = i; j < d; j++) {
				s[i][j] /= n - 1;
				s[j][i] = s[i][j];
			}
		return s;
	}

	/** Symmetric square root of a positive semi-definite matrix. */
	static double[][] sqrtPsd(double[][] a) {
		SymmetricEigen e = SymmetricEigen.of(a);
		int d = a.length;
		double[][] r = new double[d][d];
		for (int c = 0; c < d; c++) {
			double s = Math.sqrt(Math.max(e.values()[c], 0));
			double[] v = e.vectors()[c];
			for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) r[i][j] += s * v[i] * v[j];
		}
		return r;
	}

	static double[][] mul(double[][] a, double[][] b) {
		int n = a.length, m = b[0].length, inner = b.length;
		double[][] c = new double[n][m];
		for (int i = 0; i < n; i++)
			for (int k = 0; k < inner; k++) {
				double v = a[i][k];
				if (v == 0) continue;
				for (int j = 0; j < m; j++) c[i][j] += v * b[k][j];
			}
		return c;
	}

	/** argmin_B ‖X·B − Y‖ by the normal equations (XᵀX)·B = XᵀY, solved by Gaussian elimination with pivoting. */
	static double[][] leastSquares(double[][] x, double[][] y) {
		int n = x.length, k = x[0].length, d = y[0].length;
		double[][] a = new double[k][k + d];
		for (int s = 0; s < n; s++)
			for (int i = 0; i < k; i++) {
				for (int j = 0; j < k; j++) a[i][j] += x[s][i] * x[s][j];
				for (int j = 0; j < d; j++) a[i][k + j] += x[s][i] * y[s][j];
			}
		for (int col = 0; col < k; col++) {
			int piv = col;
			for (int r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
			double[] t = a[col]; a[col] = a[piv]; a[piv] = t;
			if (Math.abs(a[col][col]) < 1e-300) throw new ExplorerException("PCA regression is singular; use fewer directions.");
			for (int r = 0; r < k; r++) {
				if (r == col) continue;
				double f = a[r][col] / a[col][col];
				if (f == 0) continue;
				for (int j = col; j < k + d; j++) a[r][j] -= f * a[col][j];
			}
		}
		double[][] b = new double[k][d];
		for (int i = 0; i < k; i++) for (int j = 0; j < d; j++) b[i][j] = a[i][k + j] / a[i][i];
		return b;
	}

	static float[] unit(double[] v) {
		double norm = 0;
		for (double x : v) norm += x * x;
		norm = Math.sqrt(norm);
		float[] u = new float[v.length];
		int big = 0;
		for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
		double sign = v[big] < 0 ? -1 : 1; // reproducible sign, as SymmetricEigen
		for (int i = 0; i < v.length; i++) u[i] = (float) (sign * v[i] / norm);
		return u;
	}
}
