package io.github.ctlatent.bench;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.scijava.Context;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds and runs {@link Benchmark} plugins; the entry point of {@code latent-explorer bench}. */
public final class Benchmarks {

	private static volatile Double matmulCeiling;

	private Benchmarks() {}

	public static List<PluginInfo<Benchmark>> all(Context context) {
		List<PluginInfo<Benchmark>> list = new ArrayList<>(context.service(PluginService.class).getPluginsOfType(Benchmark.class));
		list.sort(Comparator.comparing(PluginInfo::getName));
		return list;
	}

	/** Runs the named benchmarks (all when {@code names} is empty), printing each figure as it comes. */
	public static void run(Context context, List<String> names, PrintStream out, Monitor monitor) throws Exception {
		List<PluginInfo<Benchmark>> all = all(context);
		List<PluginInfo<Benchmark>> chosen = new ArrayList<>();
		for (String n : names) {
			PluginInfo<Benchmark> p = all.stream().filter(i -> i.getName().equalsIgnoreCase(n)).findFirst()
				.orElseThrow(() -> new ExplorerException("Unknown benchmark '" + n + "'. Known: " + list(all) + "."));
			chosen.add(p);
		}
		if (chosen.isEmpty()) chosen = all;
		out.println("machine: " + machine());
		for (PluginInfo<Benchmark> p : chosen) {
			out.println("== " + p.getName() + ": " + p.getDescription());
			Benchmark b = context.service(PluginService.class).createInstance(p);
			for (Benchmark.Measurement m : b.run(monitor)) out.println("   " + m.format());
		}
	}

	public static String list(List<PluginInfo<Benchmark>> all) {
		return String.join(", ", all.stream().map(PluginInfo::getName).toList());
	}

	/** One line describing the machine the figures came from (quoted with every figure in the README). */
	public static String machine() {
		String cpu = "unknown CPU";
		try {
			for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")))
				if (l.startsWith("model name")) {
					cpu = l.substring(l.indexOf(':') + 1).trim();
					break;
				}
		} catch (Exception ignored) {
			// not Linux: the core count below still identifies the size of the machine
		}
		return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
	}

	/**
	 * The engine's fp32 matmul throughput (FLOP/s) on this machine, measured once per JVM: the ceiling other
	 * benchmarks are compared against.
	 */
	public static double matmulCeiling() {
		if (matmulCeiling == null) matmulCeiling = MatmulBenchmark.measure(2048, 6);
		return matmulCeiling;
	}

	/**
	 * The layer shapes a per-layer benchmark times, as {@code -Dbench.layers} names them: {@code cpu-gan},
	 * {@code vae}, {@code cpu-vae} (the CPU-preset VAE, batch 64), or anything else (default {@code paper}) for
	 * the paper GAN's.
	 */
	static int[][] layerSet(int[][] paper, int[][] cpuGan, int[][] vae, int[][] cpuVae) {
		return switch (System.getProperty("bench.layers", "paper")) {
			case "cpu-gan" -> cpuGan;
			case "vae" -> vae;
			case "cpu-vae" -> cpuVae;
			default -> paper;
		};
	}

	/** 1.23 G style formatting. */
	public static String human(double v) {
		double a = Math.abs(v);
		if (a >= 1e12) return String.format("%.3g T", v / 1e12);
		if (a >= 1e9) return String.format("%.3g G", v / 1e9);
		if (a >= 1e6) return String.format("%.3g M", v / 1e6);
		if (a >= 1e4) return String.format("%.3g k", v / 1e3);
		return String.format("%.4g", v);
	}
}
