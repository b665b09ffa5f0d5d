package io.github.ctlatent.discover;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Eigen-decomposition of a small real symmetric matrix by cyclic Jacobi rotations, in double precision.
 * The matrices here are latent-sized (d ≤ 512), where Jacobi costs well under a second and needs no library.
 *
 * @param values  eigenvalues, largest first
 * @param vectors unit eigenvectors as rows, in the order of {@code values}, each signed so that its largest
 *                component is positive
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

	/** The first {@code k} eigenvectors (largest eigenvalue first) as float rows: directions of a set. */
	float[][] topVectors(int k) {
		float[][] out = new float[k][vectors[0].length];
		for (int c = 0; c < k; c++) for (int i = 0; i < out[c].length; i++) out[c][i] = (float) vectors[c][i];
		return out;
	}

	/** Decomposes {@code a} (not modified); only symmetry up to rounding is assumed (the mean of a and aᵀ is used). */
	public static SymmetricEigen of(double[][] a) {
		int n = a.length;
		double[][] m = new double[n][n];
		for (int i = 0; i < n; i++) {
			if (a[i].length != n) throw new IllegalArgumentException("matrix is not square");
			for (int j = 0; j < n; j++) m[i][j] = 0.5 * (a[i][j] + a[j][i]);
		}
		double[][] v = new double[n][n]; // columns are eigenvectors while iterating
		for (int i = 0; i < n; i++) v[i][i] = 1;
		for (int sweep = 0; sweep < 100; sweep++) {
			double off = 0, total = 0;
			for (int i = 0; i < n; i++)
				for (int j = 0; j < n; j++) {
					total += m[i][j] * m[i][j];
					if (i != j) off += m[i][j] * m[i][j];
				}
			if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) break;
			for (int p = 0; p < n - 1; p++)
				for (int q = p + 1; q < n; q++)
					if (m[p][q] != 0) rotate(m, v, p, q);
		}
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) order[i] = i;
		Arrays.sort(order, Comparator.comparingDouble(i -> -m[i][i]));
		double[] values = new double[n];
		double[][] vectors = new double[n][n];
		for (int r = 0; r < n; r++) {
			values[r] = m[order[r]][order[r]];
			int big = 0;
			for (int i = 0; i < n; i++) {
				vectors[r][i] = v[i][order[r]];
				if (Math.abs(vectors[r][i]) > Math.abs(vectors[r][big])) big = i;
			}
			if (vectors[r][big] < 0) for (int i = 0; i < n; i++) vectors[r][i] = -vectors[r][i]; // a reproducible sign
		}
		return new SymmetricEigen(values, vectors);
	}

	/** One Jacobi rotation zeroing m[p][q] (Golub & Van Loan's symmetric Schur step). */
	private static void rotate(double[][] m, double[][] v, int p, int q) {
		double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
		double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
		if (theta == 0) t = 1;
		double c = 1 / Math.sqrt(t * t + 1), s = t * c;
		int n = m.length;
		for (int k = 0; k < n; k++) { // columns p, q
			double mkp = m[k][p], mkq = m[k][q];
			m[k][p] = c * mkp - s * mkq;
			m[k][q] = s * mkp + c * mkq;
		}
		for (int k = 0; k < n; k++) { // rows p, q
			double mpk = m[p][k], mqk = m[q][k];
			m[p][k] = c * mpk - s * mqk;
			m[q][k] = s * mpk + c * mqk;
		}
		m[p][q] = m[q][p] = 0;
		for (int k = 0; k < n; k++) {
			double vkp = v[k][p], vkq = v[k][q];
			v[k][p] = c * vkp - s * vkq;
			v[k][q] = s * vkp + c * vkq;
		}
	}
}
