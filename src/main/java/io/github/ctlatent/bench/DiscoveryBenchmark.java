package io.github.ctlatent.bench;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.DeformatorType;
import io.github.ctlatent.discover.Disco;
import io.github.ctlatent.discover.DiscoverySettings;
import io.github.ctlatent.discover.Reconstructors;
import io.github.ctlatent.discover.VoynovBabenko;
import io.github.ctlatent.model.Generator;
import org.scijava.plugin.Plugin;

import java.util.List;

/**
 * Throughput of Voynov–Babenko training: LeNet reconstructor, batch 128, K = 32 proj directions (the paper's
 * "Unit" runs), on a stand-in generator of 64² images (the toy generator with 64 channels, ≈ 0.4 GFLOP per image;
 * the paper's DCGAN is ≈ 4.4 GFLOP per image at 128²). {@link #measure} runs the same loop on any generator.
 */
@Plugin(type = Benchmark.class, name = "discovery", description = "Voynov-Babenko (LeNet, batch 128, K=32) and DisCo (batch 16, K=8) training steps/s")
public class DiscoveryBenchmark implements Benchmark {

	/** The CPU default (the shipped 64² GAN, or the CPU preset with random weights) and the paper's 128² generator. */
	@Override
	public List<Measurement> run(Monitor monitor) {
		List<Measurement> out = new java.util.ArrayList<>();
		java.nio.file.Path shipped = java.nio.file.Path.of(System.getProperty("ctlatent.home", "."), "models", "phantom-gan");
		io.github.ctlatent.model.DcganConfig cpu = io.github.ctlatent.model.DcganConfig.cpuDefault(), paper = io.github.ctlatent.model.DcganConfig.paper();
		try (Generator g = java.nio.file.Files.isDirectory(shipped) ? io.github.ctlatent.model.Models.load(shipped, ai.djl.Device.cpu())
			: io.github.ctlatent.model.DcganGenerator.random(cpu, ai.djl.Device.cpu())) {
			out.addAll(measure(g, 2 * Flops.dcgan(cpu)[0], 128, 32, 3, monitor));
			out.addAll(measureDisco(g, 16, 8, 3, monitor));
		}
		if (Boolean.parseBoolean(System.getProperty("bench.paper", "true")))
			try (Generator g = io.github.ctlatent.model.DcganGenerator.random(paper, ai.djl.Device.cpu())) {
				out.addAll(measure(g, 2 * Flops.dcgan(paper)[0], 128, 32, 1, monitor));
			}
		return out;
	}

	/**
	 * Times {@code steps} training steps (after one warm-up step) and estimates the arithmetic throughput:
	 * per step, one generator forward of 2B latents ([z; z + shift] in one batch) and its backward to the input
	 * (≈ one forward: the frozen weights get no gradient), and the reconstructor's forward + backward (≈ 3
	 * forwards) on B pairs.
	 *
	 * @param generatorFlopsPerImage FLOPs of one generator forward (2 × multiply-adds)
	 */
	public static List<Measurement> measure(Generator g, double generatorFlopsPerImage, int batch, int directions, int steps, Monitor monitor) {
		double seconds;
		try (VoynovBabenko run = paperRun(g, batch, directions, monitor)) {
			seconds = secondsPerStep(run::trainStep, steps, monitor);
		}
		double flops = flopsPerStep(g, generatorFlopsPerImage, batch, directions);
		double rate = flops / seconds, ceiling = Benchmarks.matmulCeiling();
		String what = "LeNet B=" + batch + " K=" + directions + " on " + g.imageSize() + "² G";
		return List.of(new Measurement(what + " steps/s", 1 / seconds, "steps/s", String.format("%.2f s/step", seconds)),
			new Measurement(what + " images/s", 2 * batch / seconds, "img/s", "generated (pairs × 2)"),
			new Measurement(what + " FLOP/s (est.)", rate, "FLOP/s", String.format("%.0f%% of matmul ceiling %s", 100 * rate / ceiling,
				Benchmarks.human(ceiling))));
	}

	/** FLOPs of one Voynov–Babenko step of {@code batch} pairs: the generator's passes and the reconstructor's. */
	static double flopsPerStep(Generator g, double generatorFlopsPerImage, int batch, int directions) {
		return batch * (4 * generatorFlopsPerImage + 3 * 2 * Reconstructors.lenetMacs(directions, g.imageSize()));
	}

	/** A Voynov–Babenko run at the paper's settings with a proj deformator of {@code directions} and {@code batch} pairs per step. */
	static VoynovBabenko paperRun(Generator g, int batch, int directions, Monitor monitor) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(DeformatorType.PROJ).directions(directions).batchSize(batch).build();
		return new VoynovBabenko(g, s, DeformatorType.PROJ, directions, monitor);
	}

	/**
	 * Times {@code steps} DisCo training steps (after one warm-up step) at the settings of docs/results-evaluation.md:
	 * {@code batch} queries, as many positives and twice as many negatives, K = {@code directions} proj. Per step
	 * 2·(B + N + Q) images are generated, those of the queries and positives with a backward pass to the latent.
	 */
	public static List<Measurement> measureDisco(Generator g, int batch, int directions, int steps, Monitor monitor) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.DISCO).deformator(DeformatorType.PROJ)
			.directions(directions).batchSize(batch).learningRate(1e-3f).build();
		double seconds;
		int images;
		try (Disco run = new Disco(g, s, directions, monitor)) {
			images = run.imagesPerStep();
			seconds = secondsPerStep(run::trainStep, steps, monitor);
		}
		String what = "DisCo B=" + batch + " K=" + directions + " on " + g.imageSize() + "² G";
		return List.of(new Measurement(what + " steps/s", 1 / seconds, "steps/s", String.format("%.2f s/step", seconds)),
			new Measurement(what + " images/s", images / seconds, "img/s", "generated (" + images + " per step: queries, positives, negatives, each a pair)"));
	}

	/** Mean wall time of {@code steps} training steps after one warm-up step. */
	private static double secondsPerStep(Runnable step, int steps, Monitor monitor) {
		step.run();
		long t0 = System.nanoTime();
		for (int i = 0; i < steps; i++) {
			monitor.checkCanceled();
			step.run();
		}
		return (System.nanoTime() - t0) / 1e9 / steps;
	}
}
