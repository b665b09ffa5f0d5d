package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.discover.SymmetricEigen;
import io.github.ctlatent.model.Generator;

/**
 * The generator's local basis at one code z: the leading right singular vectors of its Jacobian J(z) (image with
 * respect to latent), i.e. the top eigenvectors of the pulled-back metric JᵀJ, with their eigenvalues (squared
 * singular values: summed squared pixel change per unit step). The local counterpart of the averaged metric
 * {@code discover.JacobianMetric} (Ramesh et al. 2018; Choi et al., ICLR 2022).
 * <p>
 * J is taken column by column from forward differences, (G(z + h·eᵢ) − G(z)) / h: d + 1 images in one forward
 * batch (33 for the shipped models) give JᵀJ up to O(h), with no randomness; central differences would halve that
 * error at twice the images, and a walk re-estimates the basis 8 times per latent unit, so the images are its cost.
 * The random-probe estimate the averaged metric uses (E[(Jᵀv)(Jᵀv)ᵀ] over sign images v) is unbiased only on average:
 * with one batch of probes per code its error is about √(2/probes) of the metric, enough to swap singular vectors
 * whose values lie close from one step to the next, which a walk that re-estimates at every step would show as zig-zags.
 *
 * @param values  eigenvalues of JᵀJ, largest first (rank of them)
 * @param vectors the matching unit right singular vectors as rows
 */
public record LocalBasis(double[] values, double[][] vectors) {

	/** Finite-difference step in latent units: far below the scale on which the generators' Jacobians change (latents are N(0, I)), far above float32 rounding of the images. */
	static final double H = 1e-2;

	/** The top {@code rank} (at most d) right singular vectors of J at {@code z}. */
	public static LocalBasis at(Generator g, float[] z, int rank) {
		int d = z.length;
		float[] latents = new float[(d + 1) * d];
		for (int i = 0; i <= d; i++) {
			System.arraycopy(z, 0, latents, i * d, d);
			if (i < d) latents[i * d + i] += (float) H;
		}
		float[][] images = g.images(latents); // image d is G(z)
		int pixels = images[0].length;
		double[][] columns = new double[d][pixels];
		for (int i = 0; i < d; i++)
			for (int p = 0; p < pixels; p++) columns[i][p] = (images[i][p] - images[d][p]) / H;
		double[][] gram = new double[d][d];
		for (int i = 0; i < d; i++)
			for (int j = i; j < d; j++) {
				double s = 0;
				for (int p = 0; p < pixels; p++) s += columns[i][p] * columns[j][p];
				if (!Double.isFinite(s)) throw new ExplorerException("The generator's images are NaN or infinite near the code of this curved walk; check the model "
					+ "(its numerics), or walk a smaller radius.");
				gram[i][j] = gram[j][i] = s;
			}
		SymmetricEigen eig = SymmetricEigen.of(gram);
		int r = Math.min(rank, d);
		return new LocalBasis(java.util.Arrays.copyOf(eig.values(), r), java.util.Arrays.copyOf(eig.vectors(), r));
	}

	/**
	 * The basis vector closest to {@code heading} by |cos|, signed to point along it (a unit vector). Closest, not
	 * the one of the same rank: along a path the singular values cross, and their order changes while the vectors
	 * turn smoothly.
	 */
	public double[] closest(double[] heading) {
		int best = 0;
		double bestDot = 0;
		for (int c = 0; c < vectors.length; c++) {
			double dot = dot(vectors[c], heading);
			if (Math.abs(dot) > Math.abs(bestDot)) {
				best = c;
				bestDot = dot;
			}
		}
		double[] v = vectors[best].clone();
		if (bestDot < 0) for (int i = 0; i < v.length; i++) v[i] = -v[i];
		return v;
	}

	/**
	 * {@code heading} projected onto the span of the basis and renormalised: the direction nearest to it in which the
	 * image changes most locally. Where the heading is (numerically) orthogonal to the span, the closest vector.
	 */
	public double[] projected(double[] heading) {
		double[] p = new double[heading.length];
		for (double[] v : vectors) {
			double c = dot(v, heading);
			for (int i = 0; i < p.length; i++) p[i] += c * v[i];
		}
		double n = Math.sqrt(dot(p, p));
		if (!(n > 1e-6 * Math.sqrt(dot(heading, heading)))) return closest(heading);
		for (int i = 0; i < p.length; i++) p[i] /= n;
		return p;
	}

	/** The step direction of a curved path: {@link #projected} or {@link #closest}. */
	double[] step(double[] heading, boolean project) {
		return project ? projected(heading) : closest(heading);
	}

	static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
