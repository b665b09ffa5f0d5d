package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.model.Sampling;
import io.github.ctlatent.picture.Pictures;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
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

	@Parameter(required = false, description = Keys.DEVICE)
	private String device = Keys.AUTO;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus samples;

	@Override
	protected void execute(Monitor monitor) {
		if (png != null) {
			Outputs.requireApart("png", png.toPath(), Map.of("model", model.toPath()));
			Outputs.requireFreeFile("png", png.toPath(), overwrite, "PNG", Outputs.PNG);
			AtomicFiles.cleanLeftovers(png.toPath().toAbsolutePath().getParent());
		}
		try (OutputLock lock = png == null ? null : lock(png, monitor)) {
			Sampling.Samples drawn = Sampling.of(model.toPath()).count(count).seed(seed).device(device).sample(monitor);
			samples = Pictures.stack("samples of " + model.getName(), drawn);
			// the picture last, and stoppable while it is tiled and encoded (seconds for thousands of samples): a cancel
			// leaves no PNG at all, never a complete one written after it
			if (png != null)
				Pictures.savePng(Pictures.grid(drawn.modelUnits(), drawn.size(), (int) Math.ceil(Math.sqrt(count)), -1, 1, monitor), png.toPath(), monitor);
		}
	}
}
