package io.github.ctlatent.commands;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.evaluate.Evaluations;
import io.github.ctlatent.evaluate.LabelTable;
import io.github.ctlatent.evaluate.OracleTraining;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.nio.file.Path;

/** Trains the factor oracle that "Evaluate Directions" measures directions with (EVALUATION.md §2). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train Factor Oracle", headless = true,
	description = "Train a CNN that reads per-slice factors (phantom factors.csv or your own label CSV) from a slice set; held-out R² and MAE per factor.")
public class TrainFactorOracleCommand extends ExplorerCommand {

	@Parameter(label = "Slice set", style = "directory", description = "a folder made by Prepare Slice Set (with a test split: the oracle is judged on held-out patients)")
	private File slices;

	@Parameter(label = "Output folder", style = "directory", description = "the oracle's run folder (model.json, oracle.params)")
	private File output;

	@Parameter(required = false, description = "per-slice label CSV (index, or volume + slice, then one column per factor; obs_<factor> 0/1 optional); "
		+ "empty: the phantom's factors.csv inside the slice set")
	private File labels;

	@Parameter(required = false, min = "1", description = "training iterations")
	private int iterations = 2000;

	@Parameter(required = false, min = "2", description = "batch size")
	private int batch_size = 64;

	@Parameter(required = false, description = "Adam learning rate (×0.1 for the last fifth)")
	private double learning_rate = 1e-3;

	@Parameter(required = false, min = "1", description = "filters of the first convolution (doubled twice)")
	private int width = 16;

	@Parameter(required = false, description = "largest σ (pixels) of the blur each training slice gets, drawn uniformly; "
		+ "generated images are softer than real ones, and an oracle trained on sharp slices alone reads blur as factors. 0: none")
	private double blur = 2.0;

	@Parameter(required = false, description = "random seed")
	private long seed = 1;

	@Parameter(required = false, description = Keys.DEVICE)
	private String device = Keys.AUTO;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		SliceSet set = SliceSet.open(slices.toPath());
		Path csv = labels != null ? labels.toPath() : LabelTable.factorsOf(set);
		if (csv == null)
			throw new ExplorerException("The slice set " + slices + " carries no factors.csv (it was not made from the phantom): give labels=<your per-slice CSV>.");
		OracleTraining.Settings s = OracleTraining.Settings.defaults().withIterations(iterations).withBatchSize(batch_size).withLearningRate(learning_rate)
			.withWidth(width).withBlur(blur).withSeed(seed).withDevice(Engines.device(device, monitor));
		java.util.Map<String, java.nio.file.Path> inputs = new java.util.LinkedHashMap<>();
		inputs.put("slices", slices.toPath());
		inputs.put("labels", csv);
		OracleTraining.Result r = Evaluations.trainOracle(set, LabelTable.read(csv, set), s, output.toPath(), inputs, monitor);
		summary = r.summary() + " -> " + r.folder();
	}
}
