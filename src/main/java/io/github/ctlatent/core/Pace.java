package io.github.ctlatent.core;

import java.util.Locale;

/**
 * How long a long loop will take, from the rate measured in this process: once about a second of work is done,
 * one log line gives the time to go for the whole loop. No built-in constants: the device, the model and the
 * machine's load set the rate. (The loops keep fixed batch sizes: a generator's output depends in its last bits on
 * the batch it was rendered in, so batches sized by time would make reruns differ.)
 * <pre>
 * Pace pace = new Pace(monitor, "Sampling", count, "images");
 * … after each batch of n: pace.done(n);
 * </pre>
 */
public final class Pace {

	private final Monitor monitor;
	private final String what, unit;
	private final long total;
	private final long t0 = System.nanoTime();
	private long done;
	private boolean told;

	/** {@code what} names the loop in the log line, {@code total} counts its units ({@code unit}). */
	public Pace(Monitor monitor, String what, long total, String unit) {
		this.monitor = monitor;
		this.what = what;
		this.unit = unit;
		this.total = total;
	}

	/** {@code n} more units are done; logs the estimate once a second of work has been measured. */
	public void done(long n) {
		done += n;
		double elapsed = (System.nanoTime() - t0) / 1e9;
		if (told || elapsed < 1 || done >= total) return;
		told = true;
		double rate = done / elapsed;
		monitor.log(String.format(Locale.ROOT, "%s: %,d %s in all; at the %.1f %s/s measured so far, about %s to go", what, total, unit, rate, unit,
			duration((total - done) / rate)));
	}

	/** "40 s", "12 min", "3.5 h". */
	public static String duration(double seconds) {
		if (seconds < 90) return Math.round(seconds) + " s";
		if (seconds < 90 * 60) return Math.round(seconds / 60) + " min";
		return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
	}
}
