package io.github.ctlatent.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.DcganGenerator;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.CurvedPath;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Spacing;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.WalkPath;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the live explorer needs: single-image generation latency and a 33-frame traversal, on the shipped 64² GAN
 * (or the CPU preset with random weights when the shipped model is absent) and on the paper's 128² generator; and
 * a curved walk (path=curved, the evaluation's 17 frames over ±3) at 64², whose cost is its local bases, not its frames.
 */
@Plugin(type = Benchmark.class, name = "traverse", description = "one-image latency and 33-frame traversal time at 64² (shipped GAN) and 128² (paper G); a 17-frame curved walk at 64²")
public class TraversalBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) {
		List<Measurement> out = new ArrayList<>();
		Path shipped = Path.of(System.getProperty("ctlatent.home", "."), "models", "phantom-gan");
		Engines.seed(1);
		try (Generator g = Files.isDirectory(shipped) ? Models.load(shipped, Device.cpu()) : DcganGenerator.random(DcganConfig.cpuDefault(), Device.cpu())) {
			String name = Files.isDirectory(shipped) ? "shipped GAN 64²" : "CPU-preset GAN 64² (random weights)";
			out.add(latency(g, name));
			out.add(walk(g, name));
			out.add(curved(g, name));
		}
		try (Generator g = DcganGenerator.random(DcganConfig.paper(), Device.cpu())) {
			out.add(latency(g, "paper GAN 128²"));
			out.add(walk(g, "paper GAN 128²"));
		}
		return out;
	}

	private static Measurement latency(Generator g, String name) {
		int d = g.latentDim();
		try (NDManager m = NDManager.newBaseManager()) {
			double best = Double.MAX_VALUE;
			for (int i = 0; i < 12; i++) {
				long t0 = System.nanoTime();
				try (NDManager it = m.newSubManager()) {
					g.generate(it.create(Traversal.seedLatent(d, i), new Shape(1, d, 1, 1))).toFloatArray();
				}
				if (i >= 2) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
			}
			return new Measurement("one image, " + name, 1 / best, "images/s", String.format("%.1f ms latency (best of 10)", 1000 * best));
		}
	}

	private static Measurement walk(Generator g, String name) {
		int d = g.latentDim();
		float[][] axes = new float[1][d];
		axes[0][0] = 1;
		Traversal.walk(g, Directions.of(axes), new int[] {0}, Traversal.seedLatent(d, 1), new Traversal.Range(6, 33), Monitor.NONE); // warm-up
		double best = Double.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			long t0 = System.nanoTime();
			Traversal.walk(g, Directions.of(axes), new int[] {0}, Traversal.seedLatent(d, 1), new Traversal.Range(6, 33), Monitor.NONE);
			best = Math.min(best, (System.nanoTime() - t0) / 1e9);
		}
		return new Measurement("33-frame traversal, " + name, best, "s", String.format("%.0f frames/s", 33 / best));
	}

	/** The evaluation's 3D walk (17 frames over ±3) along a curved path: 48 local bases of d + 1 images each, best of 2. */
	private static Measurement curved(Generator g, String name) {
		int d = g.latentDim();
		float[][] axes = new float[1][d];
		axes[0][0] = 1;
		Traversal.Range range = new Traversal.Range(3, 17);
		double best = Double.MAX_VALUE;
		for (int i = 0; i < 2; i++) {
			long t0 = System.nanoTime();
			Traversal.walk(g, Directions.of(axes), new int[] {0}, Traversal.seedLatent(d, 1), range, Spacing.LINEAR, WalkPath.curved(WalkPath.DEFAULT_RANK), Monitor.NONE);
			best = Math.min(best, (System.nanoTime() - t0) / 1e9);
		}
		int images = 17 + 2 * 2 * (int) Math.ceil(3 / CurvedPath.STEP) * (d + 1);
		return new Measurement("17-frame curved walk (path=curved, ±3, local_rank 8), " + name, 17 / best, "frames/s",
			String.format("%.2f s per walk, %d images rendered (%.0f images/s)", best, images, images / best));
	}
}
