package io.github.ctlatent.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scores on synthetic walks whose answer is known: a fake "generator" in which direction k moves factor k by
 * exactly slope·t, and variations of it (leaking, jumping, noisy, unobservable).
 */
class DirectionScoresTest {

	static final int F = 4, BASES = 8;
	static final double[] SHIFTS = WalkReader.shifts(3, 4);
	static final boolean[] ALL = {true, true, true, true};

	/** Walks where reading(k, t) gives the factor vector of direction k at shift t; base b adds an offset b·0.1 and noise. */
	static Walks walks(int directions, BiFunction<Integer, Double, double[]> reading, double noise, long seed) {
		Random r = new Random(seed);
		int nt = SHIFTS.length;
		double[][][][] v = new double[directions][BASES][nt][F];
		boolean[][][][] obs = new boolean[directions][BASES][nt][F];
		boolean[][][] in = new boolean[directions][BASES][nt];
		for (int k = 0; k < directions; k++)
			for (int b = 0; b < BASES; b++)
				for (int t = 0; t < nt; t++) {
					double[] x = reading.apply(k, SHIFTS[t]);
					for (int f = 0; f < F; f++) {
						v[k][b][t][f] = x[f] + 0.1 * b + noise * r.nextGaussian();
						obs[k][b][t][f] = true;
					}
					in[k][b][t] = true;
				}
		return new Walks(SHIFTS, v, obs, in);
	}

	/** Direction k moves factor k by slope·t, nothing else. */
	static double[] exact(int k, double t, double slope) {
		double[] x = new double[F];
		if (k < F) x[k] = slope * t;
		return x;
	}

	@Test
	void givenDirectionKMovesFactorKExactly_whenScored_thenEachIsCleanForItsOwnFactorOnly() {
		DirectionScores.Table t = DirectionScores.score(walks(F, (k, s) -> exact(k, s, 0.4), 0, 1), ALL);
		for (int k = 0; k < F; k++) {
			DirectionScores.Entry own = t.entries()[k][k];
			assertEquals(1.0, own.rho(), 1e-12);
			assertEquals(2 * 3 * 0.4, own.effect(), 1e-9); // f(+T) − f(−T) = 2T·slope
			assertEquals(0, own.leakMedian(), 1e-12);
			assertTrue(own.clean(), "direction " + k);
			for (int f = 0; f < F; f++)
				if (f != k) {
					assertFalse(t.entries()[k][f].clean(), k + " must not be clean for " + f);
					assertEquals(0, t.entries()[k][f].importance(), 1e-12);
					// leakage into another factor is what this direction does to factor k: the whole walk's excursion from t = 0
					assertEquals(3 * 0.4, t.entries()[k][f].leakMedian(), 1e-9);
				}
		}
		DirectionScores.Null nul = DirectionScores.Null.of(DirectionScores.score(walks(200, (k, s) -> new double[F], 0.05, 2), ALL));
		DirectionScores.Aggregates a = DirectionScores.aggregate(t, nul);
		assertEquals(F, a.coverage());
		assertEquals(1.0, a.redundancy(), 1e-12);
		assertEquals(1.0, a.disentanglement(), 1e-9);
		assertEquals(1.0, a.completeness(), 1e-9);
		for (int f = 0; f < F; f++) {
			assertEquals(f, a.best()[f]);
			assertTrue(nul.significant(f, t.entries()[f][f]));
			assertEquals(1.0, nul.beats(f, t.entries()[f][f]), 1e-12);
		}
	}

	@Test
	void givenADirectionThatAlsoMovesASecondFactor_whenScored_thenItLeaksAndIsNeitherCleanNorWeak() {
		DirectionScores.Entry e = DirectionScores.score(walks(1, (k, s) -> new double[] {0.4 * s, 0.2 * s, 0, 0}, 0, 1), ALL).entries()[0][0];
		assertEquals(1.0, e.rho(), 1e-12);
		assertEquals(0.6, e.leakMedian(), 1e-9);
		assertFalse(e.clean());
		assertFalse(e.weak());
		// the leaking factor is not counted when the oracle cannot read it (oracle-limited)
		DirectionScores.Entry limited = DirectionScores.score(walks(1, (k, s) -> new double[] {0.4 * s, 0.2 * s, 0, 0}, 0, 1),
			new boolean[] {true, false, true, true}).entries()[0][0];
		assertTrue(limited.clean());
	}

