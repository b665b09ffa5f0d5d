package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.DcganGenerator;
import io.github.ctlatent.model.Generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** The DCGAN as a {@link TrainingTask}: {@link GanStep} with checkpointable Adam optimizers. */
public final class GanTask implements TrainingTask {

	private final Dcgan gan;
	private final Adam dAdam, gAdam;
	private final GanStep step;
	private final ModelState names;
	private final LatentPenalty.Options regulariser;
	private final WarpAxes warp;
	private Path initFrom;
	private TeacherAxes teacher = TeacherAxes.OFF;

	/** A freshly initialised DCGAN (initialisation seeded by {@code seed}). */
	public GanTask(DcganConfig config, Device device, long seed) {
		this(config, device, seed, GanStep.LEARNING_RATE);
	}

	/** As above with Adam's learning rate {@code lr} (both networks) instead of the paper's 2e-4. */
	public GanTask(DcganConfig config, Device device, long seed, float lr) {
		this(config, device, seed, lr, LatentPenalty.Options.NONE);
	}

	/** As above with a latent regulariser on the generator ({@link LatentPenalty}). */
	public GanTask(DcganConfig config, Device device, long seed, float lr, LatentPenalty.Options regulariser) {
		this(config, device, seed, lr, regulariser, WarpAxes.OFF);
	}

	/** As above with known warp axes ({@link WarpAxes}) on the generator. */
	public GanTask(DcganConfig config, Device device, long seed, float lr, LatentPenalty.Options regulariser, WarpAxes warp) {
		this.regulariser = regulariser;
		this.warp = warp;
		this.gan = Engines.seeded(seed, () -> Dcgan.create(config, device));
		this.names = new ModelState("DCGAN " + config, Map.of("generator", gan.generator(), "discriminator", gan.discriminator()));
		// the generator's first: its learning rate is the task's
		this.gAdam = names.optimizer("adam-generator.bin", new Adam(gan.manager(), lr, GanStep.BETA1, GanStep.BETA2));
		this.dAdam = names.optimizer("adam-discriminator.bin", new Adam(gan.manager(), lr, GanStep.BETA1, GanStep.BETA2));
		this.step = new GanStep(gan, dAdam, gAdam).regulariser(regulariser).warp(warp);
	}

	/**
	 * Starts from the weights of a trained DCGAN run folder (generator.params and discriminator.params, same
	 * architecture) instead of the random initialisation: fine-tuning. Adam's moments start at zero.
	 */
	public GanTask initFrom(Path runFolder) {
		names.loadWeights(runFolder);
		initFrom = runFolder;
		return this;
	}

	/** Teaches the generator's axes from a VAE ({@link TeacherAxes}); the task closes it. */
	public GanTask teacher(TeacherAxes axes) {
		teacher = axes;
		step.teacher(axes);
		return this;
	}

	@Override public String kind() { return "dcgan"; }
	@Override public int latentDim() { return gan.config().latentDim(); }
	@Override public int imageSize() { return gan.config().imageSize(); }
	@Override public Device device() { return gan.device(); }

	@Override
	public Map<String, Double> step(NDManager iteration, NDArray real, SplittableRandom rng) {
		return step(iteration, real, rng, 0);
	}

	@Override
	public Map<String, Double> step(NDManager iteration, NDArray real, SplittableRandom rng, long index) {
		// all randomness from the iteration's own stream
		GanStep.Result r = step.step(iteration, real, rng, regulariser.dueAt(index));

		Map<String, Double> m = new LinkedHashMap<>();
		m.put("loss_d", (double) r.dLoss());
		m.put("loss_g", (double) r.gLoss());
		m.put("d_real", (double) r.dReal());
		m.put("d_fake", (double) r.dFakeBeforeUpdate());
		// only where computed: an empty cell, not a NaN the loop would take for divergence
		if (!Float.isNaN(r.penalty())) m.put("penalty_" + regulariser.kind().key(), (double) r.penalty());
		if (!Float.isNaN(r.warp())) m.put("warp", (double) r.warp());
		if (!Float.isNaN(r.teacher())) m.put("teacher", (double) r.teacher());
		return m;
	}

	@Override public double baseLearningRate() { return names.baseLearningRate(); }
	@Override public void scaleLearningRate(double factor) { names.scaleLearningRate(factor); }

	@Override
	public Generator snapshot() {
		return DcganGenerator.copyOf(gan);
	}

	/** With a teacher: how well the generator has learnt the taught axes ({@link TeacherAxes#fitFigures}); nothing without one. */
	@Override
	public Map<String, Double> evaluate(NDManager manager, NDArray heldOut) {
		if (!teacher.on()) return Map.of();
		try (Generator g = snapshot()) {
			return teacher.fitFigures(g);
		}
	}

	@Override public void saveState(Path folder) throws IOException { names.saveState(folder); }
	@Override public void loadState(Path folder) throws IOException { names.loadState(folder); }
	/** generator.params, discriminator.params. */
	@Override public void saveWeights(Path runFolder) { names.saveWeights(runFolder); }

	@Override
	public Map<String, Object> settings() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("config", gan.config());
		m.put("optimizer", "Adam lr " + dAdam.baseLearningRate() + " betas (" + GanStep.BETA1 + ", " + GanStep.BETA2 + ") for D and G");
		m.put("optimizer_arithmetic", dAdam.arithmetic());
		m.put("loss", "BCE with logits, non-saturating; real targets U{0.900..0.999}, fake 0, generator 1");
		m.put("init", "conv N(0, 0.02), BN gamma N(1, 0.02), beta 0; no conv biases");
		m.put("regulariser", regulariser.describe());
		if (warp.on()) m.put("warp_axes", warp.describe());
		if (teacher.on()) m.put("teacher_axes", teacher.describe());
		if (initFrom != null) m.put("fine_tuned_from", initFrom.toString());
		m.put("generator_parameters", io.github.ctlatent.model.Params.countTrainable(gan.generator()));
		m.put("discriminator_parameters", io.github.ctlatent.model.Params.countTrainable(gan.discriminator()));
		return m;
	}

	@Override
	public void close() {
		teacher.close();
		gan.close();
	}
}
