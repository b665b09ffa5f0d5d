package io.github.ctlatent.testing;

import org.python.core.PyObject;
import org.python.util.PythonInterpreter;
import org.scijava.Context;
import org.scijava.service.Service;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test harness (b): executes a {@code scripts/*.py} file with jython-standalone, binding its SciJava script
 * parameters ({@code #@ Type name} lines) the way Fiji's script engine does: services and the context from the
 * given {@link Context}, other inputs from {@code inputs}; {@code #@output} values are returned.
 * <p>
 * Stands in for Fiji's scripting-jython, which is not obtainable from Maven Central.
 */
public final class JythonHarness {

	/** {@code #@ [output] Type [(attributes)] name}, Fiji's script parameter syntax. */
	private static final Pattern PARAM = Pattern.compile("^#@\\s*(output\\s+)?([\\w.]+)\\s*(\\((.*)\\))?\\s+(\\w+)\\s*$");

	private JythonHarness() {}

	/** A parsed {@code #@} line. */
	public record Param(boolean output, String type, String name, String attributes) {}

	public static List<Param> parameters(Path script) throws IOException {
		return Files.readAllLines(script).stream().map(PARAM::matcher).filter(Matcher::matches)
			.map(m -> new Param(m.group(1) != null, m.group(2), m.group(5), m.group(4) == null ? "" : m.group(4))).toList();
	}

	public static Map<String, Object> run(Path script, Context context, Map<String, Object> inputs) throws IOException {
		List<Param> params = parameters(script);
		try (PythonInterpreter py = new PythonInterpreter()) {
			for (Param p : params) {
				if (p.output()) continue;
				py.set(p.name(), bind(p, context, inputs, script));
			}
			py.set("__file__", script.toAbsolutePath().toString());
			py.execfile(script.toAbsolutePath().toString());
			Map<String, Object> out = new LinkedHashMap<>();
			for (Param p : params)
				if (p.output()) {
					PyObject v = py.get(p.name());
					out.put(p.name(), v == null ? null : v.__tojava__(Object.class));
				}
			return out;
		}
	}

	private static Object bind(Param p, Context context, Map<String, Object> inputs, Path script) {
		if (p.type().equals("Context")) return context;
		Class<?> cls = serviceClass(p.type());
		if (cls != null) return context.service(cls.asSubclass(Service.class));
		if (inputs.containsKey(p.name())) {
			Object v = inputs.get(p.name());
			return p.type().equals("File") && v != null && !(v instanceof File) ? new File(v.toString()) : v;
		}
		Matcher def = Pattern.compile("value=\"?([^\",)]*)").matcher(p.attributes());
		if (def.find()) return switch (p.type()) {
			case "Integer", "int" -> Integer.valueOf(def.group(1));
			case "Double", "double", "Float", "float" -> Double.valueOf(def.group(1));
			case "Boolean", "boolean" -> Boolean.valueOf(def.group(1));
			case "File" -> new File(def.group(1));
			default -> def.group(1);
		};
		if (p.attributes().contains("required=false")) return null;
		throw new IllegalArgumentException("Script parameter '" + p.name() + "' of " + script + " is not bound");
	}

	private static Class<?> serviceClass(String type) {
		for (String pkg : new String[] {"", "org.scijava.command.", "org.scijava.log.", "org.scijava.app.", "org.scijava.io.",
			"org.scijava.plugin.", "org.scijava.module.", "org.scijava.script.", "org.scijava.ui."}) {
			try {
				Class<?> c = Class.forName(pkg + type);
				if (Service.class.isAssignableFrom(c)) return c;
			} catch (ClassNotFoundException ignored) {
				// try the next package
			}
		}
		return null;
	}
}