	@Test
	void givenSmallEffectOrNonMonotoneWalks_whenScored_thenTheRulesSaySo() {
		DirectionScores.Entry small = DirectionScores.score(walks(1, (k, s) -> new double[] {0.05 * s, 0, 0, 0}, 0, 1), ALL).entries()[0][0];
		assertEquals(1.0, small.rho(), 1e-12);
		assertFalse(small.clean(), "effect 0.3σ < 0.5σ");
		assertTrue(small.weak());
		DirectionScores.Entry bump = DirectionScores.score(walks(1, (k, s) -> new double[] {s * s, 0, 0, 0}, 0, 1), ALL).entries()[0][0];
		assertEquals(0, bump.rho(), 1e-12);
		assertFalse(bump.weak());
	}

	@Test
	void givenFramesOffTheDataManifold_whenScored_thenRealismBlocksCleanliness() {
		Walks w = walks(1, (k, s) -> exact(0, s, 0.4), 0, 1);
		for (boolean[] walk : w.inDistribution()[0]) for (int t = 0; t < walk.length; t++) walk[t] = Math.abs(SHIFTS[t]) < 2;
		DirectionScores.Entry e = DirectionScores.score(w, ALL).entries()[0][0];
		assertEquals(5 / 9.0, e.realism(), 1e-12);
		assertFalse(e.clean());
	}

	@Test
	void givenAFactorUnobservableOnMostWalks_whenScored_thenItIsNotMeasuredAndDoesNotLeak() {
		Walks w = walks(1, (k, s) -> new double[] {0.4 * s, 5 * s, 0, 0}, 0, 1);
		for (int b = 0; b < BASES; b++) for (int t = 0; t < SHIFTS.length; t++) w.observable()[0][b][t][1] = b == 0 && t < 2;
		DirectionScores.Table t = DirectionScores.score(w, ALL);
		assertTrue(Double.isNaN(t.entries()[0][1].rho()));
		assertEquals(0, t.entries()[0][1].importance());
		assertTrue(t.entries()[0][0].clean(), "factor 1 is never observable together with t = 0, so it cannot leak");
	}

	@Test
	void givenRandomWalks_whenTheNullIsBuilt_thenItsThresholdIsTheNinetyNinthPercentile() {
		DirectionScores.Null nul = DirectionScores.Null.of(DirectionScores.score(walks(300, (k, s) -> new double[F], 0.2, 3), ALL));
		assertEquals(300, nul.size());
		for (int f = 0; f < F; f++) {
			double thr = nul.threshold(f);
			assertTrue(thr > 0, "noise gives some chance selectivity");
			assertEquals(0.99, nul.beats(f, withSelectivity(thr)), 0.01);
			assertFalse(nul.significant(f, withSelectivity(thr * 0.5)));
		}
	}

	static DirectionScores.Entry withSelectivity(double s) {
		return new DirectionScores.Entry(1, 1, 1, 0, 0, 1, s);
	}

	@Test
	void givenNoisyReadingsOfAPerfectDirection_whenScored_thenTheFittedLeakageIsNotChargedTheOraclesNoise() {
		// the oracle's per-reading error (here 0.1σ) on the other factors: version 1 took the largest single-frame change
		Walks w = walks(1, (k, s) -> exact(0, s, 0.4), 0.1, 5);
		DirectionScores.Entry e = DirectionScores.score(w, ALL).entries()[0][0];
		double legacy = 0;
		for (int g = 1; g < F; g++) legacy = Math.max(legacy, DirectionScores.leakage(w, 0, g)[0]);
		assertTrue(legacy > 0.2, "the largest single-frame change of pure noise exceeds the 0.2σ rule: " + legacy);
		assertTrue(e.leakMedian() < 0.2, "fitted leakage " + e.leakMedian());
		assertTrue(e.clean());
	}

	@Test
	void givenTheOraclesMeasuredFloor_whenScored_thenOnlyLeakageAboveItCounts() {
		// the oracle reads 0.05σ of factor 1 per unit shift whenever factor 0 moves (0.15σ over the walk's half): its floor
		double[][][][] leak = new double[F][F][1][];
		for (double[][][] byG : leak) for (double[][] byE : byG) byE[0] = new double[] {0, 0};
		leak[0][1][0] = new double[] {0.15, 0.15};
		OracleFloor floor = new OracleFloor(OracleFloor.VERSION, java.util.List.of("a", "b", "c", "d"), new double[] {2.4}, leak, 1, 8, "test");
		Walks crosstalk = walks(1, (k, s) -> new double[] {0.4 * s, 0.1 * s, 0, 0}, 0, 1);
		assertFalse(DirectionScores.score(crosstalk, ALL).entries()[0][0].clean(), "raw: 0.3σ of leakage");
		DirectionScores.Entry net = DirectionScores.score(crosstalk, ALL, floor).entries()[0][0];
		assertEquals(0.15, net.leakMedian(), 1e-9);
		assertTrue(net.clean());
		Walks twoFactors = walks(1, (k, s) -> new double[] {0.4 * s, 0.3 * s, 0, 0}, 0, 1);
		DirectionScores.Entry mixed = DirectionScores.score(twoFactors, ALL, floor).entries()[0][0];
		assertEquals(0.75, mixed.leakMedian(), 1e-9);
		assertFalse(mixed.clean(), "a real second factor stays leakage");
		// half the effect, half the floor (linear from 0 to the measured effect)
		assertEquals(0.075, floor.allowance(0, 1, 1.2)[0], 1e-12);
		assertEquals(0.15, floor.allowance(0, 1, 10)[0], 1e-12);
	}

