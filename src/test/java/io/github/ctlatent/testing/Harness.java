package io.github.ctlatent.testing;

import io.github.ctlatent.cli.CommandRunner;
import org.scijava.Context;
import org.scijava.command.Command;

import java.util.LinkedHashMap;
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

	/** Runs a command class with {@code key, value, key, value …} (values as strings, as on a command line). */
	public static Map<String, Object> run(Class<? extends Command> command, Object... keyValues) {
		Map<String, String> args = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) args.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
		CommandRunner r = runner();
		return r.run(r.find(command.getName()), args);
	}
}
