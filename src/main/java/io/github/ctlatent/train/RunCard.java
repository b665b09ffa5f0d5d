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
		card.training = new LinkedHashMap<>(Map.of("iterations", s.iterations(), "batch_size", s.batchSize(), "seed", s.seed(),
			"augmentation", s.augment() ? "paper: rotation ±1°, zoom 1.0–1.1, fill 0" : "off", "checkpoint_every", s.checkpointEvery(), "sample_every", s.sampleEvery()));
		card.training.put("lr_schedule", s.schedule().toString());
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

	/** Writes the final weights and the card with each metric's last value ({@code _final}) and the SWD improvement. */
	static void finish(Path run, TrainingTask task, ModelCard card, long iterations, List<Map<String, Double>> rows) {
		try {
			task.saveWeights(run);
		} catch (IOException e) {
			throw new ExplorerException("Could not write the final weights into " + run + ": " + e.getMessage(), e);
		}
		card.iterationsDone = iterations;
		card.created = Instant.now().toString();
		Map<String, Double> last = new LinkedHashMap<>();
		for (Map<String, Double> row : rows) row.forEach((k, v) -> { if (!k.equals("iteration")) last.put(k, v); });
		last.forEach((k, v) -> card.metrics.put(k + "_final", v));
		Double a = card.metrics.get("swd_initial"), b = card.metrics.get("swd_final");
		if (a != null && b != null && b > 0) card.metrics.put("swd_improvement", a / b);
		card.write(run);
	}
}
