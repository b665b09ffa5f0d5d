package io.github.ctlatent.core;

import java.io.PrintStream;

/**
 * What long-running engines report to and ask about: progress, status, log lines and cancellation.
 * <p>
 * Engines are plain Java and know nothing of SciJava or ImageJ; commands adapt this interface to
 * {@code StatusService}/{@code Cancelable}, the command-line runner to a console progress bar.
 */
public interface Monitor {

	/** Progress {@code done} of {@code total} work units, with a short status line. */
	void progress(long done, long total, String status);

	/** A line for the log (settings, device, seed, results). */
	void log(String line);

	/** True once the user asked to stop; engines poll it between units of work. */
	boolean isCanceled();

	/** Throws {@link CanceledException} if the user asked to stop. */
	default void checkCanceled() {
		if (isCanceled()) throw new CanceledException();
	}

	/** A monitor that reports nothing and never cancels. */
	Monitor NONE = new Monitor() {
		@Override public void progress(long done, long total, String status) {}
		@Override public void log(String line) {}
		@Override public boolean isCanceled() { return false; }
	};

	/** A monitor that writes log lines to {@code out} and ignores progress (tests, scripts). */
	static Monitor printing(PrintStream out) {
		return new Monitor() {
			@Override public void progress(long done, long total, String status) {}
			@Override public void log(String line) { out.println(line); }
			@Override public boolean isCanceled() { return false; }
		};
	}
}
