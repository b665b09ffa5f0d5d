package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Jacobi eigen-solver, random orthonormal rows and the differentiable matrix exponential. */
class MathTest {

	@Test
	void jacobiReconstructsASymmetricMatrixFromOrthonormalEigenvectors() {
		SplittableRandom rnd = new SplittableRandom(3);
		int n = 12;
		double[][] a = new double[n][n];
		for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rnd.nextGaussian();

		SymmetricEigen e = SymmetricEigen.of(a);

		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				double rec = 0, dot = 0;
				for (int c = 0; c < n; c++) {
					rec += e.values()[c] * e.vectors()[c][i] * e.vectors()[c][j];
					dot += e.vectors()[i][c] * e.vectors()[j][c];
				}
				assertEquals(a[i][j], rec, 1e-10);
				assertEquals(i == j ? 1 : 0, dot, 1e-10);
			}
		for (int c = 1; c < n; c++) assertTrue(e.values()[c - 1] >= e.values()[c], "sorted largest first");
	}

	@Test
	void randomRowsAreOrthonormal() {
		double[][] q = Orthogonal.random(20, 32, new SplittableRandom(1));
		for (int i = 0; i < 20; i++)
			for (int j = 0; j < 20; j++) {
				double dot = 0;
				for (int c = 0; c < 32; c++) dot += q[i][c] * q[j][c];
				assertEquals(i == j ? 1 : 0, dot, 1e-12);
			}
	}

	@Test
	void expmOfASkewMatrixIsOrthonormalAndMatchesADoublePrecisionSeries() {
		Engines.pytorch();
		int d = 32;
		SplittableRandom rnd = new SplittableRandom(7);
		float[] m = new float[d * d];
		for (int i = 0; i < m.length; i++) m[i] = (float) rnd.nextGaussian(); // the original's N(0,1) init: ‖S‖ large
		try (NDManager nd = NDManager.newBaseManager()) {
			NDArray mm = nd.create(m, new Shape(d, d));
			float[] a = Orthogonal.expm(mm.transpose().sub(mm), nd).toFloatArray();

			for (int i = 0; i < d; i++)
				for (int j = 0; j < d; j++) {
					double dot = 0;
					for (int c = 0; c < d; c++) dot += (double) a[c * d + i] * a[c * d + j];
					assertEquals(i == j ? 1 : 0, dot, 1e-5, "columns " + i + ", " + j);
				}
			double[][] ref = expmReference(m, d);
			for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) assertEquals(ref[i][j], a[i * d + j], 1e-4);
		}
	}

	@Test
	void expmPassesGradientsToItsArgument() {
		Engines.pytorch();
		try (NDManager nd = NDManager.newBaseManager()) {
			// d/dt trace(expm(t·X)) at t = 1 for X = [[0, a], [-a, 0]]: expm = rotation by a, trace = 2cos(a)
			float a = 0.7f;
			NDArray t = nd.create(new float[] {1f});
			t.setRequiresGradient(true);
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray x = nd.create(new float[] {0, a, -a, 0}, new Shape(2, 2)).mul(t);
				NDArray e = Orthogonal.expm(x, nd);
				gc.backward(e.get(0, 0).add(e.get(1, 1)));
			}
			assertEquals(-2 * a * Math.sin(a), t.getGradient().getFloat(0), 1e-5);
		}
	}

	/** expm by scaling and squaring with a long Taylor series, in double precision, for S = Mᵀ − M. */
	private static double[][] expmReference(float[] m, int d) {
		double[][] s = new double[d][d];
		double norm = 0;
		for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[i][j] = m[j * d + i] - m[i * d + j];
		for (double[] r : s) for (double v : r) norm = Math.max(norm, Math.abs(v));
		int sq = (int) Math.ceil(Math.log(norm * d / 0.1) / Math.log(2));
		for (double[] r : s) for (int j = 0; j < d; j++) r[j] /= Math.pow(2, sq);
		double[][] e = new double[d][d], term = new double[d][d];
		for (int i = 0; i < d; i++) e[i][i] = term[i][i] = 1;
		for (int k = 1; k < 30; k++) {
			term = Pca.mul(term, s);
			for (double[] r : term) for (int j = 0; j < d; j++) r[j] /= k;
			for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) e[i][j] += term[i][j];
		}
		for (int i = 0; i < sq; i++) e = Pca.mul(e, e);
		return e;
	}
}
