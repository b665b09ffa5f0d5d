package io.github.ctlatent.cli;

import io.github.ctlatent.bench.Benchmarks;
import io.github.ctlatent.cli.CommandRunner.UsageException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.event.EventService;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The headless launcher ({@code bin/latent-explorer}): runs any of the project's commands with the keys a Fiji
 * macro uses, the benchmarks, and the end-to-end demo.
 * <p>
 * Exit codes: 0 done, 1 the command failed (one clear message on stderr), 2 wrong usage, 130 canceled (Ctrl-C).
 */
public final class Main {

	static final int OK = 0, FAILED = 1, USAGE = 2, CANCELED = 130;

	private Main() {}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		if (System.getProperty(Engines.OFFLINE) == null) System.setProperty(Engines.OFFLINE, "true");
		System.setProperty("java.awt.headless", "true");
		List<String> a = Arrays.asList(args);
		String first = a.isEmpty() ? "--help" : a.get(0);
		try (Context context = new Context()) {
			CommandRunner runner = new CommandRunner(context);
			ConsoleProgress progress = new ConsoleProgress(err, System.console() != null);
			context.service(EventService.class).subscribe(progress);
			switch (first) {
				case "-h", "--help", "help":
					out.print(a.size() > 1 ? runner.help(runner.find(a.get(1))) : usage(runner));
					return OK;
				case "bench":
					if (a.contains("--list")) {
						Benchmarks.all(context).forEach(p -> out.printf("%-24s %s%n", p.getName(), p.getDescription()));
						return OK;
					}
					Benchmarks.run(context, a.subList(1, a.size()), out, Monitor.printing(err));
					return OK;
				case "demo":
					return withCtrlC(runner, () -> new Demo(runner, out).run(CommandRunner.parseArgs(a.subList(1, a.size()))), err);
				default:
					CommandInfo info = runner.find(first);
					Map<String, String> kv = CommandRunner.parseArgs(a.subList(1, a.size()));
					return withCtrlC(runner, () -> printOutputs(runner.run(info, kv), out), err);
			}
		} catch (UsageException e) {
			err.println("Error: " + e.getMessage());
			return USAGE;
		} catch (ExplorerException e) {
			err.println("Error: " + e.getMessage());
			return FAILED;
		} catch (Exception e) {
			err.println("Error: " + e);
			e.printStackTrace(err);
			return FAILED;
		}
	}

	/**
	 * Remembers which signal started the shutdown (SIGINT is Ctrl-C, SIGTERM a kill), so messages name it, and
	 * exits with 130 (canceled) for both; the shutdown hook lets the command keep its checkpoint first.
	 */
	private static final class Signals {
		private volatile String last = "shutdown";

		Signals() {
			for (String name : new String[] {"INT", "TERM"}) {
				try {
					sun.misc.Signal sig = new sun.misc.Signal(name);
					sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
					previous[0] = sun.misc.Signal.handle(sig, s -> {
						last = name.equals("INT") ? "Ctrl-C" : "SIG" + name;
						// as the JVM's own handler does, but with the README's exit code for canceled (not 128 + signal)
						System.exit(CANCELED);
					});
					// a signal the JVM leaves to the OS (ignored under nohup, say) keeps its native handling
					if (previous[0] == sun.misc.SignalHandler.SIG_IGN || previous[0] == sun.misc.SignalHandler.SIG_DFL) sun.misc.Signal.handle(sig, previous[0]);
				} catch (IllegalArgumentException | UnsupportedOperationException e) {
					// signal not available here (or the JVM was started with -Xrs): messages say "shutdown"
				}
			}
		}

		String lastName() {
			return last;
		}
	}

	private static final Signals SIGNALS = new Signals();

	private interface Job {
		void run() throws Exception;
	}

	/**
	 * Runs a job with a Ctrl-C hook that cancels the running command and waits until the job has wound down
	 * (its checkpoint written). The hook waits for the job, not for the main thread: the main thread ends in
	 * System.exit, which blocks for as long as shutdown hooks run. The cancel is repeated until the job ends: a
	 * signal that comes while the command is still being set up (nothing running yet) must stop it too, or the JVM
	 * would halt under a command that has just started writing (a run's loss.png left half-written beside it).
	 */
	private static int withCtrlC(CommandRunner runner, Job job, PrintStream err) throws Exception {
		CountDownLatch done = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			if (done.getCount() == 0) return;
			String how = SIGNALS.lastName();
			err.println("\n" + how + ": stopping after the current step (training keeps its checkpoint; nothing half-written is left) ...");
			try {
				// let the command write its resumable state; at most two minutes
				for (long deadline = System.nanoTime() + 120_000_000_000L; System.nanoTime() < deadline; ) {
					runner.cancelRunning("Interrupted (" + how + ").");
					if (done.await(100, TimeUnit.MILLISECONDS)) break;
				}
			} catch (InterruptedException ignored) {
				// the JVM is going down anyway
			}
		}, "ctrl-c");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			job.run();
			return OK;
		} catch (CommandRunner.Canceled e) {
			err.println("Canceled: " + e.getMessage());
			return CANCELED;
		} finally {
			done.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch (IllegalStateException ignored) {
				// shutdown already in progress: the hook is running
			}
		}
	}

	static void printOutputs(Map<String, Object> outputs, PrintStream out) {
		for (Map.Entry<String, Object> e : outputs.entrySet()) {
			Object v = e.getValue();
			if (v == null) continue;
			String s = String.valueOf(v);
			if (s.contains("\n")) out.print(s.endsWith("\n") ? s : s + "\n");
			else out.println(e.getKey() + " = " + s);
		}
	}

	static String usage(CommandRunner runner) {
		StringBuilder sb = new StringBuilder();
		sb.append("CT Latent Explorer - headless runner\n\n")
			.append("usage: latent-explorer <command> [key=value ...]   run a command (keys as in a Fiji macro)\n")
			.append("       latent-explorer help <command>              one command's parameters\n")
			.append("       latent-explorer demo [out=<folder>]         the end-to-end demo on the thorax phantom\n")
			.append("       latent-explorer bench [name ...] | --list   benchmarks (throughput)\n\n")
			.append("Values with spaces: key=[a value] or key=\"a value\"; an on/off key alone (no_baselines) means key=true. Exit codes: 0 ok, 1 failed, 2 usage, 130 canceled.\n\n")
			.append("Commands:\n\n");
		for (CommandInfo c : runner.projectCommands()) sb.append(runner.help(c)).append('\n');
		return sb.toString();
	}
}
