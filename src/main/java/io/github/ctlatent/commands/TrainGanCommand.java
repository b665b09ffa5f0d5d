package io.github.ctlatent.commands;

import io.github.ctlatent.train.Training;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** Trains the seed paper's DCGAN on a slice set (docs/method.md §2); wiring over {@link Training#gan}. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train>Train GAN", headless = true,
	description = "Train a DCGAN on a slice set: checkpoints, resume, metrics, loss curve and sample grids in the run folder.")
public class TrainGanCommand extends TrainingCommand {

	@Parameter(required = false, min = "0", max = "256", description = "generator width ngf (0: the preset's, 32 cpu / 128 paper)")
	private int ngf;

	@Parameter(required = false, min = "0", max = "256", description = "discriminator width ndf (0: the preset's)")
	private int ndf;

	@Parameter(required = false, choices = {"none", "hessian", "orojar"}, description = "latent regulariser on the generator: none (the paper's), "
		+ "hessian (Hessian penalty, Peebles et al. 2020) or orojar (orthogonal Jacobian, Wei et al. 2021), by finite differences")
	private String regulariser = "none";

	@Parameter(required = false, min = "0", max = "1000000", description = "weight of the regulariser's penalty in the generator's loss")
	private double regulariser_weight;

	@Parameter(required = false, min = "1", description = "apply the regulariser every N iterations, with its weight times N (lazy regularisation)")
	private int regulariser_every = 1;

	@Parameter(required = false, min = "0", max = "10000", description = "known warp axes: latent axes 1-4 learn to rotate, shift vertically, scale across "
		+ "and scale up-down the generated image (the pull's weight; 0: off, the paper's). No labels: the warps are image operations")
	private double warp_weight;

	@Parameter(required = false, style = "directory", description = "a trained GAN's run folder to start from (fine-tuning; its architecture is kept); empty: from scratch")
	private File init;

	@Parameter(required = false, style = "directory", description = "a trained VAE's run folder whose encoder teaches the generator's latent axes "
		+ "(ID-GAN: axis d must draw what the VAE reads on its dimension d); empty: none, the paper's")
	private File teacher;

	@Parameter(required = false, min = "0", max = "1000", description = "weight of the teacher's term in the generator's loss")
	private double teacher_weight = 1;

	@Parameter(required = false, choices = {"data", "teacher"}, description = "what GAN code 1 on a taught axis stands for: data (one spread of the "
		+ "teacher's codes over real slices) or teacher (the teacher's own units, at most one spread: GAN walks then walk what the teacher's do)")
	private String teacher_units = "data";

	@Override
	protected Training training() {
		return Training.gan(slices.toPath()).widths(ngf, ndf).regulariser(regulariser, regulariser_weight, regulariser_every)
			.warpWeight(warp_weight)
			.init(init == null || init.getPath().isEmpty() ? null : init.toPath())
			.teacher(teacher == null || teacher.getPath().isEmpty() ? null : teacher.toPath()).teacherWeight(teacher_weight).teacherUnits(teacher_units);
	}
}
