package io.github.ctlatent.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.evaluate.Evaluation;
import io.github.ctlatent.evaluate.EvaluationReport;
import io.github.ctlatent.evaluate.FactorOracle;
import io.github.ctlatent.evaluate.SupervisedCeiling;
import io.github.ctlatent.evaluate.WalkReader;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Directions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Measures what each direction means with a factor oracle and writes the report folder (EVALUATION.md §3–5). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Evaluate Directions", headless = true,
	description = "Score directions with a factor oracle against random directions: heat-map, scores CSV, 3D-structure table, strips and a summary.")
public class EvaluateDirectionsCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE, or a TorchScript .pt with its .json sidecar")
	private File model;

	@Parameter(label = "Factor oracle", style = "directory", description = "a folder written by Train Factor Oracle (shipped: models/phantom-oracle)")
	private File oracle;

	@Parameter(label = "Report folder", style = "directory", description = "where summary.txt, scores.csv, structure3d.csv, heatmap.png and strips.png go")
	private File output;

	@Parameter(required = false, label = "Direction set", description = "a directions.json from Discover Directions (not needed for a baseline)")
	private File directions;

	@Parameter(required = false, choices = {"none", "random", "axes", "supervised"},
		description = "score a baseline instead: d random orthonormal directions, the coordinate axes, or the supervised ceiling (one linear direction per factor fitted to the oracle's readings: not a discovery method)")
	private String baseline = "none";

	@Parameter(required = false, style = "directory", description = "a slice set for the label-free 3D reading (nearest real slice by NCC); empty: skip it")
	private File reference;

	@Parameter(required = false, description = "replace an existing report folder (only one this command wrote)")
	private boolean overwrite;

	@Parameter(required = false, min = "1", description = "M: base codes per direction")
	private int bases = 8;

	@Parameter(required = false, min = "1", description = "S: walks have 2S+1 frames")
	private int steps = 4;

	@Parameter(required = false, description = "T: walks go from -T to +T")
	private double radius = 3;

	@Parameter(required = false, min = "1", description = "random orthonormal directions in the null (plus the axes)")
	private int random = 1000;

	@Parameter(required = false, min = "1", description = "random directions of the 3D chance level")
	private int random_3d = 200;

	@Parameter(required = false, min = "3", description = "frames of a 3D walk")
	private int frames_3d = 17;

	@Parameter(required = false, description = "seed of base codes and random directions")
	private long seed = 1;

	@Parameter(required = false, description = "auto, cpu, gpu or gpu:N")
	private String device = "auto";

	@Parameter(required = false)
	private UIService ui;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus heatmap;

	/** VAE base codes from real data: posterior means of n held-out reference slices spread over the set. */
	private float[][] posteriorMeans(SliceSet ref, int n, ai.djl.Device dev) {
		int[] test = ref.indices(SliceSet.Split.TEST);
		if (test.length == 0) test = ref.indices(SliceSet.Split.ALL);
		float[][] images = new float[Math.min(n, test.length)][];
		for (int i = 0; i < images.length; i++) images[i] = ref.slice(test[(int) ((long) (2 * i + 1) * test.length / (2L * images.length))]);
		try (io.github.ctlatent.model.VaeEncoder enc = io.github.ctlatent.model.VaeEncoder.load(model.toPath(), dev)) {
			return enc.encode(images);
		}
	}

	@Override
	protected void execute(Monitor monitor) {
		java.util.Map<String, java.nio.file.Path> inputs = new java.util.LinkedHashMap<>();
		inputs.put("model", model.toPath());
		inputs.put("oracle", oracle.toPath());
		if (directions != null) inputs.put("directions", directions.toPath());
		if (reference != null) inputs.put("reference", reference.toPath());
		io.github.ctlatent.core.Outputs.requireApart("output", output.toPath(), inputs);
		io.github.ctlatent.core.Outputs.requireFreeFolder("output", output.toPath(), overwrite, "evaluation report", EvaluationReport.SCORES);
		ai.djl.Device dev = Engines.device(device, monitor);
		Evaluation.Settings s = new Evaluation.Settings(bases, steps, radius, random, random_3d, frames_3d, 1024, seed);
		SliceSet ref = reference == null ? null : SliceSet.open(reference.toPath());
		try (Generator g = Models.load(model.toPath(), dev); FactorOracle o = FactorOracle.load(oracle.toPath(), dev)) {
			Directions dirs;
			String name;
			switch (baseline) {
				case "random" -> {
					dirs = Directions.of(WalkReader.randomOrthonormal(g.latentDim(), g.latentDim(), seed + 303));
					name = "random orthonormal directions on " + model.getName();
				}
				case "axes" -> {
					dirs = Directions.of(WalkReader.axes(g.latentDim()));
					name = "coordinate axes of " + model.getName();
				}
				case "supervised" -> {
					dirs = SupervisedCeiling.fit(g, o, SupervisedCeiling.CODES, seed + 404, monitor).nulledDirections();
					name = "supervised ceiling (linear fit to the oracle, nulled) on " + model.getName();
				}
				default -> {
					if (directions == null) throw new ExplorerException("Give directions=<directions.json> (or baseline=random / axes / supervised).");
					DirectionSet set = DirectionSet.load(directions.toPath());
					set.requireGenerator(g);
					dirs = Directions.of(set);
					name = set.method() + (set.deformator() == null ? "" : "/" + set.deformator().id()) + " directions of " + model.getName();
				}
			}
			ModelCard card = Files.isDirectory(model.toPath()) ? ModelCard.read(model.toPath()) : null;
			float[][] posterior = card != null && "vae".equals(card.kind) && ref != null ? posteriorMeans(ref, bases / 2, dev) : null;
			Evaluation.Result r = Evaluation.evaluate(g, dirs, name, o, ref, posterior, s, monitor);
			DatasetCard data = card == null ? null : card.dataset;
			Path folder = EvaluationReport.write(r, g, dirs, data, output.toPath(), monitor);
			summary = EvaluationReport.summary(r) + "Report -> " + folder + "\n";
			heatmap = new ImagePlus("direction x factor scores of " + model.getName(), EvaluationReport.heatmap(r));
			if (ui != null && !ui.isHeadless()) ResultsTable.open2(folder.resolve(EvaluationReport.SCORES).toString());
		}
	}
}
