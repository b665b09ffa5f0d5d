package io.github.ctlatent.model;

import io.github.ctlatent.core.Json;
import io.github.ctlatent.data.DatasetCard;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.json} in a run folder: what was trained, how, on what, with which software, and how well. A run
 * folder is self-describing: architecture and weights together load a generator by path alone.
 */
public final class ModelCard {

	public static final String FILE = "model.json";
	public static final int FORMAT_VERSION = 1;

	public int formatVersion = FORMAT_VERSION;
	/** "dcgan" or "vae". */
	public String kind;
	public String created;
	/** Architecture and optimizer hyper-parameters (the model's config). */
	public Map<String, Object> architecture = new LinkedHashMap<>();
	/** Loop settings: iterations, batch, seed, augmentation, checkpoint cadence. */
	public Map<String, Object> training = new LinkedHashMap<>();
	public long iterationsDone;
	public String device;
	public String commandLine;
	public DatasetCard dataset;
	/** Final and summary figures (losses, sliced Wasserstein distance before/after, held-out errors). */
	public Map<String, Double> metrics = new LinkedHashMap<>();
	/**
	 * Which weights the run folder holds, in words: the last iteration's, or the best held-out evaluation's
	 * (train.BestCheckpoint, {@code keep=best}) with where the others are; null for runs of older versions (the last).
	 */
	public String keptWeights;
	/** The iteration whose weights the run folder holds (0 for older runs: see {@link #iterationsDone}). */
	public long keptWeightsIteration;
	/** Training-health problems (train.TrainingHealth) by key: when each appeared, its latest figures, whether it has gone, what to try; empty when healthy. */
	public Map<String, String> health = new LinkedHashMap<>();
	/** java, DJL, engine versions. */
	public Map<String, String> software = new LinkedHashMap<>();
	/** The CPU arithmetic the model was trained with: configuration, self-check verdict, CPU, why (engine.Numerics). */
	public Map<String, Object> numerics;

	public static ModelCard read(Path runFolder) {
		return Json.read(runFolder.resolve(FILE), ModelCard.class);
	}

	public void write(Path runFolder) {
		Json.write(runFolder.resolve(FILE), this);
	}
}
