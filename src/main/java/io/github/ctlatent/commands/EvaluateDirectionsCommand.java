package io.github.ctlatent.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.evaluate.Evaluation;
import io.github.ctlatent.evaluate.EvaluationReport;
import io.github.ctlatent.evaluate.Evaluations;
import io.github.ctlatent.evaluate.LabelFreeReport;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

import java.io.File;

/**
 * Measures what each direction means with a factor oracle and writes the report folder (EVALUATION.md §3–5);
 * without an oracle, ranks the directions label-free against the reference slices (docs/evaluation.md §7).
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Evaluate Directions", headless = true,
	description = "Score directions with a factor oracle against random directions: heat-map, scores CSV, 3D-structure table, strips and a summary. "
		+ "Without an oracle: a label-free ranking against real slices (effect, realism, scroll, redundancy, significance).")
public class EvaluateDirectionsCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE, or a TorchScript .pt with its .json sidecar")
	private File model;

	@Parameter(required = false, label = "Factor oracle", style = "directory",
		description = "a folder written by Train Factor Oracle (shipped: models/phantom-oracle); empty: rank the directions label-free against reference=")
	private File oracle;

	@Parameter(label = "Report folder", style = "directory", description = "where summary.txt, scores.csv, structure3d.csv, heatmap.png and strips.png go (without an oracle: summary.txt, ranking.csv, redundancy.csv, strips.png)")
	private File output;

	@Parameter(required = false, label = "Direction set", description = "a directions.json from Discover Directions (not needed for a baseline)")
	private File directions;

	@Parameter(required = false, choices = {"none", "random", "axes", "supervised"},
		description = "score a baseline instead: d random orthonormal directions, the coordinate axes, or the supervised ceiling (one linear direction per factor fitted to the oracle's readings: not a discovery method)")
	private String baseline = "none";

	@Parameter(required = false, style = "directory", description = "a slice set for the label-free 3D reading (nearest real slice by NCC); empty: skip it (required without an oracle)")
	private File reference;

	@Parameter(required = false, description = "replace an existing report folder (only one this command wrote)")
	private boolean overwrite;

	@Parameter(required = false, min = "1", description = "M: base codes per direction")
	private int bases = 8;

	@Parameter(required = false, min = "1", description = "S: walks have 2S+1 frames (with an oracle)")
	private int steps = 4;

	@Parameter(required = false, description = "T: walks go from -T to +T")
	private double radius = 3;

	@Parameter(required = false, min = "1", description = "random orthonormal directions in the null (plus the axes; with an oracle)")
	private int random = 1000;

	@Parameter(required = false, min = "1", description = "random directions of the 3D chance level (without an oracle: of the label-free null)")
	private int random_3d = 200;

	@Parameter(required = false, min = "3", description = "frames of a 3D walk (without an oracle: of every walk)")
	private int frames_3d = 17;

	@Parameter(required = false, description = "seed of base codes and random directions")
	private long seed = 1;

	@Parameter(required = false, description = "also walk the best 3D direction(s) along a curved path (path=curved; slow: latent size + 1 images a step)")
	private boolean curved_walks = false;

	@Parameter(required = false, description = Keys.DEVICE)
	private String device = Keys.AUTO;

	@Parameter(required = false)
	private UIService ui;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus heatmap;

	@Override
	protected void execute(Monitor monitor) {
		Evaluations.Written w = Evaluations.of(model.toPath(), oracle == null ? null : oracle.toPath()).directions(directions == null ? null : directions.toPath())
			.baseline(Evaluations.Baseline.parse(baseline)).reference(reference == null ? null : reference.toPath()).device(device).overwrite(overwrite)
			.settings(Evaluation.Settings.defaults().withBases(bases).withSteps(steps).withRadius(radius).withRandom(random)
				.withRandom3d(random_3d).withFrames3d(frames_3d).withSeed(seed).withCurvedWalks(curved_walks)).write(output.toPath(), monitor);
		summary = w.summary();
		if (w.result() == null) { // label-free: no factor heat-map
			if (ui != null && !ui.isHeadless()) ResultsTable.open2(w.folder().resolve(LabelFreeReport.RANKING).toString());
			return;
		}
		heatmap = new ImagePlus("direction x factor scores of " + model.getName(), EvaluationReport.heatmap(w.result()));
		if (ui != null && !ui.isHeadless()) ResultsTable.open2(w.folder().resolve(EvaluationReport.SCORES).toString());
	}
}