	@Test
	void givenAFactorThatExistsInPartOfTheBody_whenAZDirectionMovesItInOneBaseOfTen_thenOnlyItsMedianIsJudged() {
		// factor 0 plays z, factor 1 breast: in one base of eight the other factor's reading moves by 1.5σ over the walk's half
		Walks w = walks(2, (k, s) -> exact(k, s, 0.4), 0, 1);
		for (int t = 0; t < SHIFTS.length; t++) for (int k = 0; k < 2; k++) w.values()[k][7][t][1 - k] += 1.5 * SHIFTS[t] / 3;
		boolean[] part = {false, true, false, false};
		DirectionScores.Scoring bodyPart = new DirectionScores.Scoring(ALL, null, 0, part);
		DirectionScores.Entry z = DirectionScores.score(w, bodyPart).entries()[0][0];
		assertEquals(0, z.leakMedian(), 1e-9);
		assertEquals(0, z.leakP90(), 1e-9, "the p90 of a z direction into a factor that exists only in part of the body is not judged");
		assertTrue(z.clean());
		DirectionScores.Entry other = DirectionScores.score(w, bodyPart).entries()[1][1];
		assertTrue(other.leakP90() > 0.35, "any other direction's p90 is judged: " + other.leakP90());
		assertFalse(other.clean());
		assertFalse(DirectionScores.score(w, ALL).entries()[0][0].clean(), "without the rule the z direction fails its p90");
		// a z direction that moves the breast in most bases stays unclean through the median
		Walks mixed = walks(1, (k, s) -> new double[] {0.4 * s, 0.1 * s, 0, 0}, 0, 1);
		assertFalse(DirectionScores.score(mixed, bodyPart).entries()[0][0].clean());
	}

	@Test
	void givenRandomDirectionsThatMoveEveryFactor_whenTheNullIsBuilt_thenAPerfectDirectionBeatsItAndTheyDoNot() {
		Random r = new Random(9);
		double[][] mix = new double[300][F];
		for (double[] m : mix) for (int f = 0; f < F; f++) m[f] = 0.3 * r.nextGaussian();
		DirectionScores.Table nullTable = DirectionScores.score(walks(300, (k, s) -> {
			double[] x = new double[F];
			for (int f = 0; f < F; f++) x[f] = mix[k][f] * s;
			return x;
		}, 0.02, 4), ALL);
		DirectionScores.Null nul = DirectionScores.Null.of(nullTable);
		DirectionScores.Table perfect = DirectionScores.score(walks(F, (k, s) -> exact(k, s, 0.3), 0.02, 5), ALL);
		for (int f = 0; f < F; f++) {
			assertTrue(nul.significant(f, perfect.entries()[f][f]), "factor " + f);
			// S is f's change over everything else's: a perfect walk of 1.8σ whose leakage is at the 0.05σ resolution
			// reaches ~36; a typical random mix changes f about as much as the other factors together (S ~ 1)
			assertTrue(perfect.entries()[f][f].selectivity() > 20, "perfect: " + perfect.entries()[f][f].selectivity());
			assertTrue(Stats.median(nul.sortedSelectivity()[f]) < 1, "a typical random mix is not selective: " + Stats.median(nul.sortedSelectivity()[f]));
			assertEquals(100 * (1 - 0.01 / F), nul.percentile(), 1e-12, "significance at α/F: a direction is labelled with the best of F factors");
		}
	}

	@Test
	void givenEveryDirectionMovingEveryFactor_whenAggregated_thenDisentanglementAndCompletenessAreZero() {
		DirectionScores.Table t = DirectionScores.score(walks(F, (k, s) -> new double[] {s, s, s, s}, 0, 1), ALL);
		assertEquals(0, DirectionScores.disentanglement(t), 1e-9);
		assertEquals(0, DirectionScores.completeness(t), 1e-9);
		assertEquals(0, DirectionScores.aggregate(t, DirectionScores.Null.of(t)).coverage());
	}
}
