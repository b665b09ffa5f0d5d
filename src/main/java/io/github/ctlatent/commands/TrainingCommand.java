package io.github.ctlatent.commands;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.train.LrSchedule;
import io.github.ctlatent.train.TrainingHealth;
import io.github.ctlatent.train.TrainingLoop;
import io.github.ctlatent.train.TrainingTask;
import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;

import java.io.File;
import java.util.Map;

/** The parameters and wiring that "Train GAN" and "Train VAE" share; subclasses only build the task. */
abstract class TrainingCommand extends ExplorerCommand {

	@Parameter(label = "Slice set", style = "directory", description = "a folder made by 'Prepare Slice Set'")
	protected File slices;

	@Parameter(label = "Run folder", style = "directory", description = "where weights, checkpoints, metrics and pictures go")
	protected File output;

	@Parameter(required = false, choices = {"cpu", "paper"}, description = "architecture preset: cpu (64², narrow) or paper (128², docs/method.md)")
	protected String preset = "cpu";

	@Parameter(required = false, min = "1", max = "1000000000", description = "training iterations (batches)")
	protected int iterations = 2000;

	@Parameter(required = false, min = "0", max = "4096", description = "batch size (0: the preset's, 64 cpu / 128 paper)")
	protected int batch_size;

	@Parameter(required = false, min = "1", max = "4096", description = "latent size d (paper 32)")
	protected int latent_dim = 32;

	@Parameter(required = false, description = "random seed (initialisation, noise, batch order)")
	protected long seed = 1;

	@Parameter(required = false, min = "0", max = "1", description = "Adam learning rate (0: the paper's, 2e-4 GAN / 1e-4 VAE)")
	protected double learning_rate;

	@Parameter(required = false, description = "iterations at which the learning rate is multiplied by lr_gamma, e.g. 3000 or 2000,3000 (PyTorch MultiStepLR; empty: constant)")
	protected String lr_milestones = "";

	@Parameter(required = false, min = "0", max = "1000", description = "learning-rate factor per milestone")
	protected double lr_gamma = 0.1;

	@Parameter(required = false, description = "train without the paper's ±1° / 1.0–1.1× augmentation")
	protected boolean no_augmentation;

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

	@Parameter(required = false, description = "auto, cpu, gpu or gpu:N")
	protected String device = "auto";

	@Parameter(type = ItemIO.OUTPUT)
	protected String summary;

	/** The learning rate asked for, or the model's paper value. */
	protected float learningRate(float paper) {
		return learning_rate > 0 ? (float) learning_rate : paper;
	}

	/** The subclass's own options as macro keys (" ch=32"), for the recorded command line; "" when defaults. */
	protected abstract String modelArgs();

	/** The model to train, sized for {@code imageSize}. */
	protected abstract TrainingTask task(int imageSize, Device dev);

	@Override
	protected void execute(Monitor monitor) {
		Outputs.requireApart("output", output.toPath(), Map.of("slices", slices.toPath()));
		SliceSet set = SliceSet.open(slices.toPath());
		Device dev = Engines.device(device, monitor);
		int batch = batch_size > 0 ? batch_size : preset.equals("paper") ? 128 : 64;
		TrainingLoop.Settings s = new TrainingLoop.Settings(iterations, batch, seed, checkpoint_every, sample_every, !no_augmentation, resume,
			LrSchedule.parse(lr_milestones, lr_gamma));
		try (OutputLock lock = lock(output, monitor); TrainingTask task = task(set.size(), dev)) {
			TrainingLoop.Result r = TrainingLoop.run(task, set, s, new TrainingHealth.Options(health_warmup, stop_unhealthy), output.toPath(), commandLine(),
				dev.toString(), monitor);
			summary = String.format("%s trained for %d iterations -> %s (%s)", task.kind(), r.iterations(), r.runFolder(), brief(r));
			for (TrainingHealth.Problem p : r.health()) summary += "\nWARNING: not healthy: " + p.message();
		}
	}

	private static String brief(TrainingLoop.Result r) {
		StringBuilder sb = new StringBuilder();
		r.metrics().forEach((k, v) -> { if (k.startsWith("swd") || k.startsWith("heldout")) sb.append(k).append('=').append(String.format("%.4g", v)).append(' '); });
		return sb.toString().trim();
	}

	/** The macro call that reproduces this run (recorded in the model card). */
	private String commandLine() {
		return String.format("run(\"%s\", \"slices=[%s] output=[%s] preset=%s%s iterations=%d batch_size=%d latent_dim=%d%s%s seed=%d%s checkpoint_every=%d sample_every=%d%s%s device=%s\");",
			label(), slices, output, preset, modelArgs(), iterations, batch_size,
			latent_dim, learning_rate > 0 ? " learning_rate=" + learning_rate : "",
			lr_milestones == null || lr_milestones.isBlank() ? "" : " lr_milestones=[" + lr_milestones.trim() + "] lr_gamma=" + lr_gamma, seed, no_augmentation ? " no_augmentation" : "", checkpoint_every, sample_every,
			(health_warmup != TrainingHealth.Options.DEFAULT_WARMUP ? " health_warmup=" + health_warmup : "") + (stop_unhealthy ? " stop_unhealthy" : ""),
			resume ? " resume" : "", device);
	}
}
