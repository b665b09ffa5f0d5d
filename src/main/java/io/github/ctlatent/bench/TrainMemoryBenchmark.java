package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.GanTask;
import io.github.ctlatent.train.VaeTask;
import org.scijava.plugin.Plugin;

import java.util.List;

/**
 * Native-memory flatness of training: 1,000 iterations of a small GAN and VAE (32², batch 16), RSS after a
 * 100-iteration warm-up against RSS at the end. Per-iteration arrays live in sub-managers closed every iteration;
 * a leak shows as steady growth (~60 MB per iteration without them, docs/platform.md §3).
 */
@Plugin(type = Benchmark.class, name = "train-memory", description = "RSS drift over 1,000 GAN and VAE training iterations (target < 5%)")
public class TrainMemoryBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) {
		Engines.seed(1);
		DcganConfig gc = DcganConfig.cpuDefault().withImageSize(32).withWidths(16, 16);
		VaeConfig vc = VaeConfig.cpuDefault().withImageSize(32).withCh(8);
		Measurement gan, vae;
		try (TaskIterations it = new TaskIterations(new GanTask(gc, Device.cpu(), 1), 16)) {
			gan = drift("GAN 32² ngf 16, batch 16", it, monitor);
		}
		try (TaskIterations it = new TaskIterations(new VaeTask(vc, Device.cpu(), 1), 16)) {
			vae = drift("VAE 32² ch 8, batch 16", it, monitor);
		}
		return List.of(gan, vae);
	}

	private static Measurement drift(String what, TaskIterations iterations, Monitor monitor) {
		double warm = 0;
		long t0 = 0;
		for (int i = 0; i < 1000; i++) {
			monitor.checkCanceled();
			if (i == 100) {
				System.gc();
				warm = Rss.mib();
				t0 = System.nanoTime();
			}
			iterations.step();
		}
		double rate = 900 / ((System.nanoTime() - t0) / 1e9);
		System.gc();
		double end = Rss.mib();
		return new Measurement("RSS drift, " + what, 100 * (end - warm) / warm, "%",
			String.format("%.0f -> %.0f MiB over iterations 100..1000 (%.1f it/s)", warm, end, rate));
	}
}
