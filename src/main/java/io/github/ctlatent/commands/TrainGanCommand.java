package io.github.ctlatent.commands;

import io.github.ctlatent.train.Training;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Trains the seed paper's DCGAN on a slice set (docs/method.md §2); wiring over {@link Training#gan}. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train>Train GAN", headless = true,
	description = "Train a DCGAN on a slice set: checkpoints, resume, metrics, loss curve and sample grids in the run folder.")
public class TrainGanCommand extends TrainingCommand {

	@Parameter(required = false, min = "0", max = "256", description = "generator width ngf (0: the preset's, 32 cpu / 128 paper)")
	private int ngf;

	@Parameter(required = false, min = "0", max = "256", description = "discriminator width ndf (0: the preset's)")
	private int ndf;

	@Override
	protected Training training() {
		return Training.gan(slices.toPath()).widths(ngf, ndf);
	}
}
