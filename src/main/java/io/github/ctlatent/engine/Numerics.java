package io.github.ctlatent.engine;

import ai.djl.engine.Engine;
import com.google.gson.reflect.TypeToken;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The project checks libtorch's arithmetic before it trusts it. On the first use of the engine in a process,
 * {@link #ensure()} decides the {@link NumericsConfig} the process computes with:
 * <ol>
 * <li>a cached verdict for this CPU, libtorch version and setting is applied as it is (no check is repeated);</li>
 * <li>otherwise every configuration is tried in a child process ({@link NumericsProbe}: oneDNN's
 * instruction-set cap can be chosen only once per process), each runs {@link NumericsCheck} and times a training
 * step; the fastest one that passes is applied here, before this process's first convolution, checked again in
 * this process, and cached;</li>
 * <li>when no child process can be started (an unusual Fiji), the configurations that can still be chosen in this
 * process are checked here: libtorch without oneDNN first (it does not initialise oneDNN), then oneDNN, then oneDNN
 * with padded output channels.</li>
 * </ol>
 * Settings: {@code -Dctlatent.numerics=auto|onednn|onednn-aligned|onednn-avx2|onednn-avx|gemm|native} (or the environment variable
 * {@code CTLATENT_NUMERICS}) forces a configuration; {@code -Dctlatent.numerics.fault=<configs>|all} makes the
 * check see wrong results in those configurations, as an affected CPU would (tests, and a way to measure the
 * fallback; {@code crash:<config>} makes that configuration's probe die); {@code -Dctlatent.numerics.cache=<file>}
 * moves the cache (default {@code ~/.ctlatent/numerics.json}).
 */
public final class Numerics {

	public static final String SETTING = "ctlatent.numerics";
	public static final String FAULT = "ctlatent.numerics.fault";
	public static final String CACHE = "ctlatent.numerics.cache";
	/** Set by the parent in a probe process: the configuration the probe measures. */
	public static final String PROBE = "ctlatent.numerics.probe";
	/** Set by the parent: whether the probe also times training (only needed to rank alternatives). */
	public static final String PROBE_TIMED = "ctlatent.numerics.probe.timed";
	/** {@code -Dctlatent.numerics.recheck=true}: ignore the cached verdict and decide again (the new one is cached). */
	public static final String RECHECK = "ctlatent.numerics.recheck";
	/** Tests: the disturbance a ranking round assumes instead of measuring it (not part of the cache key). */
	static final String DISTURBANCE = "ctlatent.numerics.disturbance";

	/** What the process computes with, and why. */
	public record Verdict(NumericsConfig config, boolean passed, double worstError, String failures, double checkSeconds,
		String reason, String cpu, String libtorch, String decided, Map<String, ProbeResult> tried, ProbeRounds.Ranking ranking) {

		/** One line for logs, model cards and report.json. */
		public String summary() {
			return (passed ? "checked OK" : "CHECK FAILED") + " with " + config.key() + " (" + reason + ")";
		}

		/** The facts a model card or report.json records. */
		public Map<String, Object> record() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("config", config.key());
			// while a foreign module is open, a configuration that does not cover it is replaced (ForeignModules)
			if (passed && NumericsConfig.active() != config) m.put("computing_with", NumericsConfig.active().key());
			m.put("passed", passed);
			m.put("worst_relative_error", Double.isFinite(worstError) ? worstError : null);
			m.put("reason", reason);
			m.put("cpu", cpu);
			m.put("libtorch", libtorch);
			m.put("decided", decided);
			if (ranking != null) m.put("ranking", ranking.describe());
			return m;
		}
	}

	/**
	 * A configuration's outcome in its probe process; {@code imagesPerSecond} is the CPU-preset training speed
	 * divided by the matmul GFLOP/s measured around it ({@code gflopsBefore}, {@code gflopsAfter}; 0 when not
	 * timed), which makes probes run at different machine loads comparable.
	 */
	public record ProbeResult(boolean passed, double worstError, String failures, double imagesPerSecond, double gflopsBefore, double gflopsAfter) {
		ProbeResult(boolean passed, double worstError, String failures, double imagesPerSecond) {
			this(passed, worstError, failures, imagesPerSecond, 0, 0);
		}

		String describe() {
			if (!passed) return (Probes.timedOut(this) ? "unknown: " : "wrong: ") + failures;
			if (Double.isNaN(imagesPerSecond)) return Probes.timedOut(this) ? "correct, not timed (" + failures + ")" : "correct";
			return String.format(Locale.ROOT, "correct, %.3g img/s per matmul GFLOP/s", imagesPerSecond);
		}
	}

	/** The cache and the probe protocol are internal and may hold NaN/∞ (a failed check); cards get {@link Verdict#record()}. */
	static final com.google.gson.Gson GSON = new com.google.gson.GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

	private static volatile Verdict verdict;

	/** Probe speeds within this fraction of the fastest count as a tie. */
	static final double TIE = 0.75;

	private Numerics() {}

	/** The verdict of this process, deciding it first if needed. Never throws for a failed check. */
	public static Verdict ensure() {
		Verdict v = verdict;
		if (v != null) return v;
		synchronized (Numerics.class) {
			if (verdict == null) verdict = decide();
			return verdict;
		}
	}

	/** Refuses heavy work when no configuration computes correctly on this CPU. */
	public static Verdict requireTrusted() {
		Verdict v = ensure();
		if (!v.passed()) throw new ExplorerException("libtorch computes wrong numbers on this CPU (" + v.cpu() + "): "
			+ v.reason() + ". Training, discovery and generation are refused because their results could not be trusted. "
			+ (forced().isPresent() ? "Remove -D" + SETTING + " (or CTLATENT_NUMERICS) to let the project choose a correct configuration, or try another one of: " + NumericsConfig.keys() + ". "
			: "Run on another machine or a GPU, and please report the CPU model with the output of 'Latent Explorer System Info'."));
		return v;
	}

	private static Verdict decide() {
		Engine engine = Engine.getEngine("PyTorch");
		String cpu = CpuIdentity.describe(), libtorch = engine.getVersion();
		String probe = System.getProperty(PROBE);
		if (probe != null) {
			NumericsConfig c = NumericsConfig.parse(probe);
			return checkHere(c, "probe process", cpu, libtorch, Map.of());
		}
		Optional<NumericsConfig> forced = forced();
		String key = CpuIdentity.fingerprint() + " | libtorch " + libtorch + " | check v" + NumericsCheck.VERSION + " | policy " + NumericsPolicy.fingerprint() + " | " + SETTING + "=" + forced.map(NumericsConfig::key).orElse("auto")
			+ " | fault " + System.getProperty(FAULT, "none")
			+ " | " + NativeSwitches.ISA_VARIABLE + "=" + NativeSwitches.getenv(NativeSwitches.ISA_VARIABLE).orElse("unset")
			+ " | " + NumericsPolicy.RATIO_SETTING + "=" + System.getProperty(NumericsPolicy.RATIO_SETTING, "default");
		Verdict cached = Boolean.getBoolean(RECHECK) ? null : readCache().get(key);
		boolean again = cached != null && forced.isEmpty() && ProbeRounds.needsAnotherRound(cached);
		if (cached != null && !again && cached.config().apply() == null) return cached;

		Verdict v = forced.map(c -> checkHere(c, "forced by " + SETTING, cpu, libtorch, Map.of()))
			.orElseGet(() -> chooseByProbing(cpu, libtorch, again ? cached : null));
		writeCache(key, v);
		return v;
	}

	/**
	 * libtorch's default first: when it computes correctly it is kept (it is the widest instruction set, and timing
	 * the others on a shared machine only adds noise — measured here, a busy neighbour once made the AVX cap look
	 * 1.7x faster than the default that is 2x faster idle). Only when it is wrong are the alternatives measured
	 * and the fastest correct one chosen ({@code -Dctlatent.numerics.measure_all=true} measures all anyway).
	 */
	private static Verdict chooseByProbing(String cpu, String libtorch, Verdict previous) {
		System.err.println(previous == null ? "Checking libtorch's arithmetic on this CPU (once per machine and libtorch version; 5-20 s) ..."
			: "Timing libtorch's numerics configurations again: the last ranking was measured on a busy machine ("
			+ (previous.ranking() == null ? "ranked before rounds were recorded" : previous.ranking().describe()) + ") ...");
		Map<String, ProbeResult> tried = new LinkedHashMap<>();
		boolean measureAll = Boolean.getBoolean("ctlatent.numerics.measure_all");
		double loadBefore = ProbeRounds.loadAverage();
		for (NumericsConfig c : NumericsConfig.values()) {
			ProbeResult r = Probes.run(c, c != NumericsConfig.ONEDNN || measureAll); // the default is only timed when it must be ranked
			if (r == null) return chooseHere(cpu, libtorch); // no child processes here
			tried.put(c.key(), r);
			if (c == NumericsConfig.ONEDNN && r.passed() && !measureAll && previous == null) {
				Verdict v = checkHere(c, "libtorch's default passed the check; alternatives not needed; " + describe(tried), cpu, libtorch, tried);
				if (v.passed()) return v;
			}
		}
		double disturbance = ProbeRounds.disturbance(loadBefore, Runtime.getRuntime().availableProcessors(), tried);
		// a probe that ran out of time says the machine is busy, not that its configuration is wrong
		if (tried.values().stream().anyMatch(Probes::timedOut)) disturbance = Math.max(disturbance, ProbeRounds.BUSY);
		if (System.getProperty(DISTURBANCE) != null) disturbance = Double.parseDouble(System.getProperty(DISTURBANCE));
		if (previous != null) {
			double before = previous.ranking() == null ? Double.MAX_VALUE : previous.ranking().disturbance();
			tried = ProbeRounds.merge(previous.tried(), before, tried, disturbance);
		}
		ProbeRounds.Ranking ranking = ProbeRounds.next(previous == null ? null : previous.ranking(), disturbance, ProbeRounds.contenders(tried));
		boolean noneCorrect = tried.values().stream().noneMatch(ProbeResult::passed);
		Verdict chosen = noneCorrect && tried.values().stream().anyMatch(Probes::timedOut)
			? chooseHere(cpu, libtorch) // too busy to hear from the child processes: check here what can be chosen here
			: rank(cpu, libtorch, tried);
		return new Verdict(chosen.config(), chosen.passed(), chosen.worstError(), chosen.failures(), chosen.checkSeconds(),
			chosen.reason() + "; " + ranking.describe(), cpu, libtorch, chosen.decided(), tried, ranking);
	}

	/** The fastest correct configuration of {@code tried} that also passes in this process. */
	private static Verdict rank(String cpu, String libtorch, Map<String, ProbeResult> tried) {
		List<NumericsConfig> correct = new ArrayList<>();
		for (NumericsConfig c : NumericsConfig.values()) if (tried.containsKey(c.key()) && tried.get(c.key()).passed()) correct.add(c);
		// fastest first; a configuration that passed but could not be timed (a busy machine) after every timed one
		correct.sort(Comparator.comparingDouble((NumericsConfig c) -> {
			double ips = tried.get(c.key()).imagesPerSecond();
			return Double.isNaN(ips) ? Double.NEGATIVE_INFINITY : ips;
		}).reversed());
		// timings on a shared machine are noisy (probes run one after the other; here the gemm configuration, slower
		// than the AVX cap at every row of bench compare, once came out fastest): within 25% of the fastest,
		// prefer the configuration closest to libtorch's default (the declaration order)
		double best = correct.isEmpty() ? 0 : tried.get(correct.get(0).key()).imagesPerSecond();
		correct.stream().filter(c -> tried.get(c.key()).imagesPerSecond() >= TIE * best).min(Comparator.naturalOrder())
			.ifPresent(c -> {
				correct.remove(c);
				correct.add(0, c);
			});
		String summary = describe(tried);
		if (correct.isEmpty()) return failed(cpu, libtorch, "no configuration passed the check: " + summary, tried);
		for (NumericsConfig c : correct) {
			String why = (c == correct.get(0) ? "fastest correct configuration measured (ties within 25% go to the one closest to libtorch's default)" : "the faster ones did not pass in this process")
				+ (tried.get(NumericsConfig.ONEDNN.key()).passed() ? "" : "; libtorch's default gave wrong numbers") + "; " + summary;
			Verdict v = checkHere(c, why, cpu, libtorch, tried);
			if (v.passed()) return v;
		}
		return failed(cpu, libtorch, "configurations that passed in child processes failed in this one; " + summary, tried);
	}

	/** Without child processes: the configurations this process can still choose, the one that leaves oneDNN untouched first. */
	private static Verdict chooseHere(String cpu, String libtorch) {
		Verdict gemm = checkHere(NumericsConfig.GEMM, "", cpu, libtorch, Map.of());
		Verdict oneDnn = checkHere(NumericsConfig.ONEDNN, "oneDNN correct; not timed (no child process could be started)", cpu, libtorch, Map.of());
		if (oneDnn.passed()) return oneDnn;
		String why = "oneDNN gave wrong numbers (" + oneDnn.failures() + "); no child process could be started to try capped instruction sets";
		// full width with padded output channels needs no cap, so it can still be chosen here
		Verdict aligned = checkHere(NumericsConfig.ONEDNN_ALIGNED, why + "; padding output channels made it correct", cpu, libtorch, Map.of());
		if (aligned.passed()) return aligned;
		if (gemm.passed()) return checkHere(NumericsConfig.GEMM, why, cpu, libtorch, Map.of());
		Verdict nativeOnly = checkHere(NumericsConfig.NATIVE, why + "; the project's BLAS lowering failed too", cpu, libtorch, Map.of());
		return nativeOnly.passed() ? nativeOnly
			: failed(cpu, libtorch, "neither oneDNN, nor the project's BLAS lowering, nor libtorch's own kernels passed (no child process could be started to try capped instruction sets)", Map.of());
	}

	private static Verdict checkHere(NumericsConfig c, String reason, String cpu, String libtorch, Map<String, ProbeResult> tried) {
		String notApplied = c.apply();
		if (notApplied != null) return new Verdict(c, false, Double.NaN, notApplied, 0, notApplied, cpu, libtorch, now(), tried, null);
		NumericsCheck.Result r = NumericsCheck.run(faultInjected(c));
		return new Verdict(c, r.passed(), r.worstError(), r.failures(), r.seconds(), reason, cpu, libtorch, now(), tried, null);
	}

	private static Verdict failed(String cpu, String libtorch, String reason, Map<String, ProbeResult> tried) {
		return new Verdict(NumericsConfig.ONEDNN, false, Double.NaN, reason, 0, reason, cpu, libtorch, now(), tried, null);
	}

	/** True when {@link #FAULT} lists {@code crash:<key>}: the probe of that configuration dies as a native crash would. */
	public static boolean crashInjected(String key) {
		return faults().contains("crash:" + key);
	}

	static boolean faultInjected(NumericsConfig c) {
		List<String> f = faults();
		return f.contains("all") || f.contains(c.key());
	}

	/** The entries of {@link #FAULT}, trimmed and lower-cased. */
	private static List<String> faults() {
		return java.util.Arrays.stream(System.getProperty(FAULT, "").toLowerCase(Locale.ROOT).split(",")).map(String::trim).toList();
	}

	public static Optional<NumericsConfig> forced() {
		String s = System.getProperty(SETTING, System.getenv("CTLATENT_NUMERICS"));
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("auto")) return Optional.empty();
		return Optional.of(NumericsConfig.parse(s));
	}

	private static String describe(Map<String, ProbeResult> tried) {
		List<String> parts = new ArrayList<>();
		tried.forEach((k, r) -> parts.add(k + " " + r.describe()));
		return String.join(", ", parts);
	}

	public static Path cacheFile() {
		String p = System.getProperty(CACHE);
		return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".ctlatent", "numerics.json");
	}

	private static Map<String, Verdict> readCache() {
		Path f = cacheFile();
		try {
			if (Files.isRegularFile(f)) {
				Map<String, Verdict> m = GSON.fromJson(Files.readString(f), new TypeToken<Map<String, Verdict>>() {}.getType());
				if (m != null) return m;
			}
		} catch (Exception e) {
			// a damaged cache only costs a new check
		}
		return new LinkedHashMap<>();
	}

	private static void writeCache(String key, Verdict v) {
		try {
			Map<String, Verdict> m = readCache();
			m.put(key, v);
			Files.createDirectories(cacheFile().toAbsolutePath().getParent());
			AtomicFiles.writeString(cacheFile(), GSON.toJson(m) + "\n");
		} catch (Exception e) {
			// not cached: the next process checks again
		}
	}

	private static String now() {
		return LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19);
	}
}
