package io.github.ctlatent.traverse;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Project Slice to Latent" from files: a model, slices of a prepared slice set (or of an image) in; a latents file
 * that Traverse Directions reads with {@code latents=}, plus {@code projection.json} and {@code projection.csv} with
 * each slice's reconstruction error beside two baselines (the best of as many random codes, and the mean training
 * image) out. A VAE run folder's encoder gives one extra starting code.
 * <pre>
 * SliceProjections.of(model).slices(set, "test", "").output(folder).project(Projection.Settings.defaults(), monitor);
 * </pre>
 */
public final class SliceProjections {

	/** The card that marks an output folder as a projection of this tool. */
	public static final String CARD = "projection.json", LATENTS = "latents.txt", TABLE = "projection.csv";
	/** Slices of a set projected when neither indices nor a split are given: spread over its test split. */
	public static final int DEFAULT_SLICES = 8;

	/** One projected slice: where it came from, its result, and the mean-image baseline's MSE (NaN without one). */
	public record Row(String name, float[] target, Projection.Result result, double meanImageMse) {}

	/** All rows, the HU scale of an error (NaN in model units only), and a one-paragraph summary. */
	public record Report(List<Row> rows, double huPerUnit, String summary, double seconds) {}

	private final Path model;
	private Path sliceSet, output;
	private String indices = "", split = "", device = "auto";
	private boolean encoder = true, overwrite;
	private Path referenceSet;
	private ij.ImagePlus image;
	private String imageSlices = "";
	private final List<String> names = new ArrayList<>();
	private final List<float[]> images = new ArrayList<>();

	private SliceProjections(Path model) {
		this.model = model;
	}

	public static SliceProjections of(Path model) {
		return new SliceProjections(model);
	}

	/**
	 * Slices of a prepared set: 0-based {@code indices} (e.g. "3,17" or "0-4"), else a {@code split} (train, test, all;
	 * "auto" or empty: {@link #DEFAULT_SLICES} spread over the test split).
	 */
	public SliceProjections slices(Path set, String split, String indices) {
		sliceSet = set;
		this.split = split == null || split.equals("auto") ? "" : split;
		this.indices = indices == null ? "" : indices;
		return this;
	}

	/**
	 * Slices of an image (1-based numbers such as "10,40"; empty: its current slice), in HU or the scanner's values,
	 * preprocessed as the model's training data was (the model's dataset card, else the reference set's).
	 */
	public SliceProjections image(ij.ImagePlus imp, String numbers) {
		image = imp;
		imageSlices = numbers == null ? "" : numbers;
		return this;
	}

	/** A target already in model units at the model's size (scripts; the explorer's current slice). */
	public SliceProjections target(String name, float[] pixels) {
		names.add(name);
		images.add(pixels);
		return this;
	}

	/** The slice set whose training split gives the mean-image baseline, when the targets are not from a set. */
	public SliceProjections reference(Path set) {
		referenceSet = set;
		return this;
	}

	public SliceProjections output(Path folder, boolean overwrite) {
		output = folder;
		this.overwrite = overwrite;
		return this;
	}

	public SliceProjections device(String d) { device = d; return this; }

	/** Starts one code from the VAE encoder's posterior mean when the model folder has an encoder (default true). */
	public SliceProjections encoder(boolean use) { encoder = use; return this; }

	/** Loads, projects and (when an output is set) writes; the output is checked before any work. */
	public Report project(Projection.Settings s, Monitor monitor) {
		if (!Files.exists(model)) throw new ExplorerException("No model at " + model + ": give a run folder (with model.json) or a TorchScript .pt file.");
		if (output != null) {
			Outputs.requireApart("output", output, inputs());
			Outputs.requireFreeFolder("output", output, overwrite, "projection folder", CARD);
			AtomicFiles.cleanLeftovers(output.toAbsolutePath().getParent());
		}
		try (OutputLock lock = output == null ? null : OutputLock.acquire(output, "Project Slice to Latent", monitor);
			Generator g = Models.load(model, Engines.device(device, monitor), monitor)) {
			Path setPath = sliceSet != null ? sliceSet : referenceSet;
			SliceSet set = setPath == null ? null : SliceSet.open(setPath);
			if (image != null && sliceSet != null) throw new ExplorerException("Give the slices one way: slices= (a slice set) or image=, not both.");
			if (image != null) readImage(dataCard(set), g.imageSize());
			else if (set != null && images.isEmpty()) readSlices(set, g.imageSize());
			if (images.isEmpty()) throw new ExplorerException("Nothing to project: give slices= (a prepared slice set) or an image.");
			checkCount(images.size());
			float[][] targets = images.toArray(new float[0][]);
			long t0 = System.nanoTime();
			List<Projection.Result> results = Projection.project(g, targets, encoderStarts(targets, g, monitor), s, monitor);
			double seconds = (System.nanoTime() - t0) / 1e9;
			float[] mean = set == null ? null : meanTrainingImage(set, g.imageSize());
			List<Row> rows = new ArrayList<>();
			for (int i = 0; i < results.size(); i++)
				rows.add(new Row(names.get(i), targets[i], results.get(i), mean == null ? Double.NaN : Projection.mse(mean, targets[i])));
			DatasetCard data = dataCard(set);
			double huPerUnit = data == null ? Double.NaN : (data.preprocessing.huMax() - data.preprocessing.huMin()) / 2;
			Report r = new Report(rows, huPerUnit, ProjectionReport.summary(rows, huPerUnit, seconds), seconds);
			monitor.log(r.summary());
			if (output != null) ProjectionReport.write(output, r, g, s, inputs());
			return r;
		}
	}

