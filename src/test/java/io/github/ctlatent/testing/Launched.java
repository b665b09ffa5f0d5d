package io.github.ctlatent.testing;

import io.github.ctlatent.cli.Main;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The headless launcher in its own JVM, as a user runs it ({@code bin/latent-explorer}'s java command line without
 * the build step, one libtorch thread), stderr merged into stdout and collected as it comes: a test waits for a line,
 * then sends the signal a user would.
 */
public final class Launched {

	private final Process process;
	private final StringBuffer output = new StringBuffer();
	private final Thread reader;

	private Launched(Process process) {
		this.process = process;
		reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line; (line = r.readLine()) != null; ) output.append(line).append('\n');
			} catch (IOException ignored) {
				// the process is gone
			}
		}, "launcher-output");
		reader.start();
	}

	/** Starts the launcher with {@code args} on {@code classPath} ({@link #packagedJar()} or {@link #testClassPath()}). */
	public static Launched start(String classPath, String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
			"-Dai.djl.pytorch.num_threads=1", "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dslf4j.internal.verbosity=ERROR"));
		// the tests' numerics cache: the launched JVM does not check libtorch's arithmetic again
		String cache = System.getProperty("ctlatent.numerics.cache");
		if (cache != null) cmd.add("-Dctlatent.numerics.cache=" + cache);
		cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
		cmd.addAll(List.of(args));
		return new Launched(new ProcessBuilder(cmd).redirectErrorStream(true).start());
	}

	/** The jar {@code mvn package} built, with its dependencies (what bin/latent-explorer runs; for integration tests). */
	public static String packagedJar() throws IOException {
		try (var s = Files.list(Path.of("target"))) {
			String jar = s.map(Path::toString).filter(n -> n.matches(".*ct-latent-explorer-[^-]+(-SNAPSHOT)?\\.jar")).findFirst().orElseThrow();
			return jar + File.pathSeparator + "target/lib/*";
		}
	}

	/** This test JVM's class path (the classes just compiled and the dependencies): no packaging needed. */
	public static String testClassPath() {
		return System.getProperty("java.class.path");
	}

	public Process process() {
		return process;
	}

	/** Everything printed so far. */
	public String output() {
		return output.toString();
	}

	/** Waits until the output holds {@code text}, the process ends or {@code seconds} pass; true when the text appeared. */
	public boolean awaitOutput(String text, double seconds) throws InterruptedException {
		long deadline = System.nanoTime() + (long) (seconds * 1e9);
		while (!output().contains(text) && process.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
		return output().contains(text);
	}

	/**
	 * Sends SIGTERM (what a kill sends; Ctrl-C's SIGINT runs the same shutdown hooks) and waits up to
	 * {@code maxSeconds} for the process to end and its output to be read; returns the seconds it took to end.
	 */
	public double sigterm(double maxSeconds) throws InterruptedException {
		long t0 = System.nanoTime();
		process.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of the pipe
		if (!process.waitFor((long) (maxSeconds * 1000), TimeUnit.MILLISECONDS)) throw new AssertionError("still running " + maxSeconds + " s after SIGTERM");
		double seconds = (System.nanoTime() - t0) / 1e9;
		reader.join(10_000);
		return seconds;
	}

	/** Waits for the end and the rest of the output; the exit code. */
	public int waitFor() throws InterruptedException {
		int code = process.waitFor();
		reader.join(10_000);
		return code;
	}
}
