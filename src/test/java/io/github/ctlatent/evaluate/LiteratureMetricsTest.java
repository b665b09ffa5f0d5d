package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.testing.ToyGenerator;
import io.github.ctlatent.traverse.Directions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The protocol of {@link LiteratureMetrics} at tiny sizes: coordinates, plumbing, known answers, cancellation. */
class LiteratureMetricsTest {

	@Test
	void coordinatesOfEachDirectionAreTheUnitVectorsEvenWhenNotOrthogonal() {
		// given two non-orthogonal, non-unit directions in 3D
		float[][] rows = {{1, 0, 0}, {1, 2, 0}};

		// when the coordinate map is built
		double[][] m = CoordinateEncoder.coordinateMap(Directions.of(rows));

		// then a latent equal to direction j has coordinates e_j, and the direction's orthogonal complement has none
		for (int j = 0; j < 2; j++)
			for (int c = 0; c < 2; c++) {
				double v = 0;
				for (int i = 0; i < 3; i++) v += m[c][i] * rows[j][i];
				assertEquals(c == j ? 1 : 0, v, 1e-9);
			}
		assertEquals(0, m[0][2], 1e-12);
		assertEquals(0, m[1][2], 1e-12);
		// and dependent directions are refused with a message
		assertThrows(io.github.ctlatent.core.ExplorerException.class,
			() -> CoordinateEncoder.coordinateMap(Directions.of(new float[][] {{1, 0}, {2, 0}})));
	}

	@Test
	void thePhantomFactorsThemselvesScoreOneThroughTheProtocolsSample() {
		// given a small phantom sample and, as the representation, its exact factors
		PhantomFactorSample data = PhantomFactorSample.render(16, new PhantomFactorSample.Settings(600, 8, 1, 1 / 3.0, 2, 4, 4, 4, 8, 3), Monitor.NONE);

		// when scored as the protocol scores the encoder's codes
		LiteratureMetrics.Result r = LiteratureMetrics.exactFactors(data);

		// then DCI D and C, SAP and the FactorVAE score are ≈ 1 (MIG and SAP lose only what chance correlations between the
		// per-patient factors of 400 training patients and the plug-in bias of MI give to a second code)
		assertEquals(1, r.dci().disentanglement(), 1e-6);
		assertEquals(1, r.dci().completeness(), 1e-6);
		assertTrue(r.dci().informativeness() > 0.99, "I " + r.dci().informativeness());
		assertTrue(r.sap() > 0.9, "SAP " + r.sap());
		assertEquals(1, r.factorVae(), 1e-12);
		assertTrue(r.mig() > 0.5, "MIG " + r.mig());
		assertEquals(8, r.activeCodes());
	}

	@Test
	void measuresATinyGeneratorAndCanBeCancelled() {
		try (ToyGenerator g = new ToyGenerator(4, 16, 5)) {
			// given axis directions on a tiny generator and the tiny settings
			Directions axes = Directions.of(WalkReader.axes(4));

			// when measured
			LiteratureMetrics.Result r = LiteratureMetrics.of(g, axes).name("axes").settings(LiteratureMetrics.Settings.tiny()).measure(Monitor.NONE);

			// then every score is a number in its range
			for (double v : new double[] {r.mig(), r.dci().disentanglement(), r.dci().completeness(), r.dci().informativeness(), r.sap(), r.factorVae()})
				assertTrue(v >= 0 && v <= 1, r.row());
			assertTrue(Double.isFinite(r.encoderR2()), r.row());
			assertEquals(4, r.directions());

			// and a cancel request during encoder training stops it
			AtomicInteger polls = new AtomicInteger();
			Monitor cancelling = new Monitor() {
				public void progress(long done, long total, String status) {}
				public void log(String line) {}
				public boolean isCanceled() { return polls.incrementAndGet() > 30; }
			};
			assertThrows(CanceledException.class,
				() -> LiteratureMetrics.of(g, axes).settings(LiteratureMetrics.Settings.tiny()).measure(cancelling));
		}
	}
}
