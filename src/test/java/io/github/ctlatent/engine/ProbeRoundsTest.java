package io.github.ctlatent.engine;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Rankings measured on a busy machine stay provisional; the least disturbed round decides; wrong stays wrong. */
class ProbeRoundsTest {

	private static Numerics.ProbeResult timed(double ips, double gflopsBefore, double gflopsAfter) {
		return new Numerics.ProbeResult(true, 1e-6, "", ips, gflopsBefore, gflopsAfter);
	}

	private static final Numerics.ProbeResult WRONG = new Numerics.ProbeResult(false, 0.9, "weight gradient", Double.NaN);

	private static Map<String, Numerics.ProbeResult> round(Numerics.ProbeResult onednnAvx, Numerics.ProbeResult nativeKernels) {
		Map<String, Numerics.ProbeResult> m = new LinkedHashMap<>();
		m.put("onednn", WRONG);
		m.put("onednn-avx", onednnAvx);
		m.put("native", nativeKernels);
		return m;
	}

	private static Numerics.Verdict verdict(Map<String, Numerics.ProbeResult> tried, ProbeRounds.Ranking ranking) {
		return new Numerics.Verdict(NumericsConfig.NATIVE, true, 1e-6, "", 1, "ranked", "cpu", "2.7.1", "now", tried, ranking);
	}

	@Test
	void aQuietMachineIsNotDisturbedAndABusyOneIs() {
		Map<String, Numerics.ProbeResult> steady = round(timed(3, 50, 50), timed(2, 50, 51));
		assertEquals(0.02, ProbeRounds.disturbance(0, 2, steady), 0.001);
		Map<String, Numerics.ProbeResult> jumpy = round(timed(3, 50, 25), timed(2, 40, 50));
		assertEquals(0.5, ProbeRounds.disturbance(0, 2, jumpy), 1e-9, "the matmul speeds around the probes halved");
		assertEquals(1.5 + 0.02, ProbeRounds.disturbance(3, 2, steady), 0.001, "load average 3 on 2 cores");
		assertEquals(0, ProbeRounds.disturbance(0, 2, round(WRONG, WRONG)), "no timings, no spread");
	}

	@Test
	void aBusyFirstRoundIsProvisionalAndAQuietOneSettles() {
		ProbeRounds.Ranking busy = ProbeRounds.next(null, 1.4, 2);
		assertEquals(new ProbeRounds.Ranking(1, 1.4, false), busy);
		assertEquals(new ProbeRounds.Ranking(2, 0.1, true), ProbeRounds.next(busy, 0.1, 2));
		ProbeRounds.Ranking stillBusy = ProbeRounds.next(busy, 2.0, 2);
		assertEquals(new ProbeRounds.Ranking(2, 1.4, false), stillBusy, "the less disturbed round is kept");
		assertEquals(new ProbeRounds.Ranking(3, 1.4, true), ProbeRounds.next(stillBusy, 1.9, 2), "a machine never quiet stops after three rounds");
		assertTrue(ProbeRounds.next(null, 0.3, 2).settled());
		assertTrue(ProbeRounds.next(null, 1.4, 1).settled(), "one correct configuration: timing decides nothing");
	}

	@Test
	void onlyProvisionalRankingsAreMeasuredAgain() {
		Map<String, Numerics.ProbeResult> ranked = round(timed(3, 50, 50), timed(4, 50, 50));
		assertTrue(ProbeRounds.needsAnotherRound(verdict(ranked, new ProbeRounds.Ranking(1, 1.4, false))));
		assertFalse(ProbeRounds.needsAnotherRound(verdict(ranked, new ProbeRounds.Ranking(2, 0.1, true))));
		assertTrue(ProbeRounds.needsAnotherRound(verdict(ranked, null)), "a ranking cached before rounds existed");
		assertFalse(ProbeRounds.needsAnotherRound(verdict(Map.of("onednn", timed(Double.NaN, 0, 0)), null)),
			"libtorch's default passed: nothing was ranked");
		assertFalse(ProbeRounds.needsAnotherRound(verdict(round(timed(3, 50, 50), WRONG), null)), "one correct configuration: nothing to rank");
		Numerics.Verdict failed = new Numerics.Verdict(NumericsConfig.ONEDNN, false, Double.NaN, "all wrong", 0, "all wrong", "cpu", "2.7.1", "now", ranked, null);
		assertFalse(ProbeRounds.needsAnotherRound(failed), "a failed check is not re-timed");
	}

	@Test
	void theLessDisturbedRoundsTimingsWinAndWrongStaysWrong() {
		// measured under load, libtorch's own kernels looked fastest; measured quietly, the AVX cap is
		Map<String, Numerics.ProbeResult> busy = round(timed(2.0, 30, 45), timed(2.6, 30, 45));
		Map<String, Numerics.ProbeResult> quiet = round(timed(3.1, 50, 50), timed(1.6, 50, 50));
		Map<String, Numerics.ProbeResult> merged = ProbeRounds.merge(busy, 1.3, quiet, 0.05);
		assertEquals(3.1, merged.get("onednn-avx").imagesPerSecond());
		assertEquals(1.6, merged.get("native").imagesPerSecond());
		assertEquals(2.6, ProbeRounds.merge(busy, 0.2, quiet, 1.5).get("native").imagesPerSecond(), "the earlier round was quieter");

		Map<String, Numerics.ProbeResult> nativeWrongOnce = round(timed(3.1, 50, 50), WRONG);
		Numerics.ProbeResult n = ProbeRounds.merge(busy, 1.3, nativeWrongOnce, 0.05).get("native");
		assertFalse(n.passed());
		assertEquals("weight gradient", n.failures());
		assertFalse(ProbeRounds.merge(nativeWrongOnce, 0.05, busy, 1.3).get("native").passed(), "in either order");
		assertSame(quiet, ProbeRounds.merge(null, 0, quiet, 0.05));
	}

	@Test
	void aProbeThatRanOutOfTimeIsUnknownNotWrong() {
		Numerics.ProbeResult noAnswer = new Numerics.ProbeResult(false, Double.NaN, Probes.TIMED_OUT + "180 s", Double.NaN);
		Map<String, Numerics.ProbeResult> busy = round(noAnswer, timed(2.6, 30, 45));
		Map<String, Numerics.ProbeResult> quiet = round(timed(3.1, 50, 50), noAnswer);
		Map<String, Numerics.ProbeResult> merged = ProbeRounds.merge(busy, 1.0, quiet, 0.05);
		assertTrue(merged.get("onednn-avx").passed(), "correct in the round that heard from it");
		assertEquals(3.1, merged.get("onednn-avx").imagesPerSecond());
		assertTrue(merged.get("native").passed(), "not vetoed by a round that did not hear from it");
		assertTrue(noAnswer.describe().startsWith("unknown: the probe did not finish"), noAnswer.describe());
		// too busy to hear from any probe: the configuration checked in-process is kept only until a round is heard
		assertEquals(2, ProbeRounds.contenders(round(noAnswer, noAnswer)));
		assertTrue(ProbeRounds.needsAnotherRound(verdict(round(noAnswer, noAnswer), ProbeRounds.next(null, 1.0, 2))));
		assertEquals(1, ProbeRounds.contenders(round(noAnswer, WRONG)), "one unknown, one wrong: nothing to rank");
		Numerics.ProbeResult untimed = new Numerics.ProbeResult(true, 1e-6, Probes.TIMED_OUT + "180 s while timing", Double.NaN);
		assertEquals("correct, not timed (the probe did not finish within 180 s while timing)", untimed.describe());
	}
}
