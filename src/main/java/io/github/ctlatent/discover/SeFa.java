package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.Generator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Closed-form factorisation (SeFa; Shen &amp; Zhou, CVPR 2021): the directions that the generator's first layer
 * W (features × d) amplifies most are the top eigenvectors of WᵀW. Seconds, no training.
 */
public final class SeFa {

	private SeFa() {}

	/**
	 * The top {@code k} eigenvectors of WᵀW (unit length, largest eigenvalue first; each eigenvalue in the stats).
	 *
	 * @param normalize scale each feature's row of W to unit length first, as the official SeFa code does;
	 *                  false keeps the paper's formula
	 */
	public static DirectionSet directions(Generator g, int k, boolean normalize) {
		float[][] w = g.firstLayerLinearMap();
		if (w == null)
			throw new ExplorerException("SeFa needs a generator whose first layer is linear in the latent (the project's DCGAN and VAE, or a "
				+ "TorchScript file whose sidecar names it in first_layer); this generator (" + g.fingerprint() + ") does not expose one. Use method=voynov or method=pca.");
		return fromLinearMap(w, k, normalize, g.fingerprint());
	}

	/** SeFa of an explicit (features × d) linear map. */
	public static DirectionSet fromLinearMap(float[][] w, int k, boolean normalize, String fingerprint) {
		int d = w[0].length;
		if (k < 1 || k > d) throw new ExplorerException("SeFa finds at most " + d + " directions (the latent size), asked for " + k + ".");
		double[][] gram = new double[d][d];
		double[] row = new double[d];
		for (float[] r : w) {
			double norm = 0;
			for (int i = 0; i < d; i++) norm += (double) r[i] * r[i];
			double scale = normalize && norm > 0 ? 1 / Math.sqrt(norm) : 1;
			for (int i = 0; i < d; i++) row[i] = r[i] * scale;
			for (int i = 0; i < d; i++) {
				double ri = row[i];
				if (ri == 0) continue;
				for (int j = i; j < d; j++) gram[i][j] += ri * row[j];
			}
		}
		for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) gram[i][j] = gram[j][i];
		SymmetricEigen eig = SymmetricEigen.of(gram);
		float[][] dirs = eig.topVectors(k);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("method", "sefa");
		settings.put("directions", k);
		settings.put("normalize", normalize);
		return DirectionSet.ranked("sefa", settings, fingerprint, dirs, eig.values());
	}
}
