package io.github.ctlatent.engine;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * When libtorch's default fails the check, the alternatives are ranked by timing them, and timings taken on a busy
 * machine mislead: measured on this project's Zen 5 machine under load, libtorch's own kernels ({@code native})
 * came out fastest and were cached, although they train the 64² VAE about 2× slower than {@code onednn-avx} when the
 * machine is quiet. (Dividing by the matmul speed measured around each probe removes a steady slowdown, not a
 * neighbour that affects memory-bound and compute-bound kernels differently.) So a ranking measured on a disturbed
 * machine is provisional: later processes measure again — up to {@link #MAX_ROUNDS} rounds — and the least disturbed
 * round's timings decide. Correctness is never averaged away: a configuration wrong in any round stays wrong.
 */
final class ProbeRounds {

	/** After this many rounds the least disturbed one is kept, busy or not, so a machine that is never quiet stops re-measuring. */
	static final int MAX_ROUNDS = 3;
	/** A round at or below this {@link #disturbance} is quiet enough to settle the ranking. */
	static final double QUIET = 0.5;
	/** The disturbance a round is given at least when a probe ran out of time. */
	static final double BUSY = 1.0;

	/**
	 * How a ranking came about, stored with the cached verdict.
	 *
	 * @param rounds      ranking rounds measured so far on this machine
	 * @param disturbance of the round whose timings are kept (see {@link #disturbance})
	 * @param settled     no more rounds are needed
	 */
	record Ranking(int rounds, double disturbance, boolean settled) {
		String describe() {
			return String.format(Locale.ROOT, "ranking from round %d, disturbance %.2f%s", rounds, disturbance,
				settled ? "" : " (provisional: measured again by the next process)");
		}
	}

	private ProbeRounds() {}

	/**
	 * How disturbed a ranking round was: the 1-minute load average before it per core (0 where the OS does not
	 * tell) plus the relative spread of every matmul speed its probes measured (1 − slowest/fastest). A quiet
	 * machine gives about 0–0.2; one busy neighbour on two cores 0.5 or more.
	 */
	static double disturbance(double loadBefore, int cores, Map<String, Numerics.ProbeResult> tried) {
		double lo = Double.MAX_VALUE, hi = 0;
		for (Numerics.ProbeResult r : tried.values())
			for (double g : new double[] {r.gflopsBefore(), r.gflopsAfter()})
				if (g > 0) {
					lo = Math.min(lo, g);
					hi = Math.max(hi, g);
				}
		double spread = hi > 0 ? 1 - lo / hi : 0;
		return Math.max(0, loadBefore) / Math.max(1, cores) + spread;
	}

	/** The 1-minute system load average, or 0 where the OS does not provide it. */
	static double loadAverage() {
		return Math.max(0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	/** Whether a cached verdict's ranking should be measured again: it was ranked, provisionally, and rounds remain. */
	static boolean needsAnotherRound(Numerics.Verdict cached) {
		if (!cached.passed() || cached.tried() == null || contenders(cached.tried()) < 2) return false; // nothing was ranked
		Ranking r = cached.ranking();
		return r == null || (!r.settled() && r.rounds() < MAX_ROUNDS); // a verdict from before rounds existed is measured again once
	}

	/**
	 * The round after {@code previous} (null: the first) with the given disturbance; settled at once when fewer than
	 * two configurations are {@link #contenders}: with one correct configuration timing decides nothing.
	 */
	static Ranking next(Ranking previous, double disturbance, int contenders) {
		int rounds = previous == null ? 1 : previous.rounds() + 1;
		boolean keepOld = previous != null && previous.disturbance() < disturbance;
		double kept = keepOld ? previous.disturbance() : disturbance;
		return new Ranking(rounds, kept, contenders < 2 || kept <= QUIET || rounds >= MAX_ROUNDS);
	}

	/**
	 * How many configurations may be the fastest correct one: those that passed, and those whose probe ran out of time
	 * before its check (unknown, so a later round may find them correct). Only between two or more does timing choose.
	 */
	static int contenders(Map<String, Numerics.ProbeResult> tried) {
		return (int) tried.values().stream().filter(r -> r.passed() || unknown(r)).count();
	}

	/**
	 * Merges this round's probe results into the previous round's: a configuration is correct only if it was
	 * correct in both (a probe that ran out of time before its check counts as neither); its timing comes from the
	 * less disturbed round.
	 */
	static Map<String, Numerics.ProbeResult> merge(Map<String, Numerics.ProbeResult> previous, double previousDisturbance,
		Map<String, Numerics.ProbeResult> now, double nowDisturbance) {
		if (previous == null || previous.isEmpty()) return now;
		boolean timingsFromNow = nowDisturbance <= previousDisturbance;
		Map<String, Numerics.ProbeResult> m = new LinkedHashMap<>();
		now.forEach((k, r) -> {
			Numerics.ProbeResult old = previous.get(k);
			if (old == null || unknown(old)) { // a probe that ran out of time before its check knows nothing
				m.put(k, r);
				return;
			}
			if (unknown(r)) {
				m.put(k, old);
				return;
			}
			Numerics.ProbeResult timed = timingsFromNow ? r : old;
			boolean passed = r.passed() && old.passed();
			Numerics.ProbeResult wrong = !r.passed() ? r : old;
			m.put(k, passed ? timed : new Numerics.ProbeResult(false, wrong.worstError(), wrong.failures(), Double.NaN, timed.gflopsBefore(), timed.gflopsAfter()));
		});
		return m;
	}

	private static boolean unknown(Numerics.ProbeResult r) {
		return !r.passed() && Probes.timedOut(r);
	}
}