	/** The input files by key (null: not given): kept apart from the output, and named in projection.json. */
	private Map<String, Path> inputs() {
		Map<String, Path> in = new LinkedHashMap<>();
		in.put("model", model);
		in.put("slices", sliceSet);
		in.put("reference", referenceSet);
		return in;
	}

	private void readSlices(SliceSet set, int size) {
		if (set.size() != size)
			throw new ExplorerException("The slice set " + sliceSet + " holds " + set.size() + "² slices; the model makes " + size + "² images. Prepare the "
				+ "slice set again with size=" + size + ".");
		long[] chosen = chosen(set);
		checkCount(chosen.length); // before reading them
		for (long i : chosen) {
			if (i < 0 || i >= set.count()) throw new ExplorerException("indices: slice " + i + " does not exist; the set has slices 0-" + (set.count() - 1) + ".");
			names.add(sliceSet.getFileName() + " slice " + i);
			images.add(set.slice((int) i));
		}
	}

	private void readImage(DatasetCard data, int size) {
		if (data == null)
			throw new ExplorerException("An image is projected after the preprocessing of the model's training data, and " + model + " has no dataset card: "
				+ "give reference=<the slice set it was trained on> (its window and size are used), or prepare the image as a slice set.");
		if (data.preprocessing.size() != size)
			throw new ExplorerException("The dataset card makes " + data.preprocessing.size() + "² slices; the model makes " + size + "² images. Give the slice set "
				+ "the model was trained on.");
		Bases.imagePlanes(image, imageSlices, data, "image_slices", names, images);
	}

	/** One latents file must stay readable by Traverse Directions' {@code latents=}. */
	private static void checkCount(int n) {
		io.github.ctlatent.core.Limits.checkCount("slices to project", n, (long) io.github.ctlatent.core.Limits.LATENT_LINES.max(),
			"Project them in several calls (indices=).");
	}

	private long[] chosen(SliceSet set) {
		if (!indices.isBlank()) {
			if (!split.isBlank()) throw new ExplorerException("Give the slices one way: indices= or split=, not both.");
			return Bases.numbers(indices, "indices");
		}
		SliceSet.Split sp;
		try {
			sp = split.isBlank() ? SliceSet.Split.TEST : SliceSet.Split.valueOf(split.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new ExplorerException("split=" + split + " is not train, test or all.");
		}
		int[] pool = set.indices(sp);
		if (pool.length == 0) throw new ExplorerException("The slice set " + sliceSet + " has no " + sp.name().toLowerCase(Locale.ROOT) + " slices; use split=all or indices=.");
		// a split names the slices to project; with none, a few spread over the held-out ones
		int n = split.isBlank() ? Math.min(DEFAULT_SLICES, pool.length) : pool.length;
		long[] idx = new long[n];
		for (int i = 0; i < n; i++) idx[i] = pool[(int) ((long) i * pool.length / n)];
		return idx;
	}

	private float[][] encoderStarts(float[][] targets, Generator g, Monitor monitor) {
		if (!encoder || !Files.isDirectory(model) || !"vae".equals(ModelCard.read(model).kind) || !Files.isRegularFile(model.resolve("encoder.params")))
			return null;
		try (VaeEncoder enc = VaeEncoder.load(model, g.device())) {
			monitor.log("One start per slice from the VAE encoder's posterior mean (" + model.resolve("encoder.params") + ").");
			return enc.encode(targets);
		}
	}

	/** The mean of the set's training slices (all slices when it has no training split): the baseline a model must beat. */
	public static float[] meanTrainingImage(SliceSet set, int size) {
		if (set.size() != size) return null;
		int[] idx = set.indices(SliceSet.Split.TRAIN);
		if (idx.length == 0) idx = set.indices(SliceSet.Split.ALL);
		double[] sum = new double[size * size];
		float[] s = new float[size * size];
		for (int i : idx) {
			set.read(i, s, 0);
			for (int p = 0; p < s.length; p++) sum[p] += s[p];
		}
		float[] mean = new float[sum.length];
		for (int p = 0; p < sum.length; p++) mean[p] = (float) (sum[p] / idx.length);
		return mean;
	}

	private DatasetCard dataCard(SliceSet set) {
		if (Files.isDirectory(model) && ModelCard.read(model).dataset != null) return ModelCard.read(model).dataset;
		return set == null ? null : set.card();
	}

}
