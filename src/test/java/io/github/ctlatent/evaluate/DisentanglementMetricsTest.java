package io.github.ctlatent.evaluate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The metric arithmetic on representations with known answers: the factors themselves (permuted, rescaled, with
 * extra dead codes) must score ≈ 1 on MIG, DCI disentanglement/completeness/informativeness, SAP and the FactorVAE
 * score; codes independent of the factors ≈ 0 (FactorVAE ≈ 1 / number of factors, chance).
 */
class DisentanglementMetricsTest {

	static final int N = 3000, FACTORS = 5;

	/** Independent uniform factors, one row per sample. */
	static double[][] factors(int n, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		double[][] f = new double[n][FACTORS];
		for (double[] row : f) for (int j = 0; j < FACTORS; j++) row[j] = r.nextDouble();
		return f;
	}

	/** Code c = scale_c · factor[perm[c]] + offset, then two constant codes (a direction the images ignore). */
	static double[][] perfectCodes(double[][] f) {
		int[] perm = {3, 0, 4, 1, 2};
		double[] scale = {2, -0.5, 7, 1, -3};
		double[][] c = new double[f.length][FACTORS + 2];
		for (int i = 0; i < f.length; i++) {
			for (int k = 0; k < FACTORS; k++) c[i][k] = scale[k] * f[i][perm[k]] + k;
			c[i][FACTORS] = 1;
			c[i][FACTORS + 1] = -2;
		}
		return c;
	}

	static double[][] randomCodes(int n, int codes, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		double[][] c = new double[n][codes];
		for (double[] row : c) for (int k = 0; k < codes; k++) row[k] = r.nextGaussian();
		return c;
	}

	/** FactorVAE batches: factor j fixed at a random value, the others drawn anew; codes by {@code encode}. */
	static List<DisentanglementMetrics.FixedFactorBatch> batches(int count, long seed, java.util.function.Function<double[][], double[][]> encode) {
		SplittableRandom r = new SplittableRandom(seed);
		List<DisentanglementMetrics.FixedFactorBatch> out = new ArrayList<>();
		for (int b = 0; b < count; b++) {
			int j = r.nextInt(FACTORS);
			double[][] f = factors(64, r.nextLong());
			double v = r.nextDouble();
			for (double[] row : f) row[j] = v;
			out.add(new DisentanglementMetrics.FixedFactorBatch(j, encode.apply(f)));
		}
		return out;
	}

	static double[] variances(double[][] codes) {
		double[] v = new double[codes[0].length];
		for (int k = 0; k < v.length; k++) v[k] = DisentanglementMetrics.variance(DisentanglementMetrics.column(codes, k));
		return v;
	}

	@Test
	void theFactorsThemselvesScoreOneOnEveryMetric() {
		// given a representation that is the factors, permuted and rescaled (two of them flipped), plus two dead codes
		double[][] f = factors(N, 1), test = factors(N / 2, 2);
		double[][] codes = perfectCodes(f), testCodes = perfectCodes(test);

		// when every metric is computed
		double mig = DisentanglementMetrics.mig(codes, f, DisentanglementMetrics.MIG_BINS);
		DisentanglementMetrics.Dci dci = DisentanglementMetrics.dci(codes, f, testCodes, test);
		double sap = DisentanglementMetrics.sap(codes, f);
		double fvae = DisentanglementMetrics.factorVae(variances(codes), batches(300, 3, DisentanglementMetricsTest::perfectCodes),
			batches(200, 4, DisentanglementMetricsTest::perfectCodes), FACTORS, DisentanglementMetrics.PRUNE_STD);

		// then all are ≈ 1 (MIG loses only the plug-in estimator's small positive bias of the unrelated pairs)
		assertEquals(1, mig, 0.03, "MIG");
		assertEquals(1, dci.disentanglement(), 1e-9, "DCI disentanglement");
		assertEquals(1, dci.completeness(), 1e-9, "DCI completeness");
		assertEquals(1, dci.informativeness(), 1e-3, "DCI informativeness (R²)");
		assertEquals(1, sap, 1e-2, "SAP");
		assertEquals(1, fvae, 1e-12, "FactorVAE score");
	}

