package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Scalars;

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
		return Scalars.maximum(logits, 0f).sub(logits.mul(targets)).add(softplusOfMinusAbs).mean();
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

	/** The parts of the VAE loss; {@code total} is what is minimized; {@code tc} is null when not penalised. */
	public record VaeLoss(NDArray total, NDArray mse, NDArray kl, NDArray tc) {}

	/**
	 * log(MSE(recon, x)) + β·KL, MSE over all pixels and the batch, KL = batch mean of the per-sample sum over
	 * latent dimensions of −0.5(1 + logvar − mu² − exp(logvar)).
	 */
	public static VaeLoss vae(NDArray reconstruction, NDArray x, NDArray mu, NDArray logvar, float beta) {
		NDArray mse = reconstruction.sub(x).square().mean();
		long batch = mu.getShape().get(0);
		NDArray perSample = Scalars.mul(logvar.add(1f).sub(mu.square()).sub(logvar.exp()).reshape(batch, -1).sum(new int[] {1}), -0.5f);
		NDArray kl = perSample.mean();
		return new VaeLoss(mse.log().add(Scalars.mul(kl, beta)), mse, kl, null);
	}

	/**
	 * β-TCVAE (Chen et al., NeurIPS 2018): the paper's loss with the KL's total-correlation part weighted
	 * {@code tcBeta} times instead of once, log(MSE) + β·(KL + (tcBeta − 1)·TC); tcBeta 1 is the plain VAE. The KL
	 * splits into index-code mutual information + TC + dimension-wise KL; only TC — how much the latent dimensions
	 * depend on each other — is what disentanglement asks to remove, so the other two keep their weight.
	 */
	public static VaeLoss betaTcVae(NDArray reconstruction, NDArray x, NDArray z, NDArray mu, NDArray logvar, float beta, float tcBeta) {
		VaeLoss plain = vae(reconstruction, x, mu, logvar, beta);
		NDArray tc = totalCorrelation(z, mu, logvar);
		return new VaeLoss(plain.total().add(Scalars.mul(tc, beta * (tcBeta - 1f))), plain.mse(), plain.kl(), tc);
	}

	/**
	 * Minibatch estimate of the total correlation KL(q(z) ‖ Π_d q(z_d)) of the aggregate posterior: with
	 * q(z|x_j) = N(mu_j, exp(logvar_j)), log q(z_i) ≈ logsumexp_j log q(z_i|x_j) − log B, and the same per
	 * dimension for log q(z_i,d) (Chen et al.'s minibatch-weighted sampling with the data set taken as the batch:
	 * the data-set size only adds a constant, which changes no gradient). Samples z, mu and logvar: (B, D, …).
	 */
	public static NDArray totalCorrelation(NDArray z, NDArray mu, NDArray logvar) {
		long b = mu.getShape().get(0), d = mu.getShape().size() / b;
		NDArray zi = z.reshape(b, 1, d), muj = mu.reshape(1, b, d), lvj = logvar.reshape(1, b, d);
		// log N(z_i,d; mu_j,d, exp(logvar_j,d)) for every pair (i, j) and dimension d: (B, B, D)
		NDArray logDensity = Scalars.mul(zi.sub(muj).square().mul(lvj.neg().exp()).add(lvj).add((float) Math.log(2 * Math.PI)), -0.5f);
		NDArray logJoint = logSumExp(logDensity.sum(new int[] {2}), 1);                 // (B): log Σ_j q(z_i | x_j)
		NDArray logMarginals = logSumExp(logDensity, 1).sum(new int[] {1});             // (B): Σ_d log Σ_j q(z_i,d | x_j)
		// − log B once for the joint, D times for the marginals
		return logJoint.sub(logMarginals).mean().add((float) ((d - 1) * Math.log(b)));
	}

	/** log Σ exp(x) along {@code axis}, shifted by the maximum so that nothing overflows. */
	static NDArray logSumExp(NDArray x, int axis) {
		NDArray max = x.max(new int[] {axis}, true).stopGradient();
		return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
	}
}
