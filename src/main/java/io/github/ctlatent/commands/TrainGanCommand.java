package io.github.ctlatent.commands;

import ai.djl.Device;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.train.GanStep;
import io.github.ctlatent.train.GanTask;
import io.github.ctlatent.train.TrainingTask;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Trains the seed paper's DCGAN on a slice set (docs/method.md §2). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train>Train GAN", headless = true,
	description = "Train a DCGAN on a slice set: checkpoints, resume, metrics, loss curve and sample grids in the run folder.")
public class TrainGanCommand extends TrainingCommand {

	@Parameter(required = false, min = "0", max = "1024", description = "generator width ngf (0: the preset's, 32 cpu / 128 paper)")
	private int ngf;

	@Parameter(required = false, min = "0", max = "1024", description = "discriminator width ndf (0: the preset's)")
	private int ndf;

	@Override
	protected String modelArgs() {
		return (ngf > 0 ? " ngf=" + ngf : "") + (ndf > 0 ? " ndf=" + ndf : "");
	}

	@Override
	protected TrainingTask task(int imageSize, Device dev) {
		DcganConfig c = (preset.equals("paper") ? DcganConfig.paper() : DcganConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(latent_dim);
		if (ngf > 0 || ndf > 0) c = c.withWidths(ngf > 0 ? ngf : c.ngf(), ndf > 0 ? ndf : c.ndf());
		return new GanTask(c, dev, seed, learningRate(GanStep.LEARNING_RATE));
	}
}
