package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.ResNetVae;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.model.VaeDecoderGenerator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** The ResNet VAE as a {@link TrainingTask}: {@link VaeStep} with a checkpointable Adam. */
public final class VaeTask implements TrainingTask {

	private final ResNetVae vae;
	private final Adam adam;
	private final VaeStep step;
	private final ModelState names;
	private final float beta;
	private final float tcBeta;
	private final boolean pairs;
	private final PositionAxis axis;
	private final TraversalCycle cycle;
	private WarpAxes warp = WarpAxes.OFF;

	public VaeTask(VaeConfig config, Device device, long seed) {
		this(config, device, seed, VaeStep.LEARNING_RATE, Losses.VAE_BETA, 1f, false);
	}

	/**
	 * As above with Adam's learning rate {@code lr} and KL weight {@code beta} instead of the paper's 1e-4 and 0.01,
	 * and the total-correlation weight {@code tcBeta} of β-TCVAE (1: the paper's loss); {@code pairs}: the batches are
	 * pairs, trained as Ada-GVAE ({@link VaeStep}).
	 */
	public VaeTask(VaeConfig config, Device device, long seed, float lr, float beta, float tcBeta, boolean pairs) {
		this(config, device, seed, lr, beta, tcBeta, pairs, PositionAxis.OFF);
	}

	/** As above, with latent axis 0 made the position along the body as {@code axis} says ({@link VaeStep}; needs pairs when on). */
	public VaeTask(VaeConfig config, Device device, long seed, float lr, float beta, float tcBeta, boolean pairs, PositionAxis axis) {
		this(config, device, seed, lr, beta, tcBeta, pairs, axis, TraversalCycle.OFF);
	}

	/** As above, with the decoder also trained by the traversal cycle {@code cycle} ({@link VaeStep}). */
	public VaeTask(VaeConfig config, Device device, long seed, float lr, float beta, float tcBeta, boolean pairs, PositionAxis axis, TraversalCycle cycle) {
		this.axis = axis;
		this.cycle = cycle;
		this.beta = beta;
		this.pairs = pairs;
		this.tcBeta = tcBeta;
		this.vae = Engines.seeded(seed, () -> ResNetVae.create(config, device));
		this.names = new ModelState("VAE " + config, Map.of("encoder", vae.encoder(), "decoder", vae.decoder()));
		this.adam = names.optimizer("adam.bin", new Adam(vae.manager(), lr, 0.9f, 0.999f));
		this.step = new VaeStep(vae, adam, beta, tcBeta, pairs, axis, cycle);
	}

	/** Adds the known warp axes' pull on the decoder ({@link WarpAxes}, {@link VaeStep#warp}). */
	public VaeTask warp(WarpAxes axes) {
		warp = axes;
		step.warp(axes);
		return this;
	}

	@Override public String kind() { return "vae"; }
	@Override public int latentDim() { return vae.config().latentDim(); }
	@Override public int imageSize() { return vae.config().imageSize(); }
	@Override public Device device() { return vae.device(); }

	@Override
	public Map<String, Double> step(NDManager iteration, NDArray real, SplittableRandom rng) {
		VaeStep.Result r = step.step(iteration, real, rng); // the reparameterisation noise from the iteration's own stream
		Map<String, Double> m = new LinkedHashMap<>();
		m.put("loss", (double) r.loss());
		m.put("mse", (double) r.mse());
		m.put("kl", (double) r.kl());
		if (!Float.isNaN(r.tc())) m.put("tc", (double) r.tc());
		if (!Float.isNaN(r.shared())) m.put("shared_dims", (double) r.shared());
		if (!Float.isNaN(r.order())) m.put("order_hinge", (double) r.order());
		if (!Float.isNaN(r.invariance())) m.put("invariance", (double) r.invariance());
		if (!Float.isNaN(r.cycle())) m.put("cycle", (double) r.cycle());
		if (!Float.isNaN(r.warp())) m.put("warp", (double) r.warp());
		return m;
	}

	@Override
	public void pairOffsets(float[] offsets) {
		step.pairOffsets(offsets);
	}

	@Override
	public void pairChanges(float[][] changes) {
		step.pairChanges(changes);
	}

