package io.github.ctlatent.train;

import ai.djl.engine.Engine;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.model.ModelCard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's {@link ModelCard}: what a run records about itself at the start (settings, data, software, numerics, the
 * macro call that repeats it) and at the end (final weights, final figures), so the run folder explains itself.
 */
final class RunCard {

	private RunCard() {}

	/** The card at the start of a run (a resumed run keeps its card's earlier figures). */
	static ModelCard start(Path run, TrainingTask task, SliceSet data, TrainingLoop.Settings s, String commandLine, String device) {
		ModelCard card = Files.isRegularFile(run.resolve(ModelCard.FILE)) ? ModelCard.read(run) : new ModelCard();
		card.kind = task.kind();
		card.architecture = new LinkedHashMap<>(task.settings());
		card.training = new LinkedHashMap<>();
		card.training.put("preset", s.preset());
		card.training.put("iterations", s.iterations());
		card.training.put("batch_size", s.batchSize());
		card.training.put("latent_dim", task.latentDim());
		card.training.put("seed", s.seed());
		card.training.put("augmentation", s.augmentation() == null ? "off" : s.augmentation().describe());
		if (s.pairs().paired()) { // only on paired runs: the cards of every other run stay as they were
			card.training.put("pairs", s.pairs().mode().key);
			if (s.pairs().maxGap() > 1) card.training.put("pair_gap", s.pairs().maxGap());
			if (!s.pairs().allChanges()) card.training.put("geometry_changes", io.github.ctlatent.data.SlicePairs.Change.keys(s.pairs().changes()));
			card.training.put("pairs_detail", s.pairs().describe());
			card.training.put("weak_supervision", s.pairs().marks());
		}
		card.training.put("checkpoint_every", s.checkpointEvery());
		card.training.put("sample_every", s.sampleEvery());
		card.training.put("lr_schedule", s.schedule().toString());
		card.training.put("patience", s.patience());
		card.training.put("keep", s.keepBest() ? "best" : "final");
		card.commandLine = commandLine;
		card.device = device;
		card.dataset = data.card();
		card.software.put("java", System.getProperty("java.version"));
		card.software.put("djl", Engine.getDjlVersion());
		card.software.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
		card.software.put("ct-latent-explorer", String.valueOf(TrainingLoop.class.getPackage().getImplementationVersion()));
		card.numerics = Numerics.ensure().record();
		return card;
	}

	/**
	 * Writes the run folder's weights (the last iteration's, or with {@code keeper} the best held-out evaluation's)
	 * and the card with each metric's last value ({@code _final}), the best held-out error ({@code heldout_mse_best}
	 * and its iteration) and the SWD improvement; returns which weights the folder holds, in words (also in the card).
	 *
	 * @param best   the best held-out evaluation, or null when there was none
	 * @param keeper the best checkpoint to copy the weights from, or null to keep the last iteration's
	 */
	static String finish(Path run, TrainingTask task, ModelCard card, long iterations, List<Map<String, Double>> rows, BestCheckpoint.State best,
		BestCheckpoint keeper) {
		boolean keepBest = keeper != null && best != null;
		try {
			if (keepBest) keeper.copyWeightsTo(run);
			else task.saveWeights(run);
		} catch (IOException e) {
			throw new ExplorerException("Could not write the final weights into " + run + ": " + e.getMessage(), e);
		}
		card.keptWeights = keepBest
			? String.format(Locale.ROOT, "best held-out: iteration %d (held-out MSE %.4g), copied from %s; the last iteration's (%d) are in %s",
				best.iteration(), best.heldoutMse(), BestCheckpoint.FOLDER + "/", iterations, Checkpoints.FOLDER + "/")
			: String.format(Locale.ROOT, "last iteration: %d%s", iterations, best == null ? ""
				: String.format(Locale.ROOT, "; the best held-out ones (iteration %d) are in %s", best.iteration(), BestCheckpoint.FOLDER + "/"));
		card.keptWeightsIteration = keepBest ? best.iteration() : iterations;
		if (best != null) {
			card.metrics.put("heldout_mse_best", best.heldoutMse());
			card.metrics.put("heldout_mse_best_iteration", (double) best.iteration());
		}
		card.iterationsDone = iterations;
		card.created = Instant.now().toString();
		Map<String, Double> last = new LinkedHashMap<>();
		for (Map<String, Double> row : rows) row.forEach((k, v) -> { if (!k.equals("iteration")) last.put(k, v); });
		last.forEach((k, v) -> card.metrics.put(k + "_final", v));
		Double a = card.metrics.get("swd_initial"), b = card.metrics.get("swd_final");
		if (a != null && b != null && b > 0) card.metrics.put("swd_improvement", a / b);
		card.write(run);
		return card.keptWeights;
	}
}
