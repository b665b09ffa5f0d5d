package io.github.ctlatent.bench;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.engine.Numerics;
import org.scijava.plugin.Plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * Training throughput (images per second) of one DCGAN and one VAE iteration on CPU, at the CPU-default preset
 * (batch 64) and the paper preset (batch 8), through the training tasks and Adam that {@code Train GAN/VAE} run.
 * -Dbench.paper=false skips the paper preset.
 */
@Plugin(type = Benchmark.class, name = "train-step", description = "img/s of one GAN / VAE training iteration (cpuDefault b64, paper b8)")
public class TrainStepBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) {
		Engines.seed(1);
		List<Measurement> out = new ArrayList<>();
		out.add(gan(DcganConfig.cpuDefault(), 64, 3, "cpuDefault"));
		monitor.checkCanceled();
		out.add(vae(VaeConfig.cpuDefault(), 64, 3, "cpuDefault"));
		if (Boolean.parseBoolean(System.getProperty("bench.paper", "true"))) {
			monitor.checkCanceled();
			out.add(gan(DcganConfig.paper(), 8, 2, "paper"));
			monitor.checkCanceled();
			out.add(vae(VaeConfig.paper(), 8, 2, "paper"));
		}
		return out;
	}

	static Measurement gan(DcganConfig c, int batch, int reps, String name) {
		try (TaskIterations it = TaskIterations.gan(c, batch)) {
			return measure("GAN step " + name + " " + c.imageSize() + "^2 ngf " + c.ngf(), batch, it.secondsPerIteration(reps), it.flopsPerImage());
		}
	}

	static Measurement vae(VaeConfig c, int batch, int reps, String name) {
		try (TaskIterations it = TaskIterations.vae(c, batch)) {
			return measure("VAE step " + name + " " + c.imageSize() + "^2 ch " + c.ch(), batch, it.secondsPerIteration(reps), it.flopsPerImage());
		}
	}

	private static Measurement measure(String what, int batch, double s, double flopsPerImage) {
		double achieved = batch / s * flopsPerImage;
		return new Measurement(what, batch / s, "img/s", String.format("batch %d, %.3f s/iteration (best of timed), %s threads, %.3g GFLOP/s = %.0f%% of matmul ceiling, numerics %s",
			batch, s, System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors())), achieved / 1e9,
			100 * achieved / Benchmarks.matmulCeiling(), Numerics.ensure().config().key()));
	}
}
