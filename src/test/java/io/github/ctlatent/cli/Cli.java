package io.github.ctlatent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The headless launcher run in-process (without System.exit), for tests in other packages: exit code and both streams. */
public final class Cli {

	public record Outcome(int exit, String out, String err) {}

	private Cli() {}

	/** Runs the launcher; {@code err} also holds what went to System.err meanwhile (the log), as on a terminal. */
	public static synchronized Outcome run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8), systemErr = System.err;
		System.setErr(errStream);
		try {
			int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
			return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		} finally {
			System.setErr(systemErr);
		}
	}
}
