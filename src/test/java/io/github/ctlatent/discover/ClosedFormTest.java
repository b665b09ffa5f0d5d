package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** SeFa and PCA on a linear generator with one planted dominant direction u. */
class ClosedFormTest {

	/** |cos| between a found direction and a true one (sign free); IcaJacobianTest uses it too. */
	static double absCos(float[] a, double[] u) {
		double dot = 0, na = 0, nu = 0;
		for (int i = 0; i < u.length; i++) {
			dot += a[i] * u[i];
			na += a[i] * a[i];
			nu += u[i] * u[i];
		}
		return Math.abs(dot) / Math.sqrt(na * nu);
	}

	@Test
	void sefaAndPcaRecoverThePlantedDirectionFirst() {
		try (LinearGenerator g = new LinearGenerator(16, 16, 6.0, 11)) {
			DirectionSet sefa = SeFa.directions(g, 4, false), sefaNorm = SeFa.directions(g, 4, true);
			DirectionSet pca = Pca.ofGenerator(g, 4, 4000, 3);

			assertTrue(absCos(sefa.direction(0), g.planted) > 0.99, "SeFa |cos| " + absCos(sefa.direction(0), g.planted));
			assertTrue(absCos(sefaNorm.direction(0), g.planted) > 0.99, "normalised SeFa |cos| " + absCos(sefaNorm.direction(0), g.planted));
			assertTrue(absCos(pca.direction(0), g.planted) > 0.99, "PCA |cos| " + absCos(pca.direction(0), g.planted));
			assertTrue(sefa.stats().get(0).eigenvalue() > 10 * sefa.stats().get(1).eigenvalue(), "dominant eigenvalue");
			assertEquals(g.fingerprint(), pca.generatorFingerprint());
			assertEquals(1, norm(pca.direction(2)), 1e-6);
		}
	}

	@Test
	void pcaOfLatentCodesFindsTheAxisOfLargestVariance() {
		SplittableRandom rnd = new SplittableRandom(4);
		double[] u = LinearGenerator.unit(new double[] {1, 2, -2, 0.5, 0});
		float[][] codes = new float[3000][5];
		for (float[] c : codes) {
			double t = 4 * rnd.nextGaussian();
			for (int i = 0; i < 5; i++) c[i] = (float) (t * u[i] + 0.3 * rnd.nextGaussian() + 1.5);
		}
		DirectionSet set = Pca.ofLatents(codes);
		assertEquals(5, set.directionCount());
		assertTrue(absCos(set.direction(0), u) > 0.99);
		assertEquals(16, set.stats().get(0).eigenvalue(), 1.5);
		assertNull(set.generatorFingerprint());
	}

	@Test
	void aGeneratorWithoutALinearFirstLayerIsAClearError() {
		try (LinearGenerator g = new LinearGenerator(4, 4, 1, 1) {
			@Override public float[][] firstLayerLinearMap() { return null; }
		}) {
			assertTrue(assertThrows(ExplorerException.class, () -> SeFa.directions(g, 2, false)).getMessage().contains("method=voynov"));
			assertThrows(ExplorerException.class, () -> Pca.ofGenerator(g, 2, 100, 1));
		}
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) s += x * x;
		return Math.sqrt(s);
	}
}
