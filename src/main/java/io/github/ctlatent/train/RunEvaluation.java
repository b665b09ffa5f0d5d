package io.github.ctlatent.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.picture.Pictures;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * What a {@link TrainingLoop} draws and measures at its evaluation points: sample grids from fixed latents (the
 * same 64 across a run and its resumes), the sample-quality figures on a fixed held-out sample, and a VAE's
 * reconstruction pictures. All of it is derived from the run's seed.
 */
final class RunEvaluation {

	private static final int SAMPLES = 64, QUALITY_IMAGES = 256, RECONSTRUCTIONS = 8;

	private final TrainingTask task;
	private final SliceSet data;
	private final long seed;
	private final Path run;
	private final Monitor monitor;
	private final float[] fixedLatents;
	private float[][] heldOut;

	RunEvaluation(TrainingTask task, SliceSet data, long seed, Path run, Monitor monitor) {
		this.task = task;
		this.data = data;
		this.seed = seed;
		this.run = run;
		this.monitor = monitor;
		Random r = new Random(seed ^ 0x5eed5eedL);
		fixedLatents = new float[SAMPLES * task.latentDim()];
		for (int i = 0; i < fixedLatents.length; i++) fixedLatents[i] = (float) r.nextGaussian();
	}

	/**
	 * Draws the fixed latents' sample grid ({@code samples.png} and {@code samples/iter_N.png}) and measures the
	 * current generator: sliced Wasserstein distance to held-out slices, spread of samples and of real slices, and
	 * the task's own held-out figures.
	 */
	Map<String, Double> figures(long it) {
		try (Generator g = task.snapshot()) {
			return figures(it, g);
		}
	}

	private Map<String, Double> figures(long it, Generator g) {
		int size = g.imageSize(), d = g.latentDim();
		float[][] samples = g.images(fixedLatents);
		Pictures.savePng(Pictures.grid(samples, size, 8, -1, 1), run.resolve("samples.png"));
		Pictures.savePng(Pictures.grid(samples, size, 8, -1, 1), run.resolve("samples").resolve(String.format("iter_%07d.png", it)));
		float[][] real = heldOut();
		Random r = new Random(seed + 17);
		float[] z = new float[real.length * d];
		for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
		double swd = SlicedWasserstein.distance(real, g.images(z), size, seed);
		Map<String, Double> figures = new LinkedHashMap<>();
		figures.put("swd", swd);
		figures.put("sample_std", spread(samples));
		figures.put("real_std", spread(real));
		try (NDManager m = NDManager.newBaseManager(g.device())) {
			float[] flat = new float[real.length * size * size];
			for (int i = 0; i < real.length; i++) System.arraycopy(real[i], 0, flat, i * size * size, size * size);
			figures.putAll(task.evaluate(m, m.create(flat, new Shape(real.length, 1, size, size))));
		}
		// what "learning the average training slice" scores on the held-out slices (the health check's mean-image bar:
		// the held-out set's own mean image is unbeatable when the test set is one slab of adjacent slices)
		if (figures.containsKey("heldout_mse")) figures.put("train_mean_mse", trainMeanError(real));
		return figures;
	}

	/** Mean squared error of the training split's mean image (up to 256 slices) on {@code images}. */
	private double trainMeanError(float[][] images) {
		int[] idx = data.indices(SliceSet.Split.TRAIN);
		int n = Math.min(QUALITY_IMAGES, idx.length), p = images[0].length;
		double[] mean = new double[p];
		for (int i = 0; i < n; i++) {
			float[] x = data.slice(idx[(int) ((long) i * idx.length / n)]);
			for (int j = 0; j < p; j++) mean[j] += x[j] / (double) n;
		}
		double sum = 0;
		for (float[] x : images) for (int j = 0; j < p; j++) sum += (x[j] - mean[j]) * (x[j] - mean[j]);
		return sum / ((double) images.length * p);
	}

	/** Mean over pixels of the standard deviation across images: how much a set of images differ from each other. */
	static double spread(float[][] images) {
		int n = images.length, p = images[0].length;
		double sum = 0;
		for (int i = 0; i < p; i++) {
			double m = 0, q = 0;
			for (float[] im : images) m += im[i];
			m /= n;
			for (float[] im : images) q += (im[i] - m) * (im[i] - m);
			sum += Math.sqrt(q / n);
		}
		return sum / p;
	}

	/** A fixed held-out sample (test split; the training split when there is no test volume). */
	private float[][] heldOut() {
		if (heldOut == null) {
			int[] idx = data.indices(SliceSet.Split.TEST);
			if (idx.length == 0) {
				idx = data.indices(SliceSet.Split.TRAIN);
				monitor.log("WARNING: the slice set has no test slices, so the held-out figures below are measured on training slices. "
					+ (data.card().splitNote == null ? "" : data.card().splitNote));
			}
			heldOut = data.spread(idx, QUALITY_IMAGES);
		}
		return heldOut;
	}

	/**
	 * {@code reconstructions.png} (and {@code reconstructions/iter_N.png}) for models that reconstruct (the VAE):
	 * eight held-out slices in three rows, input / reconstruction / |error| (black 0, white ≥ 1 model unit, i.e.
	 * half the window).
	 */
	void saveReconstructions(long it) {
		float[][] held = heldOut();
		float[][] in = Arrays.copyOf(held, Math.min(RECONSTRUCTIONS, held.length));
		float[][] out;
		try (NDManager m = NDManager.newBaseManager(task.device())) {
			out = task.reconstruct(m, in);
		}
		if (out == null) return;
		int n = in.length;
		float[][] rows = new float[3 * n][];
		for (int i = 0; i < n; i++) {
			rows[i] = in[i];
			rows[n + i] = out[i];
			rows[2 * n + i] = new float[in[i].length];
			for (int p = 0; p < in[i].length; p++) rows[2 * n + i][p] = 2 * Math.abs(in[i][p] - out[i][p]) - 1;
		}
		var grid = Pictures.grid(rows, task.imageSize(), n, -1, 1);
		Pictures.savePng(grid, run.resolve("reconstructions.png"));
		Pictures.savePng(grid, run.resolve("reconstructions").resolve(String.format("iter_%07d.png", it)));
	}
}
