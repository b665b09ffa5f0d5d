package io.github.ctlatent.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.commands.ExplorerCommand;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Runs the project's SciJava commands by menu label or class name with {@code key=value} arguments, using the
 * keys a Fiji macro uses (the {@code @Parameter} field name, lower-cased). Everything it knows about a command
 * comes from the command metadata, so new commands need no registration here.
 */
public final class CommandRunner {

	/** Commands of this project live below this package. */
	public static final String PACKAGE = "io.github.ctlatent.";

	private final Context context;
	private final CommandService commands;
	private final ModuleService modules;
	private final ConvertService convert;
	private volatile Module running;
	private volatile boolean cancelRequested;

	public CommandRunner(Context context) {
		this.context = context;
		this.commands = context.service(CommandService.class);
		this.modules = context.service(ModuleService.class);
		this.convert = context.service(ConvertService.class);
	}

	/** The project's commands, sorted by label. */
	public List<CommandInfo> projectCommands() {
		List<CommandInfo> list = new ArrayList<>();
		for (CommandInfo c : commands.getCommands())
			if (c.getClassName().startsWith(PACKAGE) && c.getMenuPath() != null && !c.getMenuPath().isEmpty()) list.add(c);
		list.sort(Comparator.comparing(CommandRunner::label));
		return list;
	}

	/** The macro label: the last menu segment. */
	public static String label(CommandInfo c) {
		return c.getMenuPath().getLeaf().getName();
	}

	/** Finds a command by label (case and '_'/' ' insensitive), simple class name or full class name. */
	public CommandInfo find(String name) {
		String n = normalize(name);
		for (CommandInfo c : projectCommands()) {
			String cls = c.getClassName();
			if (normalize(label(c)).equals(n) || cls.equals(name) || normalize(cls.substring(cls.lastIndexOf('.') + 1)).equals(n)
				|| normalize(cls.substring(cls.lastIndexOf('.') + 1).replaceFirst("Command$", "")).equals(n))
				return c;
		}
		throw new UsageException("Unknown command '" + name + "'. Run with --help to list the commands.");
	}

	private static String normalize(String s) {
		return s.toLowerCase(Locale.ROOT).replace('_', ' ').replace("...", "").trim();
	}

	/** The inputs a user sets (services and the context are injected, not set). */
	public static List<ModuleItem<?>> userInputs(CommandInfo info) {
		List<ModuleItem<?>> list = new ArrayList<>();
		for (ModuleItem<?> item : info.inputs()) {
			Class<?> t = item.getType();
			if (Service.class.isAssignableFrom(t) || Context.class.isAssignableFrom(t)) continue;
			if (item.getVisibility() == org.scijava.ItemVisibility.MESSAGE) continue;
			list.add(item);
		}
		return list;
	}

	/**
	 * The value of a key given bare ({@code no_baselines}, no {@code =}): as in a Fiji macro's options, where a bare
	 * key is a ticked checkbox, it means true for an on/off key and is refused for any other. A NUL cannot be part of
	 * a command-line argument, so no real value is mistaken for it.
	 */
	public static final String BARE = "\u0000";

	/** Parses {@code key=value} tokens and bare keys ({@link #BARE}); a value may be wrapped in [...] or quotes as in a macro. */
	public static Map<String, String> parseArgs(List<String> tokens) {
		Map<String, String> args = new LinkedHashMap<>();
		for (String t : tokens) {
			int eq = t.indexOf('=');
			if (eq == 0 || t.isBlank()) throw new UsageException("Argument '" + t + "' is not key=value.");
			if (eq < 0) t = t + "=" + BARE;
			eq = t.indexOf('=');
			String v = t.substring(eq + 1);
			if (v.length() >= 2 && (v.startsWith("[") && v.endsWith("]") || v.startsWith("\"") && v.endsWith("\"")))
				v = v.substring(1, v.length() - 1);
			String key = t.substring(0, eq).toLowerCase(Locale.ROOT);
			if (args.containsKey(key))
				throw new UsageException("Key '" + key + "' is given twice (" + key + "=" + args.get(key) + " and " + key + "=" + v + "); give it once.");
			args.put(key, v);
		}
		return args;
	}

