package io.github.ctlatent.cli;

import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;

import java.io.PrintStream;

/**
 * Shows SciJava status events on the console: a redrawn bar with ETA on a terminal, plain lines (at most one
 * per 5% or per 10 s) when output goes to a file or pipe, so CI logs stay readable.
 */
public final class ConsoleProgress {

	private final PrintStream out;
	private final boolean terminal;
	private long start = -1, startValue, lastLine;
	private int lastPercent = -1;
	private boolean barShown;

	public ConsoleProgress(PrintStream out, boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	@EventHandler
	public synchronized void onEvent(StatusEvent e) {
		int max = e.getProgressMaximum();
		if (max <= 0) return;
		int value = e.getProgressValue();
		show(value, max, e.getStatusMessage(), System.nanoTime());
	}

	synchronized void show(long value, long max, String message, long now) {
		if (start < 0 || value == 0 || value < startValue) { // a new task, or a resumed one that starts part-way
			start = now;
			startValue = value;
		}
		double f = Math.min(1, Math.max(0, value / (double) max));
		int percent = (int) (100 * f);
		String eta = eta(value - startValue, max - value, (now - start) / 1e9);
		String msg = message == null ? "" : message;
		if (terminal) {
			int width = 30, filled = (int) Math.round(width * f);
			out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + String.format("%3d%% ", percent) + eta
				+ " " + (msg.length() > 60 ? msg.substring(0, 60) : msg) + "\u001b[K");
			barShown = value < max;
			if (!barShown) out.println();
			out.flush();
		} else if (percent >= lastPercent + 5 || value >= max || now - lastLine > 10_000_000_000L) {
			out.println(String.format("[%3d%%] %s %s", percent, eta, msg).trim());
			lastPercent = value >= max ? -1 : percent;
			lastLine = now;
		}
	}

	/** Remaining time at the rate of this session (a resumed run's earlier steps took no time here). */
	static String eta(long done, long remaining, double elapsedSeconds) {
		if (done <= 0 || remaining <= 0 || elapsedSeconds < 1) return "";
		long s = Math.round(elapsedSeconds * remaining / done);
		return String.format("ETA %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
	}
}
