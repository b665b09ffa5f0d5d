package io.github.ctlatent.evaluate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The statistics and the 3D figures on cases with known answers. */
class StatsAndStructureTest {

	@Test
	void spearmanPercentileAndStepCv() {
		assertEquals(1, Stats.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 4, 9, 16}), 1e-12);
		assertEquals(-1, Stats.spearman(new double[] {1, 2, 3, 4}, new double[] {5, 3, 2, 0}), 1e-12);
		assertEquals(0.8, Stats.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-12);
		assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Stats.ranks(new double[] {0, 5, 5, 9}), 1e-12);
		assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}), 1e-12);
		assertEquals(9.1, Stats.percentile(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 91), 1e-12);
		assertEquals(0, Stats.stepCv(new double[] {0, 0.25, 0.5, 0.75}), 1e-12);
		// one jump among four steps: steps {0, 0, 1, 0}: mean 0.25, std 0.433 -> CV √3
		assertEquals(Math.sqrt(3), Stats.stepCv(new double[] {0, 0, 0, 1, 1}), 1e-12);
	}

	@Test
	void aSmoothScrollBeatsJumpsAndStandingStill() {
		double[] shifts = WalkReader.shifts(3, 4);
		double[][][] pos = new double[3][2][shifts.length];
		for (int b = 0; b < 2; b++)
			for (int t = 0; t < shifts.length; t++) {
				pos[0][b][t] = 0.2 + 0.6 * t / (shifts.length - 1); // scrolls over 60% of the body
				pos[1][b][t] = t < 4 ? 0.1 : 0.9; // one jump between two pockets
				pos[2][b][t] = 0.5; // stands still
			}
		Structure3d.Track[] tr = Structure3d.tracks(shifts, pos, null);
		assertEquals(1, tr[0].absRho(), 1e-12);
		assertEquals(0, tr[0].stepCv(), 1e-9);
		assertEquals(0.6, tr[0].span(), 1e-9);
		assertTrue(tr[1].stepCv() > 2.5, "a jump has CV near 3: " + tr[1].stepCv());
		assertEquals(0, tr[2].absRho());
		assertEquals(0, Structure3d.best(tr).direction());
		Structure3d.Chance ch = Structure3d.Chance.of(new Structure3d.Track[] {tr[1], tr[2]});
		assertTrue(ch.beaten(tr[0]), "a smooth 60% scroll beats a jump over 80% and standing still");
		assertTrue(EvaluationReport.verdict(tr[0], ch).startsWith("scrolls"), EvaluationReport.verdict(tr[0], ch));
		Structure3d.Chance smooth = Structure3d.Chance.of(new Structure3d.Track[] {tr[0], tr[0]});
		assertFalse(smooth.beaten(tr[0]), "not above chance when random directions scroll as well");
		assertTrue(EvaluationReport.verdict(tr[1], smooth).startsWith("does not scroll"), EvaluationReport.verdict(tr[1], smooth));
		assertTrue(EvaluationReport.verdict(tr[1], smooth).contains("step CV > 0.3"));
	}

	@Test
	void theVerdictNamesEveryScrollBarMetAndWhatTheOthersMiss() {
		// given random directions that stand still (any moving walk is above chance)
		Structure3d.Track still = new Structure3d.Track(9, 0, 0, 0, Double.NaN);
		Structure3d.Chance ch = Structure3d.Chance.of(new Structure3d.Track[] {still, still, still});
		// when a walk scrolls evenly over most of the body, but not as smoothly as the strict bar asks (phantom-posvae's axis 0)
		String even = EvaluationReport.verdict(new Structure3d.Track(0, 1.0, 0.43, 0.82, Double.NaN), ch);
		// then it meets the even and one-scan bars, and the strict bar's miss is named
		assertTrue(even.startsWith("scrolls: meets the even (|ρ| ≥ 0.95, step CV ≤ 0.5, span ≥ 70%) and one-scan (|ρ| ≥ 0.90, step CV ≤ 1.0, span ≥ 50%) bars"), even);
		assertTrue(even.endsWith("misses strict (step CV ≤ 0.3, span ≥ 50%): step CV > 0.3"), even);
		// a walk with uneven steps over 62% of the body (the demo's reading of the same axis) meets only the one-scan bar
		String uneven = EvaluationReport.verdict(new Structure3d.Track(0, 0.94, 0.92, 0.62, Double.NaN), ch);
		assertTrue(uneven.startsWith("scrolls: meets the one-scan (|ρ| ≥ 0.90, step CV ≤ 1.0, span ≥ 50%) bar;"), uneven);
		assertTrue(uneven.contains("even (|ρ| ≥ 0.95, step CV ≤ 0.5, span ≥ 70%): |ρ| < 0.95, step CV > 0.5, span < 70%"), uneven);
		// a smooth walk over 60% meets two bars; one that meets all three says so without a "misses"
		assertTrue(EvaluationReport.verdict(new Structure3d.Track(0, 1, 0.1, 0.6, Double.NaN), ch).startsWith("scrolls: meets the strict"));
		String all = EvaluationReport.verdict(new Structure3d.Track(0, 1, 0.1, 0.9, Double.NaN), ch);
		assertTrue(all.contains("strict (step CV ≤ 0.3, span ≥ 50%), even (") && all.endsWith("bars") && !all.contains("misses"), all);
		// a walk whose step CV could not be measured meets nothing
		assertTrue(EvaluationReport.verdict(new Structure3d.Track(0, 1, Double.NaN, 0.9, Double.NaN), ch).startsWith("does not scroll"));
		// and a walk no better than chance meets nothing, however smooth
		Structure3d.Track smooth = new Structure3d.Track(0, 1, 0.1, 0.9, Double.NaN);
		String chance = EvaluationReport.verdict(smooth, Structure3d.Chance.of(new Structure3d.Track[] {smooth, smooth}));
		assertTrue(chance.startsWith("does not scroll") && chance.contains("scroll score not above the random 99th percentile"), chance);
	}

	@Test
	void randomOrthonormalDirectionsAreOrthonormalWithinEachBlock() {
		float[][] r = WalkReader.randomOrthonormal(8, 20, 5);
		for (int i = 0; i < r.length; i++)
			for (int j = i - i % 8; j <= i; j++) {
				double dot = 0;
				for (int c = 0; c < 8; c++) dot += r[i][c] * r[j][c];
				assertEquals(i == j ? 1 : 0, dot, 1e-5, i + "·" + j);
			}
	}
	@Test
	void aDirectionThatNeverMovesIsNotTheBestScrollingOneEvenWhenListedFirst() {
		Structure3d.Track still = new Structure3d.Track(0, 0, Double.NaN, 0, 0.95); // position constant: no step CV
		Structure3d.Track scrolls = new Structure3d.Track(1, 0.9, 2.5, 0.2, 0.95), better = new Structure3d.Track(2, 0.95, 1.5, 0.3, 0.95);
		assertEquals(2, Structure3d.best(new Structure3d.Track[] {still, scrolls, better}).direction());
		assertEquals(1, Structure3d.best(new Structure3d.Track[] {still, scrolls}).direction());
		assertEquals(0, Structure3d.best(new Structure3d.Track[] {still}).direction());
	}

}
