package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import io.github.ctlatent.traverse.Directions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one door of the evaluation stage. From files: a model, a factor oracle folder and a {@code directions.json}
 * (or a baseline) in, a report folder out ({@link EvaluationReport}); {@link #evaluate} does the same for objects in
 * memory, and {@link #trainOracle} trains the factor oracle the scores read.
 * <pre>
 * Evaluations.Written w = Evaluations.of(model, oracle).directions(directionsJson).reference(sliceSet)
 *     .settings(Evaluation.Settings.defaults().withRandom(200)).write(reportFolder, monitor);
 * </pre>
 * For a VAE with a reference slice set, half of the base codes are posterior means of held-out reference slices.
 * Without an oracle ({@code Evaluations.of(model)}) the directions are ranked label-free against the reference slice
 * set ({@link LabelFreeScores}, {@link LabelFreeReport}).
 */
public final class Evaluations {

	/** The scores (oracle: {@code result}; without: {@code labelFree}), the report folder and its printed summary. */
	public record Written(Evaluation.Result result, Path folder, String summary, LabelFreeScores.Result labelFree) {
		Written(Evaluation.Result result, Path folder, String summary) {
			this(result, folder, summary, null);
		}
	}

	/**
	 * Directions to score instead of a direction set: none, random (d random orthonormal directions), axes, or
	 * supervised (the ceiling: per factor the linear fit of the oracle's readings, {@link SupervisedCeiling}).
	 */
	public enum Baseline { NONE, RANDOM, AXES, SUPERVISED;

		public static Baseline parse(String s) {
			if (s == null || s.isBlank()) return NONE;
			for (Baseline b : values()) if (b.name().equalsIgnoreCase(s.trim())) return b;
			throw new ExplorerException("Unknown baseline '" + s + "'. Use none, random, axes or supervised.");
		}
	}

	private final Path model, oracle;
	private Path directions, reference;
	private Baseline baseline = Baseline.NONE;
	private Evaluation.Settings settings = Evaluation.Settings.defaults();
	private String device = "auto";
	private boolean overwrite;

	private Evaluations(Path model, Path oracle) {
		this.model = model;
		this.oracle = oracle;
	}

	/**
	 * Evaluation of directions of {@code model} (run folder or TorchScript .pt) read by the oracle in {@code oracle};
	 * a null oracle scores them label-free against {@link #reference} (then required).
	 */
	public static Evaluations of(Path model, Path oracle) {
		return new Evaluations(model, oracle);
	}

	/** Scores directions in memory under {@code name} ({@link Evaluation#evaluate}); {@code reference} (a slice set) may be null. */
	public static Evaluation.Result evaluate(Generator g, Directions directions, String name, FactorOracle oracle, SliceSet reference, Evaluation.Settings s,
		Monitor monitor) {
		return Evaluation.evaluate(g, directions, name, oracle, reference, s, monitor);
	}

	/**
	 * Trains a factor oracle on {@code set}'s slices and {@code labels} into {@code out} ({@link OracleTraining});
	 * {@code inputs} name the files it must not overwrite.
	 */
	public static OracleTraining.Result trainOracle(SliceSet set, LabelTable labels, OracleTraining.Settings s, Path out, Map<String, Path> inputs, Monitor monitor) {
		return OracleTraining.train(set, labels, s, out, inputs, monitor);
	}

	/** Label-free evaluation (no factor oracle): needs {@link #reference}. */
	public static Evaluations of(Path model) {
		return new Evaluations(model, null);
	}

	public Evaluations directions(Path directionsJson) { directions = directionsJson; return this; }

	public Evaluations baseline(Baseline b) { baseline = b; return this; }

	/** A slice set for the label-free 3D reading (nearest real slice by NCC), or null to skip it. */
	public Evaluations reference(Path sliceSet) { reference = sliceSet; return this; }

	public Evaluations settings(Evaluation.Settings s) { settings = s; return this; }

	/** auto, cpu, gpu or gpu:N. */
	public Evaluations device(String d) { device = d; return this; }

	/** Replace an existing report folder (only one this tool wrote). */
	public Evaluations overwrite(boolean b) { overwrite = b; return this; }

	/** Scores the directions and writes the report into {@code output}. */
	public Written write(Path output, Monitor monitor) {
		Map<String, Path> inputs = new LinkedHashMap<>();
		inputs.put("model", model);
		inputs.put("oracle", oracle);
		if (directions != null) inputs.put("directions", directions);
		if (reference != null) inputs.put("reference", reference);
		Outputs.requireApart("output", output, inputs);
		Outputs.requireFreeFolder("output", output, overwrite, "evaluation report", EvaluationReport.SCORES, LabelFreeReport.RANKING);
		if (oracle == null && reference == null)
			throw new ExplorerException("Without oracle= the directions are scored against real slices: give reference=<slice set> (e.g. the one the model was trained on).");
		if (oracle == null && baseline == Baseline.SUPERVISED) throw new ExplorerException("baseline=supervised is fitted to an oracle's readings: give oracle=.");
		// held while scoring and writing: a second evaluation of the same folder is refused, not silently swapped in
		try (OutputLock lock = OutputLock.acquire(output, "Evaluate Directions", monitor)) {
			AtomicFiles.cleanLeftovers(Outputs.resolve("output", output).getParent());
			return score(output, monitor);
		}
	}

	private Written score(Path output, Monitor monitor) {
		Device dev = Engines.device(device, monitor);
		SliceSet ref = reference == null ? null : SliceSet.open(reference).requireFinite();
		try (Generator g = Models.load(model, dev, monitor); FactorOracle o = oracle == null ? null : FactorOracle.load(oracle, dev)) {
			ModelCard card = Files.isDirectory(model) ? ModelCard.read(model) : null;
			String modelName = model.getFileName().toString() + weakSupervision(card);
			Directions dirs;
			String name;
			switch (baseline) {
				case RANDOM -> {
					dirs = Directions.of(WalkReader.randomOrthonormal(g.latentDim(), g.latentDim(), settings.seed() + 303));
					name = "random orthonormal directions on " + modelName;
				}
				case AXES -> {
					dirs = Directions.of(WalkReader.axes(g.latentDim()));
					name = "coordinate axes of " + modelName;
				}
				case SUPERVISED -> {
					dirs = SupervisedCeiling.fit(g, o, SupervisedCeiling.CODES, settings.seed() + 404, monitor).nulledDirections();
					name = "supervised ceiling (linear fit to the oracle, nulled) on " + modelName;
				}
				default -> {
					if (directions == null) throw new ExplorerException("Give directions=<directions.json> (or baseline=random / axes / supervised).");
					DirectionSet set = DirectionSet.load(directions);
					set.requireGenerator(g);
					dirs = Directions.of(set);
					name = set.method() + (set.deformator() == null ? "" : "/" + set.deformator().id()) + " directions of " + modelName;
				}
			}
			// a VAE with real slices: half the base codes are their posterior means, and with an oracle reading z the
			// decoder's reach is measured; one encoder serves both
			float[][] posterior = null;
			DecoderReach.Result reach = null;
			if (card != null && "vae".equals(card.kind) && ref != null) {
				try (VaeEncoder enc = VaeEncoder.load(model, dev)) {
					posterior = posteriorMeans(ref, settings.bases() / 2, enc);
					int z = o == null ? -1 : o.config().indexOf("z");
					if (z >= 0) {
						reach = DecoderReach.measure(ref, centredSpread(ref.indices(SliceSet.Split.ALL), DecoderReach.SLICES), enc, g, o, z);
						monitor.log(reach.describe("z").trim());
					}
				}
			}
			if (o == null) {
				LabelFreeScores.Result lf = LabelFreeScores.score(g, dirs, name, ref, posterior, settings, monitor);
				Path folder = LabelFreeReport.write(lf, g, dirs, card == null ? null : card.dataset, output, monitor);
				return new Written(null, folder, LabelFreeReport.summary(lf) + "Report -> " + folder + "\n", lf);
			}
			Evaluation.Result r = Evaluation.evaluate(g, dirs, name, o, ref, posterior, settings, monitor).withReach(reach);
			Path folder = EvaluationReport.write(r, g, dirs, card == null ? null : card.dataset, output, monitor);
			return new Written(r, folder, EvaluationReport.summary(r) + "Report -> " + folder + "\n");
		}
	}

	/** " (uses slice order…)" for a model trained with weak supervision (its card's mark), so every report names it; else "". */
	static String weakSupervision(ModelCard card) {
		Object mark = card == null ? null : card.training.get("weak_supervision");
		return mark == null || mark.toString().isBlank() ? "" : " (" + mark + ")";
	}

	/** VAE base codes from real data: posterior means of n held-out reference slices spread over the set. */
	private static float[][] posteriorMeans(SliceSet ref, int n, VaeEncoder enc) {
		int[] test = ref.indices(SliceSet.Split.TEST);
		if (test.length == 0) test = ref.indices(SliceSet.Split.ALL);
		int[] chosen = centredSpread(test, n);
		float[][] images = new float[chosen.length][];
		for (int i = 0; i < images.length; i++) images[i] = ref.slice(chosen[i]);
		return enc.encode(images);
	}

	/** At most {@code n} of {@code pool}, in order, each the middle one of n equal stretches of it. */
	static int[] centredSpread(int[] pool, int n) {
		int k = Math.min(n, pool.length);
		int[] out = new int[k];
		for (int i = 0; i < k; i++) out[i] = pool[(int) ((long) (2 * i + 1) * pool.length / (2L * k))];
		return out;
	}
}
