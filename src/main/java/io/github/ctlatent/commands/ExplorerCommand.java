package io.github.ctlatent.commands;

import ij.IJ;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Limits;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.ui.DialogPrompt;
import org.scijava.ui.UIService;

/**
 * Base of the project's heavy commands: wiring only. It hands the engine a {@link Monitor} that reports to
 * SciJava's {@link StatusService} (Fiji's status and progress bar; the console bar when headless), logs through
 * {@link LogService}, and cancels when the module is canceled, its thread interrupted, or Esc pressed in ImageJ.
 * <p>
 * An {@link ExplorerException} becomes one clear message (an error dialog in the GUI, a log line headless)
 * and cancels the module with that message as reason, so callers see it without a stack trace.
 * <p>
 * Parameter conventions (they make every command macro-recordable and runnable headless): fields in snake_case
 * (the macro key is the lower-cased field name); a value the user must give is required and has no initializer;
 * every other one is {@code required = false} with its default as initializer; booleans default to false, because
 * a macro records a checked box as its bare key and omits an unchecked one.
 */
public abstract class ExplorerCommand extends ContextCommand {

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	private volatile Throwable failure;
	private volatile boolean callerReports;

	/** The work: engines are called with the monitor; outputs are assigned to fields. */
	protected abstract void execute(Monitor monitor) throws Exception;

	@Override
	public final void run() {
		IJ.resetEscape();
		try {
			checkNumbers();
			execute(monitor());
			status.clearStatus();
		} catch (CanceledException e) {
			fail(e, isCanceled() && getCancelReason() != null ? getCancelReason() : e.getMessage());
		} catch (ExplorerException e) {
			fail(e, e.getMessage());
		} catch (Exception | OutOfMemoryError e) {
			fail(e, e instanceof OutOfMemoryError ? "Out of memory in " + label() + ": the settings need more memory than the "
				+ Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB Java may use. Use smaller sizes or counts, or give Java more memory (-Xmx)."
				: "Unexpected error in " + getClass().getSimpleName() + ": " + e + ". Please report it with the log; the full stack trace was written to the log.");
			if (!(e instanceof OutOfMemoryError)) log.error(e);
		}
	}

	/**
	 * Checks every numeric parameter before anything runs: finite, and within its range declared in {@link Limits}
	 * (the message names the key, the limit and what it protects); a key without an entry there (a test fixture's)
	 * is held to the {@code min}/{@code max} of its {@code @Parameter}, which SciJava itself uses only for dialogs.
	 */
	private void checkNumbers() throws IllegalAccessException {
		for (Class<?> c = getClass(); c != null && c != ExplorerCommand.class; c = c.getSuperclass())
			for (java.lang.reflect.Field f : c.getDeclaredFields()) {
				Parameter p = f.getAnnotation(Parameter.class);
				Class<?> t = f.getType();
				if (p == null || p.type() == org.scijava.ItemIO.OUTPUT || !(t == int.class || t == long.class || t == double.class || t == float.class))
					continue;
				f.setAccessible(true);
				Number n = (Number) f.get(this);
				double v = n.doubleValue();
				String key = f.getName(), shown = t == int.class || t == long.class ? String.valueOf(n.longValue()) : String.valueOf(v);
				String about = p.description().isEmpty() ? "" : " (" + p.description() + ")";
				if (!Double.isFinite(v)) throw new ExplorerException(key + "=" + shown + " is not a finite number" + about + ".");
				// the one declaration of the key's range, shared with the engines' settings (Java/Jython callers)
				java.util.Optional<Limits.Range> range = Limits.of(getClass(), key);
				if (range.isPresent()) {
					range.get().check(v);
					continue;
				}
				if (!p.min().isEmpty() && v < Double.parseDouble(p.min()))
					throw new ExplorerException(key + " must be >= " + p.min() + ", got " + shown + about + ".");
				if (!p.max().isEmpty() && v > Double.parseDouble(p.max()))
					throw new ExplorerException(key + " must be <= " + p.max() + ", got " + shown + about + ".");
			}
	}

	/** The menu label, e.g. "Train GAN" (names the owner in output locks). */
	protected String label() {
		String path = getClass().getAnnotation(org.scijava.plugin.Plugin.class).menuPath();
		return path.substring(path.lastIndexOf('>') + 1);
	}

	/** Locks an output for this command (see {@link OutputLock}); logs when a killed run's stale lock is taken over. */
	protected OutputLock lock(java.io.File output, Monitor monitor) {
		return OutputLock.acquire(output.toPath(), label(), monitor);
	}

	/**
	 * Tells the command that its caller prints the error message itself (the command-line runner), so that
	 * the message is not printed twice.
	 */
	public void callerReportsErrors() {
		callerReports = true;
	}

	/** The error that stopped the command, or null. */
	public Throwable failure() {
		return failure;
	}

	private void fail(Throwable e, String message) {
		failure = e;
		if (!isCanceled()) cancel(message);
		status.clearStatus();
		if (!callerReports) log.error(message);
		if (ui != null && !ui.isHeadless() && !(e instanceof CanceledException))
			ui.showDialog(message, DialogPrompt.MessageType.ERROR_MESSAGE);
	}

	protected Monitor monitor() {
		return new Monitor() {
			@Override
			public void progress(long done, long total, String message) {
				// StatusService takes ints; scale large totals so Fiji's bar still moves smoothly
				int scale = total > Integer.MAX_VALUE / 2 ? (int) (total / 1_000_000) + 1 : 1;
				status.showStatus((int) (done / scale), (int) (total / scale), message);
			}

			@Override
			public void log(String line) {
				log.info(line);
			}

			@Override
			public boolean isCanceled() {
				return ExplorerCommand.this.isCanceled() || Thread.currentThread().isInterrupted() || IJ.escapePressed();
			}
		};
	}
}
