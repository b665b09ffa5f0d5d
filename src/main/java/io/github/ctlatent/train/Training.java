package io.github.ctlatent.train;

import ai.djl.Device;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Limits;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.VaeConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one entry point of training: pick the model, change the settings you care about, run.
 * <pre>{@code
 * TrainingLoop.Result r = Training.gan(slices).output(runFolder).iterations(300).batchSize(64).seed(1).run(monitor);
 * Training.vae(slices).output(runFolder).preset("paper").klWeight(0.002).run(Monitor.printing(System.out));
 * }</pre>
 * Defaults are the "Train GAN" / "Train VAE" commands' (those commands are wiring over this class); the run folder
 * is described in {@link TrainingLoop}, whose card records {@link #macro()}, the macro call that reproduces the run.
 * A zero for batch size, learning rate or a network width means "the preset's / the paper's value".
 */
public final class Training {

	/** The two trainable models, with the menu label of their command. */
	public enum Model {
		GAN("Train GAN", "dcgan"), VAE("Train VAE", "vae");

		final String command, kind;

		Model(String command, String kind) {
			this.command = command;
			this.kind = kind;
		}
	}

	private final Model model;
	private final Path slices;
	private Path output;
	private String preset = "cpu", device = "auto", lrMilestones = "";
	private long iterations = 2000, seed = 1, healthWarmup = TrainingHealth.Options.DEFAULT_WARMUP;
	private int batchSize, latentDim = 32, checkpointEvery = 250, sampleEvery = 250, ngf, ndf, ch;
	private double learningRate, lrGamma = 0.1, klWeight = Losses.VAE_BETA, tcBeta = 1;
	private boolean augment = true, stopUnhealthy, resume;

	private Training(Model model, Path slices) {
		if (slices == null) throw new ExplorerException("Training needs a slice set folder (made by 'Prepare Slice Set').");
		this.model = model;
		this.slices = slices;
	}

	/** The seed paper's DCGAN (docs/method.md §2) on a slice set made by "Prepare Slice Set". */
	public static Training gan(Path slices) {
		return new Training(Model.GAN, slices);
	}

	/** The seed paper's ResNet VAE (docs/method.md §3) on a slice set made by "Prepare Slice Set". */
	public static Training vae(Path slices) {
		return new Training(Model.VAE, slices);
	}

	/** The run folder: new, empty, or (with {@link #resume}) a run to continue. Required. */
	public Training output(Path runFolder) { output = runFolder; return this; }
	/** "cpu" (64², narrow networks, batch 64) or "paper" (128², the paper's widths, batch 128). */
	public Training preset(String name) {
		if (!name.equals("cpu") && !name.equals("paper")) throw new ExplorerException("Unknown preset '" + name + "'. Use cpu or paper.");
		preset = name;
		return this;
	}
	public Training iterations(long n) { iterations = n; return this; }
	/** Batch size; 0: the preset's. */
	public Training batchSize(int n) { batchSize = n; return this; }
	public Training latentDim(int d) { latentDim = d; return this; }
	/** Seeds initialisation, noise and batch order: the same seed gives the same run. */
	public Training seed(long s) { seed = s; return this; }
	/** Adam's learning rate; 0: the paper's (2e-4 GAN, 1e-4 VAE). */
	public Training learningRate(double lr) { learningRate = lr; return this; }
	/** Multiply the learning rate by {@code gamma} at each milestone, e.g. "2000,3000" (PyTorch MultiStepLR); "" keeps it constant. */
	public Training lrSchedule(String milestones, double gamma) { lrMilestones = milestones == null ? "" : milestones; lrGamma = gamma; return this; }
	/** The paper's ±1° / 1.0–1.1× augmentation of training batches (on by default). */
	public Training augment(boolean on) { augment = on; return this; }
	public Training checkpointEvery(int n) { checkpointEvery = n; return this; }
	/** Iterations between sample grids and quality evaluations. */
	public Training sampleEvery(int n) { sampleEvery = n; return this; }
	/** Iterations before the health checks start ({@link TrainingHealth}). */
	public Training healthWarmup(long n) { healthWarmup = n; return this; }
	/** Stop (keeping the checkpoint) when a health check fails, instead of only warning. */
	public Training stopUnhealthy(boolean on) { stopUnhealthy = on; return this; }
	/** Continue the run in the output folder from its checkpoint. */
	public Training resume(boolean on) { resume = on; return this; }
	/** "auto", "cpu", "gpu" or "gpu:N". */
	public Training device(String option) { device = option; return this; }
	/** GAN only: generator and discriminator widths ngf, ndf (0: the preset's). */
	public Training widths(int generator, int discriminator) { requireModel(Model.GAN, "widths"); ngf = generator; ndf = discriminator; return this; }
	/** VAE only: base width ch (0: the preset's). */
	public Training ch(int width) { requireModel(Model.VAE, "ch"); ch = width; return this; }
	/** VAE only: β in log(MSE) + β·KL (paper 0.01). */
	public Training klWeight(double beta) { requireModel(Model.VAE, "klWeight"); klWeight = beta; return this; }
	/** VAE only: β-TCVAE's weight of the KL's total-correlation part (1: the paper's loss; Chen et al. use 6). */
	public Training tcBeta(double weight) { requireModel(Model.VAE, "tcBeta"); tcBeta = weight; return this; }

	private void requireModel(Model m, String setting) {
		if (model != m) throw new ExplorerException(setting + " is a setting of the " + m + ", not of the " + model + ".");
	}

	/** Trains (or resumes) into the output folder, holding its lock; see {@link TrainingLoop} for what is written. */
	public TrainingLoop.Result run(Monitor monitor) {
		if (output == null) throw new ExplorerException("Training needs an output (run) folder: call output(folder).");
		validate();
		Outputs.requireApart("output", output, Map.of("slices", slices));
		SliceSet set = SliceSet.open(slices);
		Device dev = Engines.device(device, monitor);
		TrainingLoop.Settings s = new TrainingLoop.Settings(iterations, effectiveBatchSize(), seed, checkpointEvery, sampleEvery, augment, resume,
			LrSchedule.parse(lrMilestones, lrGamma));
		try (OutputLock lock = OutputLock.acquire(output, model.command, monitor); TrainingTask task = task(set.size(), dev)) {
			return TrainingLoop.run(task, set, s, new TrainingHealth.Options(healthWarmup, stopUnhealthy), output, macro(), dev.toString(), monitor);
		}
	}

	/** The commands' ranges ({@link Limits}), checked for Java/Jython callers of the builder too, before anything is written. */
	private void validate() {
		Limits.ITERATIONS.check(iterations);
		Limits.BATCH.check(batchSize);
		Limits.LATENT_DIM.check(latentDim);
		Limits.LEARNING_RATE.check(learningRate);
		Limits.LR_GAMMA.check(lrGamma);
		Limits.CHECKPOINT_EVERY.check(checkpointEvery);
		Limits.SAMPLE_EVERY.check(sampleEvery);
		Limits.HEALTH_WARMUP.check(healthWarmup);
		Limits.NGF.check(ngf);
		Limits.NDF.check(ndf);
		Limits.VAE_CH.check(ch);
		Limits.KL_WEIGHT.check(klWeight);
		Limits.TC_BETA.check(tcBeta);
	}

	private int effectiveBatchSize() {
		return batchSize > 0 ? batchSize : preset.equals("paper") ? 128 : 64;
	}

	private float lr(float paper) {
		return learningRate > 0 ? (float) learningRate : paper;
	}

	/** The networks and optimizers, sized for the slice set's {@code imageSize}. */
	TrainingTask task(int imageSize, Device dev) {
		boolean paper = preset.equals("paper");
		if (model == Model.GAN) {
			DcganConfig c = (paper ? DcganConfig.paper() : DcganConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(latentDim);
			if (ngf > 0 || ndf > 0) c = c.withWidths(ngf > 0 ? ngf : c.ngf(), ndf > 0 ? ndf : c.ndf());
			return new GanTask(c, dev, seed, lr(GanStep.LEARNING_RATE));
		}
		VaeConfig c = (paper ? VaeConfig.paper() : VaeConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(latentDim);
		if (ch > 0) c = c.withCh(ch);
		return new VaeTask(c, dev, seed, lr(VaeStep.LEARNING_RATE), (float) klWeight, (float) tcBeta);
	}

	/** The Fiji macro call that reproduces this run (recorded in the model card). */
	public String macro() {
		String modelArgs = model == Model.GAN ? (ngf > 0 ? " ngf=" + ngf : "") + (ndf > 0 ? " ndf=" + ndf : "")
			: (ch > 0 ? " ch=" + ch : "") + ((float) klWeight != Losses.VAE_BETA ? " kl_weight=" + klWeight : "")
				+ (tcBeta != 1 ? " tc_beta=" + tcBeta : "");
		return String.format("run(\"%s\", \"slices=[%s] output=[%s] preset=%s%s iterations=%d batch_size=%d latent_dim=%d%s%s seed=%d%s checkpoint_every=%d sample_every=%d%s%s device=%s\");",
			model.command, slices, output, preset, modelArgs, iterations, batchSize,
			latentDim, learningRate > 0 ? " learning_rate=" + learningRate : "",
			lrMilestones.isBlank() ? "" : " lr_milestones=[" + lrMilestones.trim() + "] lr_gamma=" + lrGamma, seed, augment ? "" : " no_augmentation",
			checkpointEvery, sampleEvery,
			(healthWarmup != TrainingHealth.Options.DEFAULT_WARMUP ? " health_warmup=" + healthWarmup : "") + (stopUnhealthy ? " stop_unhealthy" : ""),
			resume ? " resume" : "", device);
	}

	/** One line for a finished run: model, iterations, folder and its quality figures. */
	public String summary(TrainingLoop.Result r) {
		StringBuilder sb = new StringBuilder();
		r.metrics().forEach((k, v) -> { if (k.startsWith("swd") || k.startsWith("heldout")) sb.append(k).append('=').append(String.format("%.4g", v)).append(' '); });
		String s = String.format("%s trained for %d iterations -> %s (%s)", model.kind, r.iterations(), r.runFolder(), sb.toString().trim());
		for (TrainingHealth.Problem p : r.health()) s += "\nWARNING: not healthy, " + p.message();
		return s;
	}
}
