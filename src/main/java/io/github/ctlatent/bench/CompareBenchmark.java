package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.VoynovBabenko;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.DcganGenerator;
import io.github.ctlatent.model.Generator;
import org.scijava.plugin.Plugin;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The project against PyTorch, side by side in one run: the same five rows (GAN and VAE training iterations at
 * the CPU and paper presets, one Voynov–Babenko step on the paper generator) timed in three child processes —
 * this project with its normal numerics, this project in the fallback an affected CPU gets (oneDNN's AVX-512 and
 * AVX2 kernels declared wrong, so the self-check chooses among the rest), and {@code bench/pytorch_bench.py} with
 * Debian's python3-torch — twice, alternating, keeping each one's best ({@link Timing}: the same rule inside every
 * child); then images/s and the ratios. PyTorch runs
 * twice per pass: as a user starts it, and with glibc's {@code glibc.malloc.hugetlb=1} tunable, the nearest a
 * PyTorch 1.13 user gets to the huge pages this project asks libtorch for ({@link Engines#HUGE_PAGES}), so that
 * the ratio to the second says how much of a lead is the allocator.
 * <p>
 * Settings: {@code -Dbench.python=python3}, {@code -Dbench.threads=N} (default: all cores, for all of them),
 * {@code -Dbench.rows=gan64,vae64,gan128,vae128,vb128}, {@code -Dbench.fallback=<fault list>}, {@code -Dbench.reps},
 * {@code -Dbench.warmup.seconds}, {@code -Dbench.timed.seconds} ({@link Timing});
 * {@code -Dbench.numerics=<config>} and {@code -Dbench.fallback.numerics=<config>} force the two children's
 * configurations, to time another machine's rules; {@code -Dbench.isa=avx2} goes further and holds every kernel family
 * of both sides to AVX2 ({@link Isa}). A configuration that fails its check here is still timed, and its rows say so. {@code -Dctlatent.malloc}
 * and {@code -Dctlatent.hugepages} are passed on to the project's children.
 */
@Plugin(type = Benchmark.class, name = "compare", description = "img/s vs PyTorch (python3-torch) on the same rows: normal and fallback numerics, ratios")
public class CompareBenchmark implements Benchmark {

	static final String PREFIX = "java-row ";
	static final List<String> ROWS = List.of("gan64", "vae64", "gan128", "vae128", "vb128");
	/** The vb128 row: pairs per Voynov–Babenko step and directions (bench/pytorch_bench.py times the same). */
	static final int VB_PAIRS = 16, VB_DIRECTIONS = 32;

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		String threads = System.getProperty("bench.threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
		String rows = System.getProperty("bench.rows", String.join(",", ROWS));
		String fallback = System.getProperty("bench.fallback", "onednn,onednn-avx2,onednn-avx");
		Path script = Path.of(System.getProperty("ctlatent.home", "."), "bench", "pytorch_bench.py");
		if (!Files.isRegularFile(script)) throw new ExplorerException("Missing " + script + ": run from the project folder (bin/latent-explorer sets ctlatent.home).");
		Path cache = Files.createTempFile("numerics-fallback", ".json");
		Map<String, Child> commands = new LinkedHashMap<>();
		Isa isa = Isa.parse(System.getProperty("bench.isa"));
		// another machine's rules, forced (bench.numerics / bench.fallback.numerics): timed even where they compute wrongly here
		List<String> normal = forcing(System.getProperty("bench.numerics", isa.normal()), List.of());
		List<String> degraded = forcing(System.getProperty("bench.fallback.numerics", isa.fallback()), List.of("-D" + Numerics.FAULT + "=" + fallback));
		commands.put("java", new Child(javaCommand(threads, rows, normal), isa.project(), PREFIX));
		commands.put("java fallback", new Child(javaCommand(threads, rows, concat(degraded, List.of("-D" + Numerics.CACHE + "=" + cache))), isa.project(), PREFIX));
		Timing timing = Timing.fromProperties();
		List<String> python = List.of(System.getProperty("bench.python", "python3"), script.toString(), "--threads", threads, "--rows", rows,
			"--reps", String.valueOf(timing.reps()), "--warmup-seconds", String.valueOf(timing.warmupSeconds()), "--timed-seconds", String.valueOf(timing.timedSeconds()));
		commands.put(PYTORCH, new Child(python, with(isa.pytorch(), TUNABLES, tunables(System.getenv(TUNABLES), false)), PYTORCH_PREFIX));
		commands.put(PYTORCH_HUGE, new Child(python, with(isa.pytorch(), TUNABLES, tunables(System.getenv(TUNABLES), true)), PYTORCH_PREFIX));
		Map<String, Map<String, Map<String, Object>>> best = new LinkedHashMap<>();
		int runs = commands.size() * 2, done = 0;
		for (int pass = 0; pass < 2; pass++)
			for (Map.Entry<String, Child> c : commands.entrySet()) {
				monitor.checkCanceled();
				monitor.progress(done++, runs, c.getKey() + ", pass " + (pass + 1));
				for (Map<String, Object> row : rows(c.getValue()))
					best.computeIfAbsent(c.getKey(), k -> new LinkedHashMap<>()).merge(String.valueOf(row.get("row")), row,
						(a, b) -> number(a.get("img_per_s")) >= number(b.get("img_per_s")) ? a : b);
			}
		Files.deleteIfExists(cache);
		return measurements(best, threads);
	}

	/** The child's numerics properties: {@code config} forced when given (then no fault list), else {@code otherwise}. */
	private static List<String> forcing(String config, List<String> otherwise) {
		if (config == null || config.isBlank()) return otherwise;
		return List.of("-D" + Numerics.SETTING + "=" + io.github.ctlatent.engine.NumericsConfig.parse(config.trim()).key());
	}

	/**
	 * An instruction set to hold both sides to ({@code -Dbench.isa}), the nearest this CPU gets to a machine that
	 * lacks the wider ones: {@code native} (the default) caps nothing; {@code avx2} caps every kernel family of both
	 * stacks at AVX2 — oneDNN, ATen's own kernels ({@code ATEN_CPU_CAPABILITY}) and MKL in libtorch; ATen, oneDNN and
	 * OpenBLAS ({@code OPENBLAS_CORETYPE=Zen}, what a Zen 3 gets) in PyTorch. The project's children then see an AVX2
	 * machine (oneDNN's widest is AVX2, so its rules are that width's: {@code NumericsPolicy}) and run what one whose
	 * oneDNN is correct runs: libtorch's default {@code onednn}, and in the fallback the first configuration the fault
	 * list leaves, {@code onednn-aligned} (the self-check cannot choose it here: this CPU's AVX2-capped oneDNN is wrong
	 * on channel tails). {@code bench.numerics} / {@code bench.fallback.numerics} still override. Capping only oneDNN,
	 * as earlier runs did, left the project's element-wise kernels at AVX-512 and PyTorch's oneDNN uncapped.
	 */
	record Isa(String normal, String fallback, Map<String, String> project, Map<String, String> pytorch) {
		static Isa parse(String value) {
			String v = value == null || value.isBlank() ? "native" : value.trim().toLowerCase(Locale.ROOT);
			return switch (v) {
				case "native" -> new Isa(null, null, Map.of(), Map.of());
				case "avx2" -> new Isa("onednn", "onednn-aligned", Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "ATEN_CPU_CAPABILITY", "avx2", "MKL_ENABLE_INSTRUCTIONS", "AVX2"),
					Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2", "DNNL_MAX_CPU_ISA", "AVX2", "OPENBLAS_CORETYPE", "Zen"));
				default -> throw new ExplorerException("-Dbench.isa=" + value + " is not a setting: use native (the default) or avx2.");
			};
		}
	}

	private static Map<String, String> with(Map<String, String> base, String key, String value) {
		Map<String, String> all = new LinkedHashMap<>(base);
		all.put(key, value);
		return all;
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** A child process: its command, what it adds to the environment, and how its result lines begin. */
	record Child(List<String> command, Map<String, String> environment, String rowPrefix) {}

	static final String PYTORCH = "pytorch", PYTORCH_HUGE = "pytorch, huge pages", PYTORCH_PREFIX = "pytorch-row ", TUNABLES = "GLIBC_TUNABLES";

	/** {@code GLIBC_TUNABLES} with malloc's huge-page tunable on or left out, keeping whatever else the user set. */
	static String tunables(String given, boolean hugeTlb) {
		String others = given == null ? "" : java.util.Arrays.stream(given.split(":"))
			.filter(t -> !t.isBlank() && !t.startsWith("glibc.malloc.hugetlb=")).collect(java.util.stream.Collectors.joining(":"));
		return !hugeTlb ? others : (others.isEmpty() ? "" : others + ":") + "glibc.malloc.hugetlb=1";
	}

	private static List<Measurement> measurements(Map<String, Map<String, Map<String, Object>>> best, String threads) {
		List<Measurement> out = new ArrayList<>();
		Map<String, Map<String, Object>> torch = best.getOrDefault(PYTORCH, Map.of()), huge = best.getOrDefault(PYTORCH_HUGE, Map.of());
		for (String impl : List.of("java", "java fallback"))
			for (Map.Entry<String, Map<String, Object>> r : best.getOrDefault(impl, Map.of()).entrySet()) {
				double ips = number(r.getValue().get("img_per_s"));
				Map<String, Object> t = torch.get(r.getKey()), h = huge.get(r.getKey());
				String vs = t == null ? "PyTorch: no figure" : String.format(Locale.ROOT, "%.2fx PyTorch %s (%.3g img/s)", ips / number(t.get("img_per_s")),
					t.get("torch"), number(t.get("img_per_s")));
				if (h != null) vs += String.format(Locale.ROOT, ", %.2fx it with glibc.malloc.hugetlb=1 (%.3g img/s)", ips / number(h.get("img_per_s")), number(h.get("img_per_s")));
				String trusted = Boolean.FALSE.equals(r.getValue().get("numerics_passed")) ? " (FAILED its check on this CPU: timing only)" : "";
				trusted += "; oneDNN width " + r.getValue().get("onednn_width") + ", ATen " + r.getValue().get("aten") + (t == null ? "" : " (PyTorch: ATen " + t.get("aten") + ", " + t.get("blas") + ", oneDNN " + t.get("onednn_cap") + ")");
				out.add(new Measurement(r.getKey() + ", " + impl, ips, "img/s", vs + "; numerics " + r.getValue().get("numerics") + trusted
					+ ", " + String.format(Locale.ROOT, "%.0f%% of matmul ceiling", number(r.getValue().get("ceiling_percent"))) + ", " + threads + " threads"));
			}
		return out;
	}

	private static List<String> javaCommand(String threads, String rows, List<String> props) {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx8g",
			"-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads, "-Dslf4j.internal.verbosity=ERROR"));
		// the allocator settings are the things about the project's children a user compares by hand (docs/performance.md, "Allocator")
		for (String setting : List.of(Engines.MALLOC, Engines.HUGE_PAGES, "bench.reps", "bench.warmup.seconds", "bench.timed.seconds"))
			if (System.getProperty(setting) != null) cmd.add("-D" + setting + "=" + System.getProperty(setting));
		cmd.addAll(props);
		cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CompareBenchmark.class.getName(), rows));
		return cmd;
	}

	private static List<Map<String, Object>> rows(Child child) throws Exception {
		List<String> cmd = child.command();
		String prefix = child.rowPrefix();
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().putAll(child.environment());
		Process p = pb.start();
		List<Map<String, Object>> rows = new ArrayList<>();
		StringBuilder log = new StringBuilder();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null; ) {
				if (line.startsWith(prefix)) rows.add(asMap(Json.gson().fromJson(line.substring(prefix.length()), Map.class)));
				else log.append(line).append('\n');
			}
		}
		if (p.waitFor() != 0) throw new ExplorerException("'" + String.join(" ", cmd.subList(0, Math.min(2, cmd.size()))) + " …' failed (exit "
			+ p.exitValue() + "): " + log.toString().strip());
		return rows;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object o) {
		return (Map<String, Object>) o;
	}

	private static double number(Object o) {
		return o instanceof Number n ? n.doubleValue() : Double.NaN;
	}

	/** Child process: times the rows given as a comma list and prints one {@code java-row {json}} line each. */
	public static void main(String[] args) {
		Engines.pytorch();
		Engines.seed(1);
		Timing timing = Timing.fromProperties();
		for (String row : args[0].split(",")) {
			double ceiling = MatmulBenchmark.measure(2048, 3); // around each row: the load of a shared machine changes
			double seconds;
			int batch;
			double flopsPerImage;
			switch (row.trim()) {
				case "gan64", "gan128", "vae64", "vae128" -> {
					try (TaskIterations it = TaskIterations.row(row.trim())) {
						batch = it.batchSize();
						flopsPerImage = it.flopsPerImage();
						seconds = timing.best(it::step, Monitor.NONE);
					}
				}
				case "vb128" -> {
					batch = VB_PAIRS;
					try (Generator g = DcganGenerator.random(DcganConfig.paper(), Device.cpu())) {
						try (VoynovBabenko run = DiscoveryBenchmark.paperRun(g, batch, VB_DIRECTIONS, Monitor.NONE)) {
							seconds = timing.best(run::trainStep, Monitor.NONE);
						}
						flopsPerImage = DiscoveryBenchmark.flopsPerStep(g, 2 * Flops.dcgan(DcganConfig.paper())[0], batch, VB_DIRECTIONS) / (2 * batch);
					}
					batch *= 2; // images generated per step: pairs × 2
				}
				default -> throw new IllegalArgumentException("unknown row " + row + "; rows: " + ROWS);
			}
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("row", row.trim());
			m.put("img_per_s", batch / seconds);
			m.put("seconds_per_iteration", seconds);
			ceiling = Math.max(ceiling, MatmulBenchmark.measure(2048, 3));
			m.put("ceiling_percent", 100 * batch / seconds * flopsPerImage / ceiling);
			m.put("numerics", Numerics.ensure().config().key());
			m.put("numerics_passed", Numerics.ensure().passed());
			m.put("aten", Engines.atenKernels());
			m.put("onednn_width", Engines.oneDnnWidth());
			System.out.println(PREFIX + Json.gson().toJson(m).replace('\n', ' '));
		}
		System.exit(0);
	}
}
