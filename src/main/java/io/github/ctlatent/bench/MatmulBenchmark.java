package io.github.ctlatent.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import org.scijava.plugin.Plugin;

import java.util.List;

/** fp32 matrix product through DJL's PyTorch engine: the throughput ceiling of this machine. */
@Plugin(type = Benchmark.class, name = "matmul", description = "fp32 matmul FLOP/s of the engine (the ceiling)")
public class MatmulBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) {
		String threads = System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
		double small = measure(2048, 6);
		double large = measure(4096, 3);
		return List.of(new Measurement("fp32 matmul 2048^3", small, "FLOP/s", threads + " threads, cpu"),
			new Measurement("fp32 matmul 4096^3", large, "FLOP/s", threads + " threads, cpu"));
	}

	/** Best-of-{@code reps} FLOP/s of an n×n by n×n product, after one warm-up. */
	static double measure(int n, int reps) {
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
