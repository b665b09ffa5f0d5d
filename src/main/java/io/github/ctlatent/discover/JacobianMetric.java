package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The generator's average local basis: the top eigenvectors of the pulled-back image metric M = E_z[J(z)ᵀJ(z)],
 * J the Jacobian of the image with respect to the latent. Each eigenvector is a latent direction that changes the
 * image most on average over base codes, and its eigenvalue is the mean squared pixel change per unit step
 * (summed over pixels). Wang &amp; Ponce (ICLR 2021, "The geometry of deep generative image models") average such a
 * metric (the Hessian of an image distance) over codes in the same way; Ramesh et al. (2018, "A spectral regularizer
 * for unsupervised disentanglement") and Choi et al. (ICLR 2022, "Do not escape from the manifold") use the
 * Jacobian's singular vectors at each code as a local basis. Only the global average is built here; the per-code
 * basis is {@code traverse.LocalBasis}, which curved walks ({@code traverse.CurvedPath}) re-estimate as they go.
 * <p>
 * M is estimated without forming J: for a random sign vector v over the pixels, E_v[(Jᵀv)(Jᵀv)ᵀ] = JᵀJ, and
 * Jᵀv is one vector-Jacobian product (one backward pass of ⟨v, G(z)⟩). Each pass holds 64 rows (copies of base
 * codes, each with its own sign image); rows do not interact (the generator runs in eval mode), so one backward
 * pass gives every row's product. Base codes alternate between two halves whose separate estimates measure how settled M is.
 */
public final class JacobianMetric {

	/** Rows (code copies) per forward/backward pass; a base code's probes may span passes. */
	static final int ROWS = 64;

	private JacobianMetric() {}

	/** The top {@code k} eigenvectors of M estimated from {@code bases} codes × {@code probes} products each. */
	public static DirectionSet directions(Generator g, int k, int bases, int probes, long seed, Monitor m) {
		int d = g.latentDim();
		if (k < 1 || k > d) throw new ExplorerException("The Jacobian method finds at most " + d + " directions (the latent size), asked for " + k + ".");
		if (bases < 2 || probes < 1) throw new ExplorerException("The Jacobian method needs at least 2 base codes and 1 probe each, got " + bases + " and " + probes + ".");
		int pixels = g.imageSize() * g.imageSize();
		double[][][] half = new double[2][d][d];
		SplittableRandom codes = new SplittableRandom(seed), signs = new SplittableRandom(seed ^ 0x5DEECE66DL);
		float[][] base = new float[bases][d];
		for (float[] b : base) for (int i = 0; i < d; i++) b[i] = (float) codes.nextGaussian();
		long total = (long) bases * probes;
		for (long from = 0; from < total; from += ROWS) { // row r: probe r % probes of base r / probes
			m.checkCanceled();
			m.progress(from, total, "Jacobian products: " + from + " of " + total);
			int rows = (int) Math.min(ROWS, total - from);
			float[] z = new float[rows * d], v = new float[rows * pixels];
			for (int r = 0; r < rows; r++) System.arraycopy(base[(int) ((from + r) / probes)], 0, z, r * d, d);
			for (int i = 0; i < v.length; i++) v[i] = signs.nextBoolean() ? 1f : -1f;
			float[] grads = vectorJacobianProducts(g, z, v, rows);
			for (int r = 0; r < rows; r++) {
				int b = (int) ((from + r) / probes);
				double[][] acc = half[b % 2];
				for (int i = 0; i < d; i++) {
					double gi = grads[r * d + i];
					if (!Double.isFinite(gi)) throw new ExplorerException("The generator's gradient is NaN or infinite at base code " + b
						+ "; check the model (its images, or its numerics), or use another seed.");
					for (int j = i; j < d; j++) acc[i][j] += gi * grads[r * d + j];
				}
			}
		}
		double[][] metric = new double[d][d];
		int[] count = {(bases + 1) / 2 * probes, bases / 2 * probes};
		for (int h = 0; h < 2; h++)
			for (int i = 0; i < d; i++)
				for (int j = i; j < d; j++) {
					metric[i][j] += half[h][i][j] / (bases * (double) probes);
					half[h][i][j] /= count[h];
					half[h][j][i] = half[h][i][j];
				}
		for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) metric[i][j] = metric[j][i];
		SymmetricEigen eig = SymmetricEigen.of(metric);
		// the top half of the latent at most: a subspace of all d dimensions overlaps itself trivially
		int top = Math.max(1, Math.min(k, d / 2));
		double overlap = overlap(SymmetricEigen.of(half[0]), SymmetricEigen.of(half[1]), top), difference = difference(half[0], half[1], metric);
		m.log(String.format("Jacobian metric from %d base codes x %d probes: top eigenvalues %.3g, %.3g; the two halves differ by %.1f%% and their top-%d subspaces overlap %.3f (1 = same)",
			bases, probes, eig.values()[0], eig.values()[Math.min(1, d - 1)], 100 * difference, top, overlap));
		if (overlap < 0.9) m.log("WARNING: the two halves of the base codes disagree on the top-" + top + " subspace (overlap " + String.format("%.2f", overlap)
			+ " < 0.90): the estimate is not settled; use more base codes (bases=) or probes (probes=).");
		float[][] dirs = eig.topVectors(k);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("method", "jacobian");
		settings.put("directions", k);
		settings.put("bases", bases);
		settings.put("probes", probes);
		settings.put("seed", seed);
		settings.put("splitHalfOverlap", overlap);
		settings.put("splitHalfOverlapOfTop", top);
		settings.put("splitHalfDifference", difference);
		return DirectionSet.ranked("jacobian", settings, g.fingerprint(), dirs, eig.values());
	}

	/** Rows of (J(z_r)ᵀ·v_r) for {@code rows} codes z (rows × d) and sign images v (rows × pixels), one backward pass. */
	static float[] vectorJacobianProducts(Generator g, float[] z, float[] v, int rows) {
		int d = g.latentDim(), size = g.imageSize();
		try (NDManager it = g.manager().newSubManager()) {
			NDArray latent = it.create(z, new Shape(rows, d, 1, 1));
			latent.setRequiresGradient(true);
			NDArray probe = it.create(v, new Shape(rows, 1, size, size));
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray image = g.generate(latent);
				NDArray dot = image.mul(probe).sum();
				gc.backward(dot);
			}
			try (NDArray grad = latent.getGradient()) {
				return grad.toFloatArray();
			}
		}
	}

	/** ‖a − b‖_F / ‖m‖_F. */
	static double difference(double[][] a, double[][] b, double[][] m) {
		double diff = 0, norm = 0;
		for (int i = 0; i < m.length; i++)
			for (int j = 0; j < m.length; j++) {
				diff += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
				norm += m[i][j] * m[i][j];
			}
		return Math.sqrt(diff / norm);
	}

	/** ‖U_aᵀ·U_b‖²_F / k for the top-k eigenvectors of two estimates: 1 when they span the same subspace. */
	static double overlap(SymmetricEigen a, SymmetricEigen b, int k) {
		double s = 0;
		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++) {
				double dot = 0;
				for (int t = 0; t < a.vectors()[i].length; t++) dot += a.vectors()[i][t] * b.vectors()[j][t];
				s += dot * dot;
			}
		return s / k;
	}
}
