package io.github.ctlatent.engine;


import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link NumericsProbe} in a child JVM with one {@link NumericsConfig} and reads its one-line answer.
 * The class path is rebuilt from this process's class loaders, so it also works inside Fiji, whose plugins are not
 * on {@code java.class.path}.
 */
final class Probes {

	private static final String MAIN = NumericsProbe.class.getName();
	private static final String PREFIX = NumericsProbe.PREFIX;
	private static final long TIMEOUT_SECONDS = 180;
	/** Properties a probe must share with this process: threads, DJL's library location and offline mode, faults. */
	private static final List<String> PASSED_ON = List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads",
		"ai.djl.offline", "ai.djl.pytorch.graph_optimizer", Numerics.FAULT, "java.io.tmpdir", "user.home");

	private Probes() {}

	/**
	 * A probe's environment: this process's, with the configuration's own ISA cap over it. A cap set before this
	 * process started is kept where the configuration sets none: the kernels this process runs obey it (the cap is
	 * read at oneDNN's first primitive), so the probe must check and time those kernels, and the per-layer rules it
	 * times follow the same width ({@link CpuIdentity#oneDnnWidth()}).
	 */
	static void environment(java.util.Map<String, String> env, NumericsConfig config) {
		env.putAll(config.environment());
	}

	/** The probe's result (a crash or a hang counts as a failed check), or null when no child process can be started here. */
	static Numerics.ProbeResult run(NumericsConfig config, boolean timed) {
		List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx2g");
		cmd.add("-Djava.awt.headless=true");
		cmd.add("-D" + Numerics.PROBE + "=" + config.key());
		cmd.add("-D" + Numerics.PROBE_TIMED + "=" + timed);
		for (String p : PASSED_ON) if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
		for (String p : System.getProperties().stringPropertyNames())
			if (p.startsWith("ai.djl.") && !PASSED_ON.contains(p)) cmd.add("-D" + p + "=" + System.getProperty(p));
		cmd.add("-cp");
		cmd.add(classPath());
		cmd.add(MAIN);
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		environment(pb.environment(), config);
		// probes time configurations: under the allocator the process itself runs with (set natively, so not in the JVM's copy)
		NativeSwitches.getenv(NativeSwitches.HUGE_PAGE_VARIABLE).ifPresent(v -> pb.environment().put(NativeSwitches.HUGE_PAGE_VARIABLE, v));
		Process p;
		try {
			p = pb.start();
		} catch (Exception e) {
			return null; // no child processes here: the caller checks in-process
		}
		try {
			java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>();
			Thread reader = new Thread(() -> { // reads while we wait, so a hung probe cannot block us
				try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line; (line = r.readLine()) != null; )
						if (line.startsWith(PREFIX)) answer.set(line.substring(PREFIX.length())); // the last answer is the fullest
				} catch (java.io.IOException e) {
					// the process is gone; its answer, if any, was read
				}
			}, "numerics-probe-reader");
			reader.setDaemon(true);
			reader.start();
			if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				// a probe that answered its check and was still timing: correct, speed unknown (a busy machine)
				if (answer.get() != null) return parse(answer.get(), true);
				return failed(TIMED_OUT + TIMEOUT_SECONDS + " s");
			}
			reader.join(5000);
			// a configuration whose kernels crash the process is as wrong as one that computes garbage
			if (answer.get() == null) return failed("the probe process died (exit " + p.exitValue() + ") without an answer");
			return parse(answer.get(), false);
		} catch (Exception e) {
			if (e instanceof InterruptedException) Thread.currentThread().interrupt();
			p.destroyForcibly();
			return failed("the probe could not be read: " + e);
		}
	}

	/** Start of the failure text of a probe that gave no answer in time: unknown rather than wrong on a busy machine. */
	static final String TIMED_OUT = "the probe did not finish within ";

	static boolean timedOut(Numerics.ProbeResult r) {
		return r.failures() != null && r.failures().startsWith(TIMED_OUT);
	}

	private static Numerics.ProbeResult parse(String json, boolean timingCutShort) {
		Map<?, ?> m = Numerics.GSON.fromJson(json, Map.class);
		return new Numerics.ProbeResult(Boolean.TRUE.equals(m.get("passed")), number(m.get("worstError")),
			timingCutShort ? TIMED_OUT + TIMEOUT_SECONDS + " s while timing" : String.valueOf(m.get("failures")),
			number(m.get("imagesPerSecond")), number(m.get("gflopsBefore")), number(m.get("gflopsAfter")));
	}

	private static Numerics.ProbeResult failed(String why) {
		return new Numerics.ProbeResult(false, Double.NaN, why, Double.NaN);
	}

	private static double number(Object o) {
		return o instanceof Number n ? n.doubleValue() : Double.NaN;
	}

	/** java.class.path plus every URL of the class loaders that loaded this project and DJL. */
	static String classPath() {
		Set<String> entries = new LinkedHashSet<>();
		for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) if (!e.isBlank()) entries.add(e);
		for (ClassLoader l = Probes.class.getClassLoader(); l != null; l = l.getParent())
			if (l instanceof URLClassLoader u) for (URL url : u.getURLs()) addFile(entries, url);
		for (Class<?> c : new Class<?>[] {Probes.class, ai.djl.engine.Engine.class, com.google.gson.Gson.class, com.sun.jna.Native.class})
			try {
				addFile(entries, c.getProtectionDomain().getCodeSource().getLocation());
			} catch (Exception e) {
				// a class without a code source is on the boot path
			}
		return String.join(File.pathSeparator, entries);
	}

	private static void addFile(Set<String> entries, URL url) {
		try {
			if ("file".equals(url.getProtocol())) entries.add(Path.of(url.toURI()).toString());
		} catch (Exception e) {
			// not a local file: the child cannot use it anyway
		}
	}
}
