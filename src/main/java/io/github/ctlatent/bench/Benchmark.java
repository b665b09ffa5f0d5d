package io.github.ctlatent.bench;

import io.github.ctlatent.core.Monitor;
import org.scijava.plugin.SciJavaPlugin;

import java.util.List;

/**
 * A named throughput measurement of a heavy operation. Implementations are SciJava plugins
 * ({@code @Plugin(type = Benchmark.class, name = "…", description = "…")}) so that a new entry needs no list
 * to be edited; run them with {@code bin/latent-explorer bench [name …]}.
 */
public interface Benchmark extends SciJavaPlugin {

	/** Runs the measurement (including its own warm-up) and returns the figures to print. */
	List<Measurement> run(Monitor monitor) throws Exception;

	/** One printed figure, e.g. ("fp32 matmul 4096³", 1.5e11, "FLOP/s", "2 threads"). */
	record Measurement(String what, double value, String unit, String note) {
		public Measurement(String what, double value, String unit) {
			this(what, value, unit, "");
		}

		public String format() {
			return String.format("%-44s %14s %-10s %s", what, Benchmarks.human(value), unit, note).stripTrailing();
		}
	}
}
