package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The child process {@link Numerics} starts once per numerics configuration: the process applies the configuration
 * before its first convolution, runs {@link NumericsCheck}, times the {@link ProbeWorkload} (the training steps users
 * run most) and prints one line
 * {@code numerics-probe {json}} (twice when timed: after the check, and again with the timing). A separate process is needed because oneDNN's instruction-set cap can be chosen
 * only once per process.
 */
public final class NumericsProbe {

	public static final String PREFIX = "numerics-probe ";
	private static final com.google.gson.Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

	private NumericsProbe() {}

	public static void main(String[] args) {
		if (Numerics.crashInjected(System.getProperty(Numerics.PROBE, ""))) Runtime.getRuntime().halt(134); // as SIGABRT in a kernel would
		Map<String, Object> out = new LinkedHashMap<>();
		try {
			Numerics.Verdict v = Numerics.ensure(); // in a probe process: applies the configuration, checks, no cache
			out.put("config", v.config().key());
			out.put("passed", v.passed());
			out.put("worstError", v.worstError());
			out.put("failures", v.failures());
			out.put("checkSeconds", v.checkSeconds());
			if (v.passed() && Boolean.parseBoolean(System.getProperty(Numerics.PROBE_TIMED, "true"))) {
				// the verdict first: on a busy machine the timing may outlast the parent's patience, the check should not be lost with it
				System.out.println(PREFIX + GSON.toJson(out));
				relativeSpeed(out);
			}
		} catch (Throwable e) {
			out.put("passed", false);
			out.put("failures", "probe crashed: " + e);
		}
		System.out.println(PREFIX + GSON.toJson(out));
		System.exit(0);
	}

	/**
	 * Workload speed in images per second per matmul GFLOP/s: the probes run one after another on a machine whose
	 * load changes, and matrix multiplication (BLAS, the same in every configuration) measured around the
	 * workload divides a steady load out. Puts {@code imagesPerSecond} (NaN when no workload is installed) and the
	 * two matmul speeds, {@code gflopsBefore} and {@code gflopsAfter}, whose spread tells the parent how steady the
	 * machine was.
	 */
	static void relativeSpeed(Map<String, Object> out) {
		ProbeWorkload w = ServiceLoader.load(ProbeWorkload.class, NumericsProbe.class.getClassLoader()).findFirst().orElse(null);
		if (w == null) {
			out.put("imagesPerSecond", Double.NaN);
			return;
		}
		double before = matmulFlops(1024, 3) / 1e9;
		double ips = w.imagesPerSecond();
		double after = matmulFlops(1024, 3) / 1e9;
		out.put("imagesPerSecond", ips / Math.max(before, after));
		out.put("gflopsBefore", before);
		out.put("gflopsAfter", after);
	}

	/** Best-of-{@code reps} FLOP/s of an n×n by n×n fp32 product on the CPU, after one warm-up. */
	public static double matmulFlops(int n, int reps) {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray a = m.randomNormal(new Shape(n, n));
			NDArray b = m.randomNormal(new Shape(n, n));
			a.matMul(b).close();
			double best = Double.MAX_VALUE;
			for (int i = 0; i < reps; i++) {
				long t0 = System.nanoTime();
				try (NDArray c = a.matMul(b)) {
					c.getFloat(0, 0); // forces completion
				}
				best = Math.min(best, (System.nanoTime() - t0) / 1e9);
			}
			return 2.0 * n * n * (double) n / best;
		}
	}
}