	/**
	 * Runs the command with the given arguments and returns its outputs.
	 *
	 * @throws UsageException    for unknown keys, wrong types or missing values (nothing ran)
	 * @throws ExplorerException when the command failed or was canceled (its message)
	 */
	public Map<String, Object> run(CommandInfo info, Map<String, String> args) {
		Module module = modules.createModule(info);
		Map<String, ModuleItem<?>> byKey = new LinkedHashMap<>();
		for (ModuleItem<?> item : userInputs(info)) byKey.put(item.getName().toLowerCase(Locale.ROOT), item);
		for (String key : args.keySet())
			if (!byKey.containsKey(key)) throw new UsageException("Unknown key '" + key + "' for command '" + label(info)
				+ "'. Its keys: " + String.join(", ", byKey.keySet()) + ".");
		for (Map.Entry<String, ModuleItem<?>> e : byKey.entrySet()) {
			ModuleItem<?> item = e.getValue();
			String raw = args.get(e.getKey());
			if (raw != null) module.setInput(item.getName(), convert(info, item, raw));
			else if (mustBeGiven(item, module.getInput(item.getName())))
				throw new UsageException("Missing required value " + e.getKey() + "=<" + typeName(item) + "> for command '"
					+ label(info) + "'.");
			// resolved inputs are not replaced by values remembered from earlier GUI runs
			module.resolveInput(item.getName());
		}
		if (module.getDelegateObject() instanceof ExplorerCommand ec) ec.callerReportsErrors(); // printed once, by the caller
		// the caller prints every output itself (Main.printOutputs); left unresolved, SciJava's display postprocessor
		// would try to show each one and warn "Ignoring unsupported output" for every image in a headless run
		for (ModuleItem<?> item : info.outputs()) module.resolveOutput(item.getName());
		running = module;
		cancelRequested = false;
		try {
			Future<Module> f = modules.run(module, true);
			f.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Canceled("Interrupted while running " + label(info) + ".", e);
		} catch (ExecutionException e) {
			throw new ExplorerException(label(info) + " failed: " + e.getCause(), e.getCause());
		} finally {
			running = null;
		}
		Object delegate = module.getDelegateObject();
		if (delegate instanceof Cancelable c && c.isCanceled()) {
			Throwable cause = delegate instanceof ExplorerCommand ec ? ec.failure() : null;
			String message = c.getCancelReason() == null ? label(info) + " was canceled." : c.getCancelReason();
			// an ExplorerCommand cancels itself to report a failure too: only a stop asked for is a cancel
			if (cancelRequested || cause == null || cause instanceof CanceledException) throw new Canceled(message, cause);
			throw new ExplorerException(message, cause);
		}
		Map<String, Object> outputs = new LinkedHashMap<>();
		for (ModuleItem<?> item : info.outputs()) outputs.put(item.getName(), module.getOutput(item.getName()));
		return outputs;
	}

	/** Asks the running command, if any, to stop (Ctrl-C). Returns false when nothing was running. */
	public boolean cancelRunning(String reason) {
		Module m = running;
		if (m == null) return false;
		cancelRequested = true;
		if (m.getDelegateObject() instanceof Cancelable c) c.cancel(reason);
		return true;
	}

	/**
	 * A required input must be given unless its field has an initializer. A primitive's initializer cannot be told
	 * from its zero value, so required primitives are always asked for (optional ones are {@code required = false}).
	 */
	private static boolean mustBeGiven(ModuleItem<?> item, Object current) {
		return item.isRequired() && (current == null || item.getType().isPrimitive());
	}