	/** Held-out reconstruction error (eval mode, z = μ) against the mean-image and best-constant-image baselines, in model units². */
	@Override
	public Map<String, Double> evaluate(NDManager manager, NDArray heldOut) {
		ParameterStore ps = new ParameterStore(manager, false);
		double mse = 0;
		long n = heldOut.getShape().get(0);
		for (long from = 0; from < n; from += 64) {
			try (NDManager it = manager.newSubManager()) {
				NDArray x = heldOut.get(from + ":" + Math.min(n, from + 64));
				x.tempAttach(it);
				ResNetVae.Output out = vae.forward(ps, x, false, null);
				mse += out.reconstruction().sub(x).square().sum().getFloat();
			}
		}
		mse /= heldOut.getShape().size();
		double baseline, constant;
		try (NDArray mean = heldOut.mean(new int[] {0}, true); NDArray d = heldOut.sub(mean)) {
			baseline = d.square().mean().getFloat();
		}
		try (NDArray d = heldOut.sub(heldOut.mean())) { // the best single grey level
			constant = d.square().mean().getFloat();
		}
		Map<String, Double> m = new LinkedHashMap<>();
		m.put("heldout_mse", mse);
		m.put("baseline_mse", baseline);
		m.put("constant_mse", constant);
		m.put("heldout_improvement", baseline / mse);
		return m;
	}

	@Override
	public float[][] reconstruct(NDManager manager, float[][] images) {
		int s = imageSize();
		float[] flat = new float[images.length * s * s];
		for (int i = 0; i < images.length; i++) System.arraycopy(images[i], 0, flat, i * s * s, s * s);
		try (NDManager m = manager.newSubManager()) {
			float[] r = vae.forward(new ParameterStore(m, false), m.create(flat, new ai.djl.ndarray.types.Shape(images.length, 1, s, s)), false, null)
				.reconstruction().toFloatArray();
			float[][] out = new float[images.length][];
			for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(r, i * s * s, (i + 1) * s * s);
			return out;
		}
	}

	@Override public double baseLearningRate() { return names.baseLearningRate(); }
	@Override public void scaleLearningRate(double factor) { names.scaleLearningRate(factor); }

	@Override
	public Generator snapshot() {
		return VaeDecoderGenerator.copyOf(vae);
	}

	@Override public void saveState(Path folder) throws IOException { names.saveState(folder); }
	@Override public void loadState(Path folder) throws IOException { names.loadState(folder); }
	/** encoder.params, decoder.params. */
	@Override public void saveWeights(Path runFolder) { names.saveWeights(runFolder); }

	@Override
	public Map<String, Object> settings() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("config", vae.config());
		m.put("optimizer", "Adam lr " + adam.baseLearningRate() + " betas (0.9, 0.999)");
		m.put("optimizer_arithmetic", adam.arithmetic());
		m.put("loss", tcBeta == 1f ? "log(MSE) + " + beta + " * KL (KL summed over latent dims, batch mean)"
			: "beta-TCVAE: log(MSE) + " + beta + " * (KL + " + (tcBeta - 1f) + " * TC) (KL summed over latent dims, batch mean; TC by minibatch-weighted sampling)");
		m.put("tc_beta", (double) tcBeta);
		if (pairs) m.put("pair_loss", "Ada-GVAE: per pair, latent dims whose KL(q1 || q2) is below (max + min) / 2 of the pair's get the average "
			+ "posterior (mean of mu, mean of sigma^2) in both; the loss above on both images");
		if (axis.on()) m.put("order_loss", axis.describe());
		if (cycle.on()) m.put("cycle_loss", cycle.describe());
		if (warp.on()) m.put("warp_axes", warp.describe());
		m.put("activation", "leaky ReLU slope 11/48 (PyTorch functional rrelu defaults, not randomised)");
		m.put("encoder_parameters", io.github.ctlatent.model.Params.countTrainable(vae.encoder()));
		m.put("decoder_parameters", io.github.ctlatent.model.Params.countTrainable(vae.decoder()));
		return m;
	}

	@Override
	public void close() {
		vae.close();
	}
}
