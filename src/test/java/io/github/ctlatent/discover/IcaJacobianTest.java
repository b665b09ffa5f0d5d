package io.github.ctlatent.discover;

import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Known answers of ICA (independent causes of a mixture) and of the Jacobian metric (a linear map's singular directions). */
class IcaJacobianTest {

	/** The known-answer bar: every true direction has a found direction within this |cos|. */
	private static final double BAR = 0.95;

	@Test
	void icaRecoversTheIndependentSourcesOfAMixtureWhereRandomDirectionsAndPcaDoNot() {
		SplittableRandom rnd = new SplittableRandom(5);
		int d = 5;
		double[][] a = gaussian(d, d, rnd); // columns: what each source adds, deliberately not orthogonal
		float[][] codes = new float[4000][d];
		for (float[] c : codes) {
			double[] s = {laplace(rnd), laplace(rnd), uniform(rnd), uniform(rnd), laplace(rnd)};
			for (int i = 0; i < d; i++) {
				double v = 0.7; // an offset: ICA centres
				for (int j = 0; j < d; j++) v += a[i][j] * s[j];
				c[i] = (float) v;
			}
		}
		double[][] truth = FastIca.transpose(a);

		DirectionSet ica = Ica.ofLatents(codes, d, 1, null, Monitor.NONE);

		assertTrue(worstMatch(ica.matrix(), truth) > BAR, "ICA worst |cos| " + worstMatch(ica.matrix(), truth));
		assertEquals(true, ica.settings().get("converged"));
		double[] variance = ica.stats().stream().mapToDouble(DirectionSet.DirectionStat::eigenvalue).toArray();
		for (int c = 1; c < d; c++) assertTrue(variance[c - 1] >= variance[c], "ordered by explained variance " + Arrays.toString(variance));
		assertTrue(worstMatch(randomOrthonormal(d, d, 9), truth) < BAR, "random directions must fail the bar");
		assertTrue(worstMatch(Pca.ofLatents(codes).matrix(), truth) < BAR, "PCA's orthogonal axes must fail the bar");
	}

	@Test
	void icaOfGeneratorFeaturesFindsTheCausesOfACubingGeneratorReproducibly() {
		int d = 4, size = 16;
		try (MapGenerator g = new MapGenerator(gaussian(size * size, d, new SplittableRandom(3)), size, MapGenerator.Shaping.CUBE)) {
			DirectionSet set = Ica.ofGenerator(g, d, 3000, 2, Monitor.NONE), again = Ica.ofGenerator(g, d, 3000, 2, Monitor.NONE);

			double[][] axes = new double[d][d];
			for (int i = 0; i < d; i++) axes[i][i] = 1;
			assertTrue(worstMatch(set.matrix(), axes) > BAR, "ICA of pooled images, worst |cos| to an axis " + worstMatch(set.matrix(), axes));
			assertArrayEquals(set.matrix(), again.matrix());
			assertEquals(g.fingerprint(), set.generatorFingerprint());
		}
	}

	@Test
	void fastIcaThatRunsOutOfIterationsSaysSo() {
		SplittableRandom rnd = new SplittableRandom(2);
		double[][] x = new double[500][3];
		for (double[] r : x) for (int i = 0; i < 3; i++) r[i] = laplace(rnd) + 0.5 * r[0];

		FastIca one = FastIca.of(x, 3, 1, 1, Monitor.NONE);

		assertFalse(one.converged());
		assertEquals(1, one.iterations());
		assertTrue(one.change() > FastIca.TOLERANCE);
	}

	@Test
	void jacobianMetricReturnsTheTopSingularDirectionsOfALinearGenerator() {
		int d = 8, size = 16;
		double[] sigma = {8, 5, 3, 2, 1, 0.5, 0.25, 0.1};
		double[][] u = randomOrthonormalRows(d, d, 4), v = randomOrthonormalRows(d, size * size, 6);
		double[][] w = new double[size * size][d]; // W = Σ σ_c·v_c·u_cᵀ
		for (int c = 0; c < d; c++) for (int r = 0; r < size * size; r++) for (int i = 0; i < d; i++) w[r][i] += sigma[c] * v[c][r] * u[c][i];
		try (MapGenerator g = new MapGenerator(w, size, MapGenerator.Shaping.LINEAR)) {
			DirectionSet set = JacobianMetric.directions(g, 3, 32, 32, 1, Monitor.NONE);

			double[][] top = Arrays.copyOf(u, 3);
			for (int c = 0; c < 3; c++) {
				assertTrue(ClosedFormTest.absCos(set.direction(c), top[c]) > BAR, "direction " + c + " |cos| " + ClosedFormTest.absCos(set.direction(c), top[c]));
				assertEquals(sigma[c] * sigma[c], set.stats().get(c).eigenvalue(), 0.1 * sigma[c] * sigma[c], "eigenvalue " + c + " is σ²");
			}
			assertTrue(worstMatch(randomOrthonormal(3, d, 9), top) < BAR, "random directions must fail the bar");
			assertTrue((double) set.settings().get("splitHalfOverlap") > 0.9);
		}
	}

	@Test
	void jacobianProbesOfOneBaseCodeMaySpanSeveralPassesAndStayWithTheirCode() {
		// one pixel: every probe is ±1, so the estimate is exact, M = mean over codes of j·jᵀ with j = 3z²⊙w
		double[][] w = gaussian(1, 3, new SplittableRandom(2));
		int bases = 3;
		SplittableRandom codes = new SplittableRandom(1); // the method's draw of its base codes for seed 1
		double[][] m = new double[3][3];
		for (int b = 0; b < bases; b++) {
			double[] z = new double[3], j = new double[3];
			for (int i = 0; i < 3; i++) z[i] = (float) codes.nextGaussian();
			for (int i = 0; i < 3; i++) j[i] = 3 * z[i] * z[i] * w[0][i];
			for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) m[i][k] += j[i] * j[k] / bases;
		}
		double[] expected = SymmetricEigen.of(m).values();
		try (MapGenerator g = new MapGenerator(w, 1, MapGenerator.Shaping.CUBE)) {
			// 100 probes per code: code 0's rows 0-63 and 64-99 go through two passes, code 1 starts mid-pass
			DirectionSet set = JacobianMetric.directions(g, 3, bases, 100, 1, Monitor.NONE);

			for (int c = 0; c < 3; c++) assertEquals(expected[c], set.stats().get(c).eigenvalue(), 1e-4 * expected[0], "eigenvalue " + c);
		}
	}

	@Test
	void jacobianMetricRefusesAGeneratorWhoseGradientIsNaN() {
		try (MapGenerator g = new MapGenerator(gaussian(16, 3, new SplittableRandom(1)), 4, MapGenerator.Shaping.NAN)) {
			ExplorerException e = assertThrows(ExplorerException.class, () -> JacobianMetric.directions(g, 2, 4, 2, 1, Monitor.NONE));
			assertTrue(e.getMessage().contains("NaN"), e.getMessage());
		}
	}

	@Test
	void bothMethodsWriteDirectionsAndATimedReportAndStopWhenCanceled(@TempDir Path dir) {
		try (MapGenerator g = new MapGenerator(gaussian(64, 4, new SplittableRandom(8)), 8, MapGenerator.Shaping.CUBE)) {
			for (DiscoverySettings.Method method : new DiscoverySettings.Method[] {DiscoverySettings.Method.ICA, DiscoverySettings.Method.JACOBIAN}) {
				DiscoverySettings s = DiscoverySettings.paper().toBuilder().method(method).directions(0).closedFormSamples(1000).jacobianBases(8)
					.jacobianProbes(4).statsSamples(2).seed(3).build();

				Discovery.Result r = Discovery.discover(g, s, dir.resolve(method.id()), Monitor.NONE);

				DirectionSet saved = DirectionSet.load(dir.resolve(method.id()).resolve(DirectionSet.FILE_NAME));
				assertArrayEquals(r.directions().matrix(), saved.matrix());
				assertEquals(4, saved.directionCount());
				DiscoveryReport report = Json.read(dir.resolve(method.id()).resolve(DiscoveryReport.FILE_NAME), DiscoveryReport.class);
				assertEquals(method.id(), report.method());
				assertTrue(report.seconds() > 0);
				assertEquals(3.0, ((Number) report.settings().get("seed")).doubleValue());
				Monitor canceled = new Monitor() {
					@Override public void progress(long done, long total, String status) {}
					@Override public void log(String line) {}
					@Override public boolean isCanceled() { return true; }
				};
				assertThrows(CanceledException.class, () -> {
					if (method == DiscoverySettings.Method.ICA) Ica.ofGenerator(g, 4, 1000, 3, canceled);
					else JacobianMetric.directions(g, 4, 8, 4, 3, canceled);
				});
			}
		}
	}

	// ---- helpers ----

	private static double laplace(SplittableRandom rnd) {
		double e = -Math.log(1 - rnd.nextDouble());
		return rnd.nextBoolean() ? e : -e;
	}

	private static double uniform(SplittableRandom rnd) {
		return Math.sqrt(3) * (2 * rnd.nextDouble() - 1);
	}

	private static double[][] gaussian(int rows, int cols, SplittableRandom rnd) {
		double[][] a = new double[rows][cols];
		for (double[] r : a) for (int j = 0; j < cols; j++) r[j] = rnd.nextGaussian();
		return a;
	}

	/** {@code n} orthonormal rows of length {@code dim} (Gram–Schmidt of Gaussian rows). */
	private static double[][] randomOrthonormalRows(int n, int dim, long seed) {
		double[][] q = gaussian(n, dim, new SplittableRandom(seed));
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < i; j++) {
				double dot = 0;
				for (int t = 0; t < dim; t++) dot += q[i][t] * q[j][t];
				for (int t = 0; t < dim; t++) q[i][t] -= dot * q[j][t];
			}
			q[i] = LinearGenerator.unit(q[i]);
		}
		return q;
	}

	private static float[][] randomOrthonormal(int n, int dim, long seed) {
		double[][] q = randomOrthonormalRows(n, dim, seed);
		float[][] f = new float[n][dim];
		for (int i = 0; i < n; i++) for (int t = 0; t < dim; t++) f[i][t] = (float) q[i][t];
		return f;
	}

	/** The worst, over the true directions, of the best |cos| any found direction reaches (sign and order free). */
	private static double worstMatch(float[][] found, double[][] truth) {
		double worst = 1;
		for (double[] t : truth) {
			double best = 0;
			for (float[] f : found) best = Math.max(best, ClosedFormTest.absCos(f, t));
			worst = Math.min(worst, best);
		}
		return worst;
	}
}
