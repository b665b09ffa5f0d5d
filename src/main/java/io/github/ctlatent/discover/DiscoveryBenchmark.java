package io.github.ctlatent.discover;

import io.github.ctlatent.bench.Benchmark;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.List;

/**
 * Moved to {@link io.github.ctlatent.bench.DiscoveryBenchmark}; this forwarder only keeps {@code bench.CompareBenchmark}
 * (edited on another branch) compiling until its import names the bench class. Delete it then.
 */
@Deprecated
public final class DiscoveryBenchmark {

	private DiscoveryBenchmark() {}

	public static List<Benchmark.Measurement> measure(Generator g, double generatorFlopsPerImage, int batch, int directions, int steps, Monitor monitor) {
		return io.github.ctlatent.bench.DiscoveryBenchmark.measure(g, generatorFlopsPerImage, batch, directions, steps, monitor);
	}
}
