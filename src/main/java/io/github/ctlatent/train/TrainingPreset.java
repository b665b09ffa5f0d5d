package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Augmentation;
import io.github.ctlatent.data.FewScanAugmentation;
import io.github.ctlatent.data.SliceAugmentation;
import io.github.ctlatent.model.Losses;

import java.util.Locale;

/**
 * The values a training run takes for every setting it was not given: "cpu" (64², narrow networks), "paper"
 * (128², the paper's widths) and "few_scans" (the cpu networks for one to a few volumes: a smaller latent,
 * batch 32, {@link FewScanAugmentation}, early stopping on the held-out error and the best held-out weights kept).
 * An explicit setting always wins over its preset's value; the model card records both the preset and the values
 * the run used. The few-scan values were chosen by measurement (docs/real-ct.md, "One scan or a few"): a KL weight
 * of 0.05 and stronger augmentation (±5°, ±8 % zoom, ±5 % intensity) fitted neither the training nor the held-out
 * slices of one phantom volume within 500 iterations, so the preset keeps the paper's 0.01 and a milder augmentation.
 *
 * @param paperNetworks the paper's widths (else the cpu ones)
 * @param augmentation  "paper", "few_scans" or "off"
 * @param patience      iterations without a better held-out error before the run stops (0: never)
 * @param keepBest      the run folder's weights are the best held-out evaluation's, not the last iteration's
 */
public record TrainingPreset(String name, boolean paperNetworks, int batchSize, int latentDim, double klWeight, String augmentation,
	long patience, boolean keepBest) {

	/** The paper's β ({@link Losses#VAE_BETA}) as the decimal it is written as, not its float's widening 0.00999999977. */
	private static final double PAPER_BETA = Double.parseDouble(Float.toString(Losses.VAE_BETA));

	public static final TrainingPreset CPU = new TrainingPreset("cpu", false, 64, 32, PAPER_BETA, "paper", 0, false);
	public static final TrainingPreset PAPER = new TrainingPreset("paper", true, 128, 32, PAPER_BETA, "paper", 0, false);
	public static final TrainingPreset FEW_SCANS = new TrainingPreset("few_scans", false, 32, 16, PAPER_BETA, "few_scans", 400, true);

	/** The preset called {@code name}, or one clear error listing the names. */
	public static TrainingPreset named(String name) {
		return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
			case "cpu" -> CPU;
			case "paper" -> PAPER;
			case "few_scans" -> FEW_SCANS;
			default -> throw new ExplorerException("Unknown preset '" + name + "'. Use cpu, paper or few_scans.");
		};
	}

	/** The batch source's augmentation called {@code name} ("paper", "few_scans" or "off": null). */
	public static SliceAugmentation augmentation(String name) {
		return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
			case "paper" -> Augmentation.paper();
			case "few_scans" -> FewScanAugmentation.defaults();
			case "off" -> null;
			default -> throw new ExplorerException("Unknown augmentation '" + name + "'. Use paper, few_scans or off.");
		};
	}
}