	@Test
	void codesIndependentOfTheFactorsScoreZeroAndChance() {
		// given codes drawn independently of the factors
		double[][] f = factors(N, 5), test = factors(N / 2, 6);
		double[][] codes = randomCodes(N, 8, 7), testCodes = randomCodes(N / 2, 8, 8);
		SplittableRandom r = new SplittableRandom(9);

		// when every metric is computed
		double mig = DisentanglementMetrics.mig(codes, f, DisentanglementMetrics.MIG_BINS);
		DisentanglementMetrics.Dci dci = DisentanglementMetrics.dci(codes, f, testCodes, test);
		double sap = DisentanglementMetrics.sap(codes, f);
		java.util.function.Function<double[][], double[][]> noise = x -> randomCodes(x.length, 8, r.nextLong());
		double fvae = DisentanglementMetrics.factorVae(variances(codes), batches(2000, 10, noise), batches(2000, 11, noise), FACTORS,
			DisentanglementMetrics.PRUNE_STD);

		// then they are ≈ 0, and the FactorVAE score is at chance, 1 / 5
		assertEquals(0, mig, 0.02, "MIG");
		assertEquals(0, dci.disentanglement(), 0.05, "DCI disentanglement");
		assertEquals(0, dci.completeness(), 0.05, "DCI completeness");
		assertEquals(0, dci.informativeness(), 0.01, "DCI informativeness");
		assertEquals(0, sap, 0.01, "SAP");
		assertEquals(1.0 / FACTORS, fvae, 0.05, "FactorVAE score");
	}

	@Test
	void oneCodeCarryingTwoFactorsIsNotDisentangled() {
		// given code 0 = factor 0 + factor 1 and code 1 = factor 2 (factors 3, 4 are not represented)
		double[][] f = factors(N, 12), test = factors(N / 2, 13);
		java.util.function.Function<double[][], double[][]> mix = x -> {
			double[][] c = new double[x.length][2];
			for (int i = 0; i < x.length; i++) c[i] = new double[] {x[i][0] + x[i][1], x[i][2]};
			return c;
		};

		// when DCI and MIG are computed
		DisentanglementMetrics.Dci dci = DisentanglementMetrics.dci(mix.apply(f), f, mix.apply(test), test);
		double mig = DisentanglementMetrics.mig(mix.apply(f), f, DisentanglementMetrics.MIG_BINS);

		// then disentanglement is well below 1 (code 0 splits its importance between two factors, one bit of entropy
		// over log₂ 5), completeness stays high (each represented factor lives in one code) and informativeness is
		// partial (2 of 5 factors are not there, two others are only partly predictable)
		assertTrue(dci.disentanglement() < 0.8 && dci.disentanglement() > 0.3, "D " + dci.disentanglement());
		assertTrue(dci.completeness() > 0.9, "C " + dci.completeness());
		assertTrue(dci.informativeness() > 0.3 && dci.informativeness() < 0.5, "I " + dci.informativeness());
		assertTrue(mig > 0.15 && mig < 0.5, "MIG " + mig);
	}

	@Test
	void buildingBlocksMatchHandComputedValues() {
		// mutual information of a variable with itself is its entropy: two equiprobable values → ln 2
		assertEquals(Math.log(2), DisentanglementMetrics.mutualInformation(new int[] {0, 1, 0, 1}, new int[] {0, 1, 0, 1}, 2), 1e-12);
		assertEquals(0, DisentanglementMetrics.mutualInformation(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}, 2), 1e-12);
		// equal-width bins; the maximum falls into the last bin (np.digitize on histogram edges)
		assertArrayEquals(new int[] {0, 1, 3, 3}, DisentanglementMetrics.discretize(new double[] {0, 0.3, 0.8, 1}, 4));
		assertEquals(1, DisentanglementMetrics.entropy(new double[] {1, 1}, 2), 1e-12);
		assertEquals(0, DisentanglementMetrics.entropy(new double[] {0, 3}, 2), 1e-12);
		// lasso on an orthonormal design: the soft-thresholded least-squares weights
		double[][] x = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
		double[] w = DisentanglementMetrics.lasso(x, new double[] {2, 2, -2, -2}, 0.5);
		assertArrayEquals(new double[] {1.5, 0}, w, 1e-9);
	}
}
