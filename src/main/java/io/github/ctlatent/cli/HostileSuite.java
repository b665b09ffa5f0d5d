package io.github.ctlatent.cli;

import io.github.ctlatent.core.ExplorerException;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A hostile-input campaign generated from the commands themselves: for every command the runner knows and every
 * key it declares (its SciJava {@code @Parameter} inputs), one case per hostile value of the key's type (numbers:
 * 0, negative, NaN, ±Infinity, ±1e308, huge integers, non-numbers, empty; paths: missing, a file for a folder, the
 * input, a parent of the input, {@code /}, a link to the input, a link loop, a dangling link, a folder of ours
 * holding a link to the input). The other keys keep tiny valid values ({@link HostileWorkspace#base}). Each case runs
 * through the real runner and is judged ({@link Outcome}); every input is compared afterwards. A new command or key
 * is covered without editing anything here: its cases are generated from its declaration.
 */
public final class HostileSuite {

	/** What a case ended as. Only {@link #CLEAR_ERROR} and {@link #CORRECT_SUCCESS} are acceptable. */
	public enum Outcome {
		CLEAR_ERROR, CORRECT_SUCCESS, DATA_LOSS, GARBAGE, STACK_TRACE, UNBOUNDED
	}

	/** One generated case: a command, the key made hostile and its value, all arguments. */
	public record Case(String command, String key, String kind, Map<String, String> args) {
		public String name() {
			return command + " " + key + "=" + kind;
		}
	}

	/** A case's result: outcome and the message or the problem found. */
	public record Result(Case c, Outcome outcome, String detail, double seconds) {}

	private final CommandRunner runner;
	private final HostileWorkspace work;
	private final double limitSeconds;

	public HostileSuite(CommandRunner runner, HostileWorkspace work, double limitSeconds) {
		this.runner = runner;
		this.work = work;
		this.limitSeconds = limitSeconds;
	}

	/** Every case of every command (fast: only the refusals when {@code fast}, see {@link #fastKinds}). */
	public List<Case> cases(boolean fast) {
		List<Case> list = new ArrayList<>();
		int n = 0;
		for (CommandInfo info : runner.projectCommands()) {
			String label = CommandRunner.label(info);
			Map<String, String> base = work.base(label);
			if (base == null) continue; // a command the workspace cannot feed is reported by coverage()
			for (ModuleItem<?> item : CommandRunner.userInputs(info)) {
				String key = item.getName().toLowerCase(Locale.ROOT);
				for (Map.Entry<String, String> v : hostileValues(item, key, base).entrySet()) {
					if (fast && !fastKinds(v.getKey())) continue;
					Map<String, String> args = new LinkedHashMap<>(base);
					for (Map.Entry<String, String> e : args.entrySet()) e.setValue(e.getValue().replace("{out}", work.fresh("out" + n)));
					args.put(key, v.getValue().replace("{out}", work.fresh("out" + n)));
					n++;
					list.add(new Case(label, key, v.getKey(), args));
				}
			}
		}
		return list;
	}

	/** Commands the suite has no base arguments for (a new command must get one, or the coverage test fails). */
	public List<String> uncovered() {
		// the tests' own fixture commands (package testing) are not the plugin's
		return runner.projectCommands().stream().filter(c -> !c.getClassName().startsWith(CommandRunner.PACKAGE + "testing."))
			.map(CommandRunner::label).filter(l -> work.base(l) == null).toList();
	}

	/** The values refused before heavy work on every command: the fast subset of {@code mvn verify}. */
	static boolean fastKinds(String kind) {
		return switch (kind) {
			case "NaN", "Infinity", "1e308", "huge", "not-a-number", "root", "link-loop", "dangling-link", "link-to-input", "the-input",
				"parent-of-input", "file-for-folder", "bogus-choice", "text-file-image", "truncated-dicom", "ours-with-link" -> true;
			default -> false;
		};
	}

	/** The hostile values of one key, by kind name. */
	Map<String, String> hostileValues(ModuleItem<?> item, String key, Map<String, String> base) {
		Map<String, String> v = new LinkedHashMap<>();
		Class<?> t = item.getType();
		if (item.getChoices() != null && !item.getChoices().isEmpty()) {
			v.put("bogus-choice", "bogus");
			v.put("empty", "");
			return v;
		}
		if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
			v.put("0", "0");
			v.put("-1", "-1");
			v.put("huge", t == int.class || t == Integer.class ? "2147483647" : "9223372036854775807");
			v.put("big", "1073741824");
			v.put("not-a-number", "two");
			v.put("empty", "");
		} else if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
			v.put("0", "0");
			v.put("-3", "-3");
			v.put("NaN", "NaN");
			v.put("Infinity", "Infinity");
			v.put("-Infinity", "-Infinity");
			v.put("1e308", "1e308");
			v.put("-1e308", "-1e308");
			v.put("1e-300", "1e-300");
			v.put("not-a-number", "abc");
			v.put("empty", "");
		} else if (t == boolean.class || t == Boolean.class) {
			v.put("not-a-boolean", "maybe");
		} else if (File.class.isAssignableFrom(t)) {
			boolean output = work.isOutputKey(key);
			String input = work.someInput(base);
			v.put("missing", work.missing().toString());
			v.put("file-for-folder", work.textFile().toString());
			v.put("root", "/");
			v.put("link-loop", work.linkLoop().toString());
			v.put("dangling-link", work.danglingLink().toString());
			if (input != null) {
				v.put("the-input", input);
				v.put("parent-of-input", Path.of(input).getParent().toString());
				v.put("link-to-input", work.linkTo(Path.of(input)).toString());
			}
			if (output) {
				v.put("foreign-folder", work.foreignFolder().toString());
				v.put("ours-with-link", work.oursWithLink().toString());
			}
			v.put("empty", "");
		} else if (ij.ImagePlus.class.isAssignableFrom(t)) {
			v.put("text-file-image", work.textFile().toString());
			v.put("missing", work.missing().toString());
			v.put("truncated-dicom", work.truncatedDicom().toString());
		} else if (t == String.class) {
			v.put("empty", "");
			v.put("NaN", "NaN");
			v.put("huge-list", "1-100000");
			v.put("big-numbers", "1e38,1e38,1e38");
			v.put("garbage", "x;y,,-");
		}
		return v;
	}

	/** Runs one case and judges it. */
	public Result run(Case c) {
		Map<String, String> before = work.inputStamps();
		long t0 = System.nanoTime();
		long startMillis = System.currentTimeMillis();
		ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
			Thread th = new Thread(r, "hostile-case");
			th.setDaemon(true);
			return th;
		});
		Outcome o;
		String detail;
		try {
			Future<Map<String, Object>> f = ex.submit(() -> runner.run(runner.find(c.command()), c.args()));
			Map<String, Object> outputs;
			try {
				outputs = f.get((long) (limitSeconds * 1000), TimeUnit.MILLISECONDS);
			} catch (TimeoutException e) {
				runner.cancelRunning("the hostile suite's time limit");
				try {
					f.get(10, TimeUnit.SECONDS);
				} catch (Exception ignored) {
					// canceled or still going: unbounded either way
				}
				return new Result(c, Outcome.UNBOUNDED, "no answer within " + limitSeconds + " s", (System.nanoTime() - t0) / 1e9);
			}
			String garbage = HostileChecks.garbage(outputs, work.changedSince(startMillis));
			o = garbage == null ? Outcome.CORRECT_SUCCESS : Outcome.GARBAGE;
			detail = garbage == null ? "ok" : garbage;
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			String m = String.valueOf(cause.getMessage());
			boolean clear = cause instanceof ExplorerException && !HostileChecks.looksLikeStackTrace(m);
			o = clear ? Outcome.CLEAR_ERROR : Outcome.STACK_TRACE;
			detail = clear ? m : cause.getClass().getName() + ": " + m;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ExplorerException("The hostile suite was interrupted.");
		} finally {
			ex.shutdownNow();
		}
		String lost = work.compareInputs(before);
		if (lost != null) return new Result(c, Outcome.DATA_LOSS, lost + " (after: " + detail + ")", (System.nanoTime() - t0) / 1e9);
		return new Result(c, o, detail, (System.nanoTime() - t0) / 1e9);
	}

	/** Runs every case, printing one line each; returns the results. */
	public List<Result> runAll(List<Case> cases, java.io.PrintStream out) {
		List<Result> results = new ArrayList<>();
		for (Case c : cases) {
			Result r = run(c);
			results.add(r);
			if (out != null) out.printf(Locale.ROOT, "%-15s %5.1fs  %s: %s%n", r.outcome(), r.seconds(), c.name(), oneLine(r.detail()));
		}
		return results;
	}

	/** Cases per command and outcome counts: the tally of docs/reliability.md. */
	public static String tally(List<Result> results) {
		Map<String, EnumMap<Outcome, Integer>> by = new java.util.TreeMap<>();
		EnumMap<Outcome, Integer> total = new EnumMap<>(Outcome.class);
		for (Result r : results) {
			by.computeIfAbsent(r.c().command(), k -> new EnumMap<>(Outcome.class)).merge(r.outcome(), 1, Integer::sum);
			total.merge(r.outcome(), 1, Integer::sum);
		}
		StringBuilder sb = new StringBuilder("| command | cases | clear error | correct success | data loss | garbage | stack trace | unbounded |\n|---|---|---|---|---|---|---|---|\n");
		by.put("**all**", total);
		for (Map.Entry<String, EnumMap<Outcome, Integer>> e : by.entrySet()) {
			int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
			sb.append("| ").append(e.getKey()).append(" | ").append(n);
			for (Outcome o : Outcome.values()) sb.append(" | ").append(e.getValue().getOrDefault(o, 0));
			sb.append(" |\n");
		}
		return sb.toString();
	}

	static String oneLine(String s) {
		String t = s.replace('\n', ' ');
		return t.length() > 220 ? t.substring(0, 220) + "…" : t;
	}
}
