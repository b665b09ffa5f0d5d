package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.view.LatentExplorer;
import io.github.ctlatent.view.Ranking;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Latent Explorer's interactive speed on the shipped 64² GAN with its SeFa directions: the latency of one
 * frame (slider value → image in HU), and a simulated drag (a slider event every 10 ms for 3 s, as a fast mouse
 * gives) through the coalescing background renderer: frames shown per second and how far the picture lags.
 */
@Plugin(type = Benchmark.class, name = "explorer-latency", description = "Latent Explorer: frame latency and frames/s during a 100 Hz slider drag (shipped 64² GAN, SeFa)")
public class ExplorerLatencyBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		Path gan = LatentExplorer.shippedModel();
		if (!Files.isDirectory(gan)) throw new io.github.ctlatent.core.ExplorerException("No shipped GAN at " + gan + ": run from the project folder.");
		List<Measurement> out = new ArrayList<>();
		String load = "load " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors() + " cores";
		try (LatentExplorer e = LatentExplorer.open(gan, null, Ranking.EIGENVALUE, 8, 1, Device.cpu(), Monitor.NONE)) {
			for (int i = 0; i < 10; i++) e.render(); // warm-up
			double[] ms = new double[60];
			for (int i = 0; i < ms.length; i++) {
				e.setValue(i % e.sliders(), -6 + 12.0 * i / ms.length);
				long t0 = System.nanoTime();
				e.render();
				ms[i] = (System.nanoTime() - t0) / 1e6;
			}
			Arrays.sort(ms);
			out.add(new Measurement("frame latency, median", ms[ms.length / 2], "ms", String.format("p90 %.1f ms; %s", ms[ms.length * 9 / 10], load)));
			out.add(new Measurement("frames/s, one after the other", 1000 / ms[ms.length / 2], "frames/s", "(needs >= 20)"));

			// a drag: 300 slider events 10 ms apart; count frames shown and the lag of the last one
			AtomicLong shown = new AtomicLong();
			List<Double> dragMs = java.util.Collections.synchronizedList(new ArrayList<>());
			e.onFrame(f -> {
				shown.incrementAndGet();
				dragMs.add(f.nanos() / 1e6);
			});
			e.reset();
			long t0 = System.nanoTime();
			for (int i = 0; i < 300; i++) {
				e.setValue(0, -6 + 12.0 * i / 299);
				e.request();
				Thread.sleep(10);
			}
			long lastRequest = System.nanoTime();
			e.awaitIdle(10_000);
			double lagMs = (System.nanoTime() - lastRequest) / 1e6, seconds = (lastRequest - t0) / 1e9;
			out.add(new Measurement("frames shown during a 100 Hz drag", shown.get() / seconds, "frames/s",
				String.format("%d of 300 events rendered, the rest coalesced; last frame %.1f ms after the last event", shown.get(), lagMs)));
			double[] d = dragMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			out.add(new Measurement("frame latency during the drag, median", d[d.length / 2], "ms", String.format("p90 %.1f ms", d[d.length * 9 / 10])));
		}
		return out;
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		} catch (Exception e) {
			return "unknown";
		}
	}
}
