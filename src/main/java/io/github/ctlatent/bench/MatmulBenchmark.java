package io.github.ctlatent.bench;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.NumericsProbe;
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
		return NumericsProbe.matmulFlops(n, reps);
	}
}
