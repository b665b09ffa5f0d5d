package io.github.ctlatent.commands;

import ai.djl.Device;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.TrainingTask;
import io.github.ctlatent.train.VaeStep;
import io.github.ctlatent.train.VaeTask;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Trains the seed paper's ResNet VAE on a slice set (docs/method.md §3). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train>Train VAE", headless = true,
	description = "Train a ResNet VAE on a slice set: checkpoints, resume, metrics, held-out reconstruction error, sample grids.")
public class TrainVaeCommand extends TrainingCommand {

	@Parameter(required = false, min = "0", max = "512", description = "base width ch (0: the preset's, paper 64)")
	private int ch;

	@Parameter(required = false, min = "0", max = "1000", description = "weight β of the KL term in log(MSE) + β·KL (paper 0.01; smaller: sharper, less regular latent)")
	private double kl_weight = Losses.VAE_BETA;

	@Override
	protected String modelArgs() {
		return (ch > 0 ? " ch=" + ch : "") + ((float) kl_weight != Losses.VAE_BETA ? " kl_weight=" + kl_weight : "");
	}

	@Override
	protected TrainingTask task(int imageSize, Device dev) {
		VaeConfig c = (preset.equals("paper") ? VaeConfig.paper() : VaeConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(latent_dim);
		if (ch > 0) c = c.withCh(ch);
		return new VaeTask(c, dev, seed, learningRate(VaeStep.LEARNING_RATE), (float) kl_weight);
	}
}
