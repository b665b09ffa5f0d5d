package io.github.ctlatent.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.ResNetVae;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.GanStep;
import io.github.ctlatent.train.VaeStep;
import org.scijava.plugin.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Training throughput (images per second) of one DCGAN and one VAE iteration on CPU, at the CPU-default preset
 * (batch 64) and the paper preset (batch 8, one timed iteration: it only shows the order of magnitude).
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
			out.add(gan(DcganConfig.paper(), 8, 1, "paper"));
			monitor.checkCanceled();
			out.add(vae(VaeConfig.paper(), 8, 1, "paper"));
		}
		return out;
	}

	static Measurement gan(DcganConfig c, int batch, int reps, String name) {
		try (Dcgan gan = Dcgan.create(c, Device.cpu())) {
			GanStep step = new GanStep(gan);
			return measure("GAN step " + name + " " + c.imageSize() + "^2 ngf " + c.ngf(), batch, reps, c.imageSize(), Flops.ganIteration(c), x -> step.step(x));
		}
	}

	static Measurement vae(VaeConfig c, int batch, int reps, String name) {
		try (ResNetVae vae = ResNetVae.create(c, Device.cpu())) {
			VaeStep step = new VaeStep(vae);
			return measure("VAE step " + name + " " + c.imageSize() + "^2 ch " + c.ch(), batch, reps, c.imageSize(), Flops.vaeIteration(c), x -> step.step(x));
		}
	}

	private static Measurement measure(String what, int batch, int reps, int size, double flopsPerImage, Function<NDArray, Object> step) {
		try (NDManager data = NDManager.newBaseManager()) {
			NDArray x = data.randomUniform(-1f, 1f, new Shape(batch, 1, size, size));
			step.apply(x); // warm-up (allocates optimizer state)
			long t0 = System.nanoTime();
			for (int i = 0; i < reps; i++) step.apply(x);
			double s = (System.nanoTime() - t0) / 1e9 / reps;
			double achieved = batch / s * flopsPerImage;
			return new Measurement(what, batch / s, "img/s", String.format("batch %d, %.2f s/iteration, %s threads, %.3g GFLOP/s = %.0f%% of matmul ceiling", batch, s,
				System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors())), achieved / 1e9,
				100 * achieved / Benchmarks.matmulCeiling()));
		}
	}
}
