package io.github.ctlatent.bench;

import io.github.ctlatent.core.Monitor;

/**
 * How {@code bench compare} times one row, the same rule on both sides ({@code bench/pytorch_bench.py} takes the same
 * three numbers): warm-up iterations until {@code warmupSeconds} have passed (at least one), then timed iterations
 * until at least {@code reps} of them and {@code timedSeconds} have passed; the best one counts.
 * <p>
 * Why seconds and not a count: a fixed "one warm-up, two timed" read the 64² rows (a quarter of a second per
 * iteration) in the third second of a fresh process, before the allocator and the page tables had settled, and from
 * two samples, so one busy moment of a shared machine decided a row (docs/performance.md). The slow 128² rows still
 * run one warm-up and two timed iterations, as before.
 */
record Timing(int reps, double warmupSeconds, double timedSeconds) {

	/** The rule of the compare children: {@code -Dbench.reps} (2), {@code -Dbench.warmup.seconds} (2), {@code -Dbench.timed.seconds} (3). */
	static Timing fromProperties() {
		return new Timing(Math.max(1, Integer.getInteger("bench.reps", 2)), seconds("bench.warmup.seconds", 2), seconds("bench.timed.seconds", 3));
	}

	private static double seconds(String key, double otherwise) {
		String v = System.getProperty(key);
		if (v == null || v.isBlank()) return otherwise;
		double s = Double.parseDouble(v.trim());
		if (!(s >= 0 && s <= 600)) throw new IllegalArgumentException("-D" + key + "=" + v + " is not a time in seconds from 0 to 600");
		return s;
	}

	/** The best time of one {@code step}, in seconds, by this rule. */
	double best(Runnable step, Monitor monitor) {
		long start = System.nanoTime();
		do {
			monitor.checkCanceled();
			step.run();
		} while (elapsed(start) < warmupSeconds);
		double best = Double.POSITIVE_INFINITY;
		start = System.nanoTime();
		for (int i = 0; i < reps || elapsed(start) < timedSeconds; i++) {
			monitor.checkCanceled();
			long t0 = System.nanoTime();
			step.run();
			best = Math.min(best, elapsed(t0));
		}
		return best;
	}

	private static double elapsed(long since) {
		return (System.nanoTime() - since) / 1e9;
	}
}
