package io.github.ctlatent.bench;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Augmentation;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SliceBatches;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.SliceSetWriter;
import io.github.ctlatent.data.Volume;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Slice preparation (512² HU → 64² with the paper's Lanczos-4) and batch delivery (memory-mapped, with and
 * without the paper's augmentation) on a 10,240-slice set, with the process RSS before and after iterating it.
 */
@Plugin(type = Benchmark.class, name = "slices", description = "slice preparation and batch delivery (slices/s), RSS while iterating 10k slices")
public class SliceSetBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		List<Measurement> out = new ArrayList<>();
		Path dir = Files.createTempDirectory("slices-bench");
		try {
			int volumes = 40, depth = 256;
			Volume v = noise(512, depth);
			long t0 = System.nanoTime();
			try (SliceSetWriter w = SliceSetWriter.create(dir.resolve("set"), Preprocessing.cpuDefault(), 1, 0.1)) {
				for (int i = 0; i < volumes; i++) w.add("v" + i, "memory", v);
				w.commit();
			}
			double prep = volumes * depth / ((System.nanoTime() - t0) / 1e9);
			out.add(new Measurement("prepare 512² HU -> 64² (in-memory volumes)", prep, "slices/s", volumes * depth + " slices"));
			SliceSet set = SliceSet.open(dir.resolve("set"));
			for (Augmentation aug : new Augmentation[] {null, Augmentation.paper()}) {
				SliceBatches b = new SliceBatches(set, SliceSet.Split.TRAIN, 64, 1, aug);
				float[] buf = new float[64 * 64 * 64];
				double rss0 = Rss.mib();
				long n = 0, t = System.nanoTime();
				for (int e = 0; e < 3 * b.batchesPerEpoch(); e++, n += 64) b.nextBatch(buf);
				double rate = n / ((System.nanoTime() - t) / 1e9);
				out.add(new Measurement("batch delivery 64² x64" + (aug == null ? "" : " + paper augmentation"), rate, "slices/s",
					String.format("3 epochs; RSS %.0f -> %.0f MiB", rss0, Rss.mib())));
			}
		} finally {
			AtomicFiles.deleteRecursively(dir);
		}
		return out;
	}

	private static Volume noise(int size, int depth) {
		Random r = new Random(1);
		float[][] planes = new float[depth][size * size];
		for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = (float) (r.nextGaussian() * 500 - 200);
		return new Volume("noise", size, size, planes, new double[] {0.7, 0.7, 1.25}, true, Map.of());
	}
}
