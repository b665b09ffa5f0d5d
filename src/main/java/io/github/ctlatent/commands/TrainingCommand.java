package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.train.Training;
import io.github.ctlatent.train.TrainingHealth;
import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;

import java.io.File;

/** The parameters that "Train GAN" and "Train VAE" share, as wiring over {@link Training}; subclasses add their model's own options. */
abstract class TrainingCommand extends ExplorerCommand {

	@Parameter(label = "Slice set", style = "directory", description = "a folder made by 'Prepare Slice Set'")
	protected File slices;

	@Parameter(label = "Run folder", style = "directory", description = "where weights, checkpoints, metrics and pictures go")
	protected File output;

	@Parameter(required = false, choices = {"cpu", "paper", "few_scans"}, description = "preset: cpu (64², narrow), paper (128², docs/method.md) or, "
		+ "for the VAE, few_scans (one to a few volumes: smaller latent, batch 32, augmentation along the body, early stopping, best held-out "
		+ "weights kept); explicit keys win over it")
	protected String preset = "cpu";

	@Parameter(required = false, min = "1", max = "10000000", description = "training iterations (batches)")
	protected int iterations = 2000;

	@Parameter(required = false, min = "0", max = "4096", description = "batch size (0: the preset's, 64 cpu / 128 paper / 32 few_scans)")
	protected int batch_size;

	@Parameter(required = false, min = "0", max = "4096", description = "latent size d (0: the preset's, 32; few_scans 16)")
	protected int latent_dim;

	@Parameter(required = false, description = "random seed (initialisation, noise, batch order)")
	protected long seed = 1;

	@Parameter(required = false, min = "0", max = "1", description = "Adam learning rate (0: the paper's, 2e-4 GAN / 1e-4 VAE)")
	protected double learning_rate;

	@Parameter(required = false, description = "iterations at which the learning rate is multiplied by lr_gamma, e.g. 3000 or 2000,3000 (PyTorch MultiStepLR; empty: constant)")
	protected String lr_milestones = "";

	@Parameter(required = false, min = "0.000001", max = "10", description = "learning-rate factor per milestone")
	protected double lr_gamma = 0.1;

	@Parameter(required = false, choices = {"preset", "paper", "few_scans", "off"}, description = "training augmentation: the preset's, the paper's "
		+ "±1° / 1.0–1.1×, few_scans (blends along the body, small affine, intensity) or off")
	protected String augmentation = "preset";

	@Parameter(required = false, description = "train without augmentation (as augmentation=off)")
	protected boolean no_augmentation;

	@Parameter(required = false, min = "-1", max = "10000000", description = "VAE early stopping: iterations without a better held-out error before "
		+ "the run stops (0: never; -1: the preset's, few_scans 400)")
	protected long patience = -1;

	@Parameter(required = false, choices = {"preset", "final", "best"}, description = "VAE: the weights the run folder keeps, the last iteration's "
		+ "(final) or the best held-out evaluation's (best); preset: best for few_scans, else final")
	protected String keep = "preset";

	@Parameter(required = false, min = "1", description = "iterations between checkpoints")
	protected int checkpoint_every = 250;

	@Parameter(required = false, min = "1", description = "iterations between sample grids and quality evaluation")
	protected int sample_every = 250;

	@Parameter(required = false, min = "0", description = "iterations before the health checks start (not learning, KL collapse/explosion, mode collapse, D winning)")
	protected int health_warmup = (int) TrainingHealth.Options.DEFAULT_WARMUP;

	@Parameter(required = false, description = "stop the run (keeping its checkpoint) when a health check fails, instead of only warning")
	protected boolean stop_unhealthy;

	@Parameter(required = false, description = "continue the run in the output folder from its checkpoint")
	protected boolean resume;

	@Parameter(required = false, description = Keys.DEVICE)
	protected String device = Keys.AUTO;

	@Parameter(type = ItemIO.OUTPUT)
	protected String summary;

	/** The model with its own options set (widths, KL weight). */
	protected abstract Training training();

	@Override
	protected void execute(Monitor monitor) {
		Training t = training().output(output.toPath()).preset(preset).iterations(iterations).batchSize(batch_size).latentDim(latent_dim).seed(seed)
			.learningRate(learning_rate).lrSchedule(lr_milestones, lr_gamma).augmentation(no_augmentation ? "off" : augmentation).checkpointEvery(checkpoint_every)
			.sampleEvery(sample_every).healthWarmup(health_warmup).stopUnhealthy(stop_unhealthy).resume(resume).device(device).patience(patience).keep(keep);
		summary = t.summary(t.run(monitor));
	}
}
