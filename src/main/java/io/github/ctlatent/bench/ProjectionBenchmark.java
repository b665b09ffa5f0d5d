package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Projection;
import io.github.ctlatent.traverse.ProjectionReport;
import io.github.ctlatent.traverse.SliceProjections;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Project Slice to Latent on held-out slices with the shipped GAN: pixel MSE of the projection against the best of as
 * many random codes, the best of 256, and the mean training image; seconds per slice; and the codes' ‖z‖²/d with and
 * without the prior term. The slice set is the shipped GAN's data, prepared as in the README at 64²
 * ({@code -Dctlatent.bench.slices=<folder>}, default {@code data/slices64}); 16 slices spread over its test split.
 */
@Plugin(type = Benchmark.class, name = "projection", description = "Project Slice to Latent on 16 held-out slices with the shipped GAN: MSE vs random codes and the mean image, time per slice")
public class ProjectionBenchmark implements Benchmark {

	static final int SLICES = 16, MANY_RANDOM = 256;

	@Override
	public List<Measurement> run(Monitor monitor) {
		Path home = Path.of(System.getProperty("ctlatent.home", "."));
		Path setPath = Path.of(System.getProperty("ctlatent.bench.slices", home.resolve("data/slices64").toString()));
		if (!Files.isDirectory(setPath))
			throw new ExplorerException("The projection benchmark needs the shipped GAN's slice set at " + setPath + ": make it as in the README (Generate Thorax "
				+ "Phantom count=60 size=128 slices=64, Prepare Slice Set size=64 test_fraction=0.1) or give -Dctlatent.bench.slices=<folder>.");
		SliceSet set = SliceSet.open(setPath);
		int[] test = set.indices(SliceSet.Split.TEST);
		float[][] targets = new float[SLICES][];
		for (int i = 0; i < SLICES; i++) targets[i] = set.slice(test[(int) ((long) i * test.length / SLICES)]);
		float[] mean = SliceProjections.meanTrainingImage(set, set.size());
		List<Measurement> out = new ArrayList<>();
		try (Generator g = Models.load(home.resolve("models/phantom-gan"), Device.cpu())) {
			Projection.Settings def = Projection.Settings.defaults();
			out.addAll(measure(g, targets, def, "defaults", monitor));
			out.addAll(measure(g, targets, new Projection.Settings(def.steps(), def.learningRate(), def.restarts(), 0, def.seed(), 0), "prior_weight=0", monitor));
			double[] many = new double[SLICES], meanImage = new double[SLICES];
			for (int i = 0; i < SLICES; i++) {
				many[i] = Projection.bestMse(g, Projection.randomCodes(g.latentDim(), MANY_RANDOM, 1000 + i), targets[i]);
				meanImage[i] = Projection.mse(mean, targets[i]);
			}
			out.add(new Measurement("best of " + MANY_RANDOM + " random codes: MSE", avg(many), "", "sd " + sd(many)));
			out.add(new Measurement("mean training image: MSE", avg(meanImage), "", "sd " + sd(meanImage)));
		}
		return out;
	}

	private static List<Measurement> measure(Generator g, float[][] targets, Projection.Settings s, String name, Monitor monitor) {
		long t0 = System.nanoTime();
		List<Projection.Result> r = Projection.project(g, targets, null, s, monitor);
		double seconds = (System.nanoTime() - t0) / 1e9;
		double[] mse = new double[r.size()], random = new double[r.size()], norm = new double[r.size()];
		for (int i = 0; i < r.size(); i++) {
			mse[i] = r.get(i).mse();
			random[i] = r.get(i).randomMse();
			for (float v : r.get(i).z()) norm[i] += v * v / g.latentDim();
		}
		return List.of(new Measurement("projection (" + name + "): MSE", avg(mse), "", "sd " + sd(mse)),
			new Measurement("projection (" + name + "): |z|^2/d", avg(norm), "", "sd " + sd(norm) + " (N(0, I): 1)"),
			new Measurement("projection (" + name + "): time per slice", seconds / targets.length, "s", ""),
			new Measurement("best of " + s.restarts() + " random codes (" + name + "): MSE", avg(random), "", "sd " + sd(random)));
	}

	private static double avg(double[] v) {
		return ProjectionReport.mean(v);
	}

	private static String sd(double[] v) {
		return String.format(Locale.ROOT, "%.4f", ProjectionReport.sampleSd(v));
	}
}
