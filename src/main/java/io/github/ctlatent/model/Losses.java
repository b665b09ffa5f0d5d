package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/** The seed paper's training losses (docs/method.md §2, §3). All results are scalars on the inputs' manager. */
public final class Losses {

	/** VAE KL weight β of the original (constant at HEAD). */
	public static final float VAE_BETA = 0.01f;

	private Losses() {}

	/**
	 * Mean binary cross-entropy of raw logits x against targets y in [0, 1], in the overflow-free form
	 * max(x, 0) − x·y + log(1 + exp(−|x|)) (what PyTorch's BCEWithLogitsLoss computes).
	 */
	public static NDArray bceWithLogits(NDArray logits, NDArray targets) {
		NDArray softplusOfMinusAbs = logits.abs().neg().exp().add(1f).log();
		return logits.maximum(0f).sub(logits.mul(targets)).add(softplusOfMinusAbs).mean();
	}

	/** Discriminator targets for real images with one-sided label smoothing: per sample uniform on {0.900, 0.901, …, 0.999}. */
	public static NDArray smoothedRealTargets(NDManager manager, long batch, SplittableRandom rng) {
		float[] t = new float[Math.toIntExact(batch)];
		for (int i = 0; i < t.length; i++) t[i] = (900 + rng.nextInt(100)) / 1000f;
		return manager.create(t, new Shape(batch, 1));
	}

	/** Standard normal values drawn from {@code rng} (the caller's stream, not libtorch's global generator). */
	public static NDArray gaussian(NDManager manager, SplittableRandom rng, Shape shape) {
		float[] v = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
		return manager.create(v, shape);
	}

	/** Constant targets (0 for fake images in the D step, 1 for the generator's non-saturating loss). */
	public static NDArray constantTargets(NDManager manager, long batch, float value) {
		return manager.full(new Shape(batch, 1), value);
	}

	/** The parts of the VAE loss; {@code total} is what is minimized. */
	public record VaeLoss(NDArray total, NDArray mse, NDArray kl) {}

	/**
	 * log(MSE(recon, x)) + β·KL, MSE over all pixels and the batch, KL = batch mean of the per-sample sum over
	 * latent dimensions of −0.5(1 + logvar − mu² − exp(logvar)).
	 */
	public static VaeLoss vae(NDArray reconstruction, NDArray x, NDArray mu, NDArray logvar, float beta) {
		NDArray mse = reconstruction.sub(x).square().mean();
		long batch = mu.getShape().get(0);
		NDArray perSample = logvar.add(1f).sub(mu.square()).sub(logvar.exp()).reshape(batch, -1).sum(new int[] {1}).mul(-0.5f);
		NDArray kl = perSample.mean();
		return new VaeLoss(mse.log().add(kl.mul(beta)), mse, kl);
	}
}
