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

import java.util.List;
import java.util.function.Consumer;

/**
 * Native-memory flatness of training: 1,000 iterations of a small GAN and VAE (32², batch 16), RSS after a
 * 100-iteration warm-up against RSS at the end. Per-iteration arrays live in sub-managers closed every iteration;
 * a leak shows as steady growth (~60 MB per iteration without them, PLATFORM.md §3).
 */
@Plugin(type = Benchmark.class, name = "train-memory", description = "RSS drift over 1,000 GAN and VAE training iterations (target < 5%)")
public class TrainMemoryBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) {
		Engines.seed(1);
		DcganConfig gc = DcganConfig.cpuDefault().withImageSize(32).withWidths(16, 16);
		VaeConfig vc = VaeConfig.cpuDefault().withImageSize(32).withCh(8);
		Measurement gan, vae;
		try (Dcgan g = Dcgan.create(gc, Device.cpu())) {
			GanStep step = new GanStep(g);
			gan = drift("GAN 32² ngf 16, batch 16", x -> step.step(x), monitor);
		}
		try (ResNetVae v = ResNetVae.create(vc, Device.cpu())) {
			VaeStep step = new VaeStep(v);
			vae = drift("VAE 32² ch 8, batch 16", x -> step.step(x), monitor);
		}
		return List.of(gan, vae);
	}

	private static Measurement drift(String what, Consumer<NDArray> step, Monitor monitor) {
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray x = m.randomUniform(-1f, 1f, new Shape(16, 1, 32, 32));
			double warm = 0;
			long t0 = 0;
			for (int i = 0; i < 1000; i++) {
				monitor.checkCanceled();
				if (i == 100) {
					System.gc();
					warm = Rss.mib();
					t0 = System.nanoTime();
				}
				step.accept(x);
			}
			double rate = 900 / ((System.nanoTime() - t0) / 1e9);
			System.gc();
			double end = Rss.mib();
			return new Measurement("RSS drift, " + what, 100 * (end - warm) / warm, "%",
				String.format("%.0f -> %.0f MiB over iterations 100..1000 (%.1f it/s)", warm, end, rate));
		}
	}
}
