package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.view.LatentExplorer;
import io.github.ctlatent.view.Ranking;
import io.github.ctlatent.view.ViewOptions;
import io.github.ctlatent.view.Views;
import org.scijava.plugin.Parameter;

import java.io.File;
import java.nio.file.Path;

/** Parameters shared by the Latent Explorer window and its macro twin 'Render Latent': model, directions, base, window. */
abstract class LatentCommand extends ExplorerCommand {

	@Parameter(required = false, label = "Model", description = "a run folder or TorchScript .pt; empty: the shipped GAN (models/phantom-gan)")
	protected File model;

	@Parameter(required = false, label = "Direction set", description = "a directions.json; empty: the model's SeFa directions, computed now")
	protected File directions;

	@Parameter(required = false, label = "Evaluation report", style = "directory", description = "a report folder of 'Evaluate Directions' for these directions: sliders named by their labels")
	protected File report;

	@Parameter(required = false, description = "seed of the base latent z ~ N(0, I)")
	protected long seed = 1;

	@Parameter(required = false, choices = {"lung", "mediastinum", "full"}, description = "display window")
	protected String window = "lung";

	@Parameter(required = false, description = Keys.DEVICE)
	protected String device = Keys.AUTO;

	protected Path modelPath() {
		return model == null || model.getPath().isEmpty() ? LatentExplorer.shippedModel() : model.toPath();
	}

	/** The explorer on the chosen model and directions, {@code n} sliders by {@code ranking}, base from the seed. */
	protected LatentExplorer explorer(Ranking ranking, int n, Monitor monitor) {
		Path d = directions == null || directions.getPath().isEmpty() ? null : directions.toPath();
		ViewOptions o = ViewOptions.options().report(report == null ? null : report.toPath()); // a bad report fails before the model loads
		return Views.explorer(modelPath(), d, ranking, n, seed, o, Engines.device(device, monitor), monitor);
	}
}