	private Object convert(CommandInfo info, ModuleItem<?> item, String raw) {
		Class<?> type = item.getType();
		if (BARE.equals(raw)) {
			if (type == boolean.class || type == Boolean.class) return Boolean.TRUE;
			throw new UsageException("Key '" + item.getName() + "' is given without a value; write " + item.getName() + "=<" + typeName(item)
				+ ">. Only on/off keys may be given bare (meaning true), as in a Fiji macro (command '" + label(info) + "').");
		}
		List<?> choices = item.getChoices();
		if (choices != null && !choices.isEmpty() && choices.stream().noneMatch(c -> String.valueOf(c).equals(raw)))
			throw new UsageException(item.getName() + "=" + raw + " is not one of " + choices + " (command '" + label(info) + "').");
		if (type == String.class) return raw;
		if (ImagePlus.class.isAssignableFrom(type)) {
			// ImageJ opens a truncated DICOM half-filled and may throw on a file it half-recognises: the project's own
			// reader checks a DICOM first (it refuses a truncated one, as input= does), and any failure is one message
			if (isDicom(java.nio.file.Path.of(raw))) {
				try {
					io.github.ctlatent.data.io.VolumeReaders.read(java.nio.file.Path.of(raw));
				} catch (ExplorerException e) {
					throw new ExplorerException(item.getName() + "=" + raw + ": " + e.getMessage(), e);
				}
			}
			ImagePlus imp;
			try {
				imp = IJ.openImage(raw);
			} catch (RuntimeException e) {
				imp = null;
			}
			// the call is right but the file is not: a failure (exit 1), not a usage error
			if (imp == null) throw new ExplorerException(item.getName() + "=" + raw + ": ImageJ could not open this image file"
				+ (new File(raw).exists() ? " (not an image format it reads)." : " (no such file)."));
			return imp;
		}
		if (File.class.isAssignableFrom(type)) return new File(raw);
		Object v = null;
		try {
			v = parsePrimitive(raw.trim(), type);
			if (v == null) v = convert.convert(raw, type);
		} catch (RuntimeException ignored) {
			// reported below
		}
		if (v == null || (type == Boolean.class || type == boolean.class) && !raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false"))
			throw new UsageException(item.getName() + "=" + raw + " is not a valid " + typeName(item) + " (command '" + label(info) + "').");
		return v;
	}

	/** A DICOM file by its preamble ("DICM" at byte 128) or name. */
	private static boolean isDicom(java.nio.file.Path p) {
		if (!java.nio.file.Files.isRegularFile(p)) return false;
		if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) return true;
		try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
			byte[] b = in.readNBytes(132);
			return b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
		} catch (java.io.IOException e) {
			return false;
		}
	}

	/** Strict parsing for numbers (ConvertService maps "two" to 0); null for other types. */
	private static Object parsePrimitive(String raw, Class<?> t) {
		if (t == int.class || t == Integer.class) return Integer.valueOf(raw);
		if (t == long.class || t == Long.class) return Long.valueOf(raw);
		if (t == double.class || t == Double.class) return Double.valueOf(raw);
		if (t == float.class || t == Float.class) return Float.valueOf(raw);
		return null;
	}

	static String typeName(ModuleItem<?> item) {
		Class<?> t = item.getType();
		if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "integer";
		if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "number";
		if (t == boolean.class || t == Boolean.class) return "true|false";
		if (File.class.isAssignableFrom(t)) return item.getWidgetStyle() != null && item.getWidgetStyle().contains("directory") ? "folder" : "file";
		if (ImagePlus.class.isAssignableFrom(t)) return "image file (in Fiji: an open image)";
		if (item.getChoices() != null && !item.getChoices().isEmpty()) return String.join("|", item.getChoices().stream().map(String::valueOf).toList());
		return t.getSimpleName();
	}

	/** Help for one command, generated from its metadata. */
	public String help(CommandInfo info) {
		StringBuilder sb = new StringBuilder();
		sb.append(label(info)).append("    [").append(info.getMenuPath().getMenuString().replace(" > ", ">")).append("]\n");
		if (info.getDescription() != null && !info.getDescription().isEmpty()) sb.append("  ").append(info.getDescription()).append('\n');
		Module defaults = modules.createModule(info); // field initialisers are the defaults
		for (ModuleItem<?> item : userInputs(info)) {
			Object def = mustBeGiven(item, 0) ? null : shown(defaults.getInput(item.getName()));
			sb.append(String.format("    %-20s %-24s %s%s%n", item.getName(), "<" + typeName(item) + ">",
				item.getDescription() == null ? (item.getLabel() == null ? "" : item.getLabel()) : item.getDescription(),
				def != null ? " [default: " + def + "]" : item.isRequired() ? " (required)" : ""));
		}
		return sb.toString();
	}

	/** A default worth printing in help (plain values; not services, images or unset fields). */
	private static Object shown(Object v) {
		return v instanceof File || v instanceof Number || v instanceof String || v instanceof Boolean ? v : null;
	}

	public Context context() {
		return context;
	}

	/** A mistake in how the command was called: nothing ran. */
	/** The command stopped because it was asked to (Ctrl-C, SIGTERM, an engine's cancel), not because it failed. */
	public static final class Canceled extends ExplorerException {
		public Canceled(String message, Throwable cause) {
			super(message, cause);
		}
	}

	public static final class UsageException extends ExplorerException {
		public UsageException(String message) {
			super(message);
		}
	}
}
