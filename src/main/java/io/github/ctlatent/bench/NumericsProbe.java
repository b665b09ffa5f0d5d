package io.github.ctlatent.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.engine.NumericsCheck;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.GanTask;
import io.github.ctlatent.train.TrainingTask;
import io.github.ctlatent.train.VaeTask;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child process {@link Numerics} starts once per numerics configuration: the process applies the configuration
 * before its first convolution, runs {@link NumericsCheck}, times the training step users run most (CPU-preset GAN
 * and VAE, batch 16, through {@link GanTask} / {@link VaeTask}) and prints one line
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

	/** Images per second of one GAN and one VAE iteration at the CPU preset (after a warm-up of each, best of two). */
	static double trainingSpeed() {
		int batch = 16;
		double seconds = time(new GanTask(DcganConfig.cpuDefault(), Device.cpu(), 1), batch)
			+ time(new VaeTask(VaeConfig.cpuDefault(), Device.cpu(), 1), batch);
		return 2 * batch / seconds;
	}

	private static double time(TrainingTask task, int batch) {
		try (task; NDManager data = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
			NDArray x = data.randomUniform(-1f, 1f, new Shape(batch, 1, task.imageSize(), task.imageSize()));
			SplittableRandom rng = new SplittableRandom(1);
			try (NDManager it = data.newSubManager()) {
				task.step(it, x, rng); // warm-up: optimizer state, kernel selection
			}
			double best = Double.POSITIVE_INFINITY; // the faster of two: a busy shared machine only ever slows a run down
			for (int rep = 0; rep < 2; rep++) {
				long t0 = System.nanoTime();
				try (NDManager it = data.newSubManager()) {
					task.step(it, x, rng);
				}
				best = Math.min(best, (System.nanoTime() - t0) / 1e9);
			}
			return best;
		}
	}
}
