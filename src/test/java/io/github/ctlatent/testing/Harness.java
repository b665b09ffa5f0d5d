package io.github.ctlatent.testing;

import io.github.ctlatent.cli.CommandRunner;
import org.scijava.Context;
import org.scijava.command.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test harness (a): runs the project's commands through a real SciJava {@link Context} and
 * {@code CommandService}, exactly as the headless runner and Fiji do. One context per test JVM.
 */
public final class Harness {

	private static Context context;

	private Harness() {}

	public static synchronized Context context() {
		if (context == null) context = new Context();
		return context;
	}

	public static CommandRunner runner() {
		return new CommandRunner(context());
	}

	/** The lines logged through the shared context while {@code r} runs. */
	public static List<String> logged(Runnable r) {
		List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.scijava.log.LogListener listener = m -> lines.add(String.valueOf(m.text()));
		org.scijava.log.LogService log = context().service(org.scijava.log.LogService.class);
		log.addLogListener(listener);
		try {
			r.run();
		} finally {
			log.removeLogListener(listener);
		}
		return lines;
	}

	/** Runs a command class with {@code key, value, key, value …} (values as strings, as on a command line). */
	public static Map<String, Object> run(Class<? extends Command> command, Object... keyValues) {
		Map<String, String> args = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) args.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
		CommandRunner r = runner();
		return r.run(r.find(command.getName()), args);
	}
}
