package io.github.ctlatent.bench;

import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.engine.NumericsCheck;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child process {@link Numerics} starts once per numerics configuration: the process applies the configuration
 * before its first convolution, runs {@link NumericsCheck}, times the training step users run most (CPU-preset GAN
 * and VAE, batch 16, through {@link TaskIterations}) and prints one line
 * {@code numerics-probe {json}}. A separate process is needed because oneDNN's instruction-set cap can be chosen
 * only once per process.
 */
public final class NumericsProbe {

	public static final String PREFIX = "numerics-probe ";

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
			if (v.passed() && Boolean.parseBoolean(System.getProperty(Numerics.PROBE_TIMED, "true"))) out.put("imagesPerSecond", relativeTrainingSpeed());
		} catch (Throwable e) {
			out.put("passed", false);
			out.put("failures", "probe crashed: " + e);
		}
		System.out.println(PREFIX + new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(out));
		System.exit(0);
	}

	/**
	 * Training speed in images per second per matmul GFLOP/s: the probes run one after another on a machine whose
	 * load changes, and matrix multiplication (BLAS, the same in every configuration) measured around the
	 * training steps divides that load out.
	 */
	static double relativeTrainingSpeed() {
		double before = MatmulBenchmark.measure(1024, 3);
		double ips = trainingSpeed();
		return ips / (Math.max(before, MatmulBenchmark.measure(1024, 3)) / 1e9);
	}

	/** Images per second of one GAN and one VAE iteration at the CPU preset, batch 16 (after a warm-up of each, best of two). */
	static double trainingSpeed() {
		int batch = 16;
		double seconds = 0;
		try (TaskIterations gan = TaskIterations.gan(DcganConfig.cpuDefault(), batch)) {
			seconds += gan.secondsPerIteration(2);
		}
		try (TaskIterations vae = TaskIterations.vae(VaeConfig.cpuDefault(), batch)) {
			seconds += vae.secondsPerIteration(2);
		}
		return 2 * batch / seconds;
	}
}
