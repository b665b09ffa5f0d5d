package io.github.ctlatent.testing;

import ij.Macro;
import ij.Menus;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import io.github.ctlatent.cli.CommandRunner;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test harness (c): replays an ImageJ macro through ImageJ 1's real macro interpreter. Each project command is
 * entered in ImageJ 1's command table under its menu label; {@code run("Label", "options")} lands in
 * {@link Bridge}, which reads each {@code @Parameter} with Fiji's key rule (field name lower-cased, cut at the
 * first space; a checkbox is true when its bare key is present, false when absent) and runs the SciJava command.
 * <p>
 * Stands in for imagej-legacy, which does this inside Fiji but is not obtainable from Maven Central.
 */
public final class MacroHarness {

	/** One command the macro ran, with its outputs. */
	public record Call(String label, Map<String, String> args, Map<String, Object> outputs) {}

	private static final List<Call> calls = new ArrayList<>();
	private static RuntimeException failure;

	private MacroHarness() {}

	public static synchronized List<Call> runFile(Path macro) throws IOException {
		return run(Files.readString(macro));
	}

	/** Runs macro code; returns the commands it ran. A failing command fails the replay with its message. */
	public static synchronized List<Call> run(String code) {
		calls.clear();
		failure = null;
		register();
		new Interpreter().run(code);
		if (failure != null) throw failure;
		return new ArrayList<>(calls);
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	private static void register() {
		Hashtable table = Menus.getCommands();
		if (table == null) {
			// headless ImageJ 1 builds its command table from AWT menus, which fails without a display
			try {
				Field f = Menus.class.getDeclaredField("pluginsTable");
				f.setAccessible(true);
				table = new Hashtable();
				f.set(null, table);
			} catch (ReflectiveOperationException e) {
				throw new IllegalStateException("Cannot install ImageJ 1 command table", e);
			}
		}
		for (CommandInfo c : Harness.runner().projectCommands())
			table.put(CommandRunner.label(c), Bridge.class.getName() + "(\"" + c.getClassName() + "\")");
	}

	/** Fiji's macro key for a parameter. */
	static String key(ModuleItem<?> item) {
		String k = item.getName().toLowerCase(Locale.ROOT);
		int sp = k.indexOf(' ');
		return sp < 0 ? k : k.substring(0, sp);
	}

	/** The ImageJ 1 plugin each command label points to. */
	public static final class Bridge implements PlugIn {
		@Override
		public void run(String className) {
			String options = Macro.getOptions();
			CommandRunner runner = Harness.runner();
			CommandInfo info = runner.find(className);
			Map<String, String> args = new LinkedHashMap<>();
			for (ModuleItem<?> item : CommandRunner.userInputs(info)) {
				String key = key(item);
				String v = options == null ? null : Macro.getValue(options, key, null);
				boolean bool = item.getType() == boolean.class || item.getType() == Boolean.class;
				// ImageJ records a checked box as the bare key and omits an unchecked one
				if (bool && v == null && options != null) v = String.valueOf((" " + options + " ").contains(" " + key + " "));
				if (v != null) args.put(key, v);
			}
			try {
				calls.add(new Call(CommandRunner.label(info), args, runner.run(info, args)));
			} catch (RuntimeException e) {
				failure = e;
				Interpreter.abort();
			}
		}
	}
}
