package io.github.ctlatent.commands;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.view.Pictures;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.nio.file.Files;
import java.util.Map;

/** Draws images from a trained or external generator: a stack in HU (when the model knows its data) and a PNG grid. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Generate Samples", headless = true,
	description = "Sample images from a model (run folder or TorchScript .pt) as an ImageJ stack and optionally a PNG grid.")
public class GenerateSamplesCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE, or a TorchScript .pt with its .json sidecar")
	private File model;

	@Parameter(required = false, min = "1", max = "100000", description = "number of images")
	private int count = 16;

	@Parameter(required = false, description = "seed of the latent codes z ~ N(0, I)")
	private long seed = 1;

	@Parameter(required = false, description = "also write the samples as a PNG grid here")
	private File png;

	@Parameter(required = false, description = "replace an existing PNG at png")
	private boolean overwrite;

	@Parameter(required = false, description = "auto, cpu, gpu or gpu:N")
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus samples;

	@Override
	protected void execute(Monitor monitor) {
		if (png != null) {
			Outputs.requireApart("png", png.toPath(), Map.of("model", model.toPath()));
			Outputs.requireFreeFile("png", png.toPath(), overwrite, "PNG", Outputs.PNG);
			AtomicFiles.cleanLeftovers(png.toPath().toAbsolutePath().getParent());
		}
		try (OutputLock lock = png == null ? null : lock(png, monitor); Generator g = Models.load(model.toPath(), Engines.device(device, monitor))) {
			int d = g.latentDim(), s = g.imageSize();
			Checks.requireMemory(count + " samples of " + s + "²", 3.0 * count * s * s * 4, "Ask for fewer samples (count=).");
			float[] z = new float[count * d];
			for (int i = 0; i < count; i++) System.arraycopy(Traversal.seedLatent(d, seed + i), 0, z, i * d, d);
			float[][] planes = g.images(z);
			Checks.requireFinite("The samples of " + model, planes);
			if (count > 1 && Checks.isConstant(planes))
				monitor.log("WARNING: all " + count + " samples are the same flat image: the model " + model + " generates nothing (untrained or collapsed).");
			if (png != null) Pictures.savePng(Pictures.grid(planes, s, (int) Math.ceil(Math.sqrt(count)), -1, 1), png.toPath());
			DatasetCard data = Files.isDirectory(model.toPath()) ? ModelCard.read(model.toPath()).dataset : null;
			ImageStack stack = new ImageStack(s, s);
			for (int i = 0; i < count; i++) {
				if (data != null) for (int k = 0; k < planes[i].length; k++) planes[i][k] = (float) data.preprocessing.toHounsfield(planes[i][k]);
				stack.addSlice("z seed " + (seed + i), new FloatProcessor(s, s, planes[i]));
			}
			samples = new ImagePlus("samples of " + model.getName(), stack);
			if (data != null) {
				samples.getCalibration().setValueUnit("HU");
				samples.getCalibration().pixelWidth = samples.getCalibration().pixelHeight = data.pixelSizeMm;
				samples.getCalibration().setUnit("mm");
				samples.setDisplayRange(-1000, 1000);
			}
			monitor.log("Generated " + count + " samples of " + s + "² from " + model);
		}
	}
}
