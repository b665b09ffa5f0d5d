package io.github.ctlatent.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Notices, after a warm-up, a run that is not learning, and says what to try. Checked at every evaluation point
 * of the {@link TrainingLoop} on the held-out figures and on the training losses since the previous evaluation:
 * <ul>
 * <li>held-out reconstruction error not below the constant-image or the mean-image baseline (the VAE learned
 *     nothing the data's average does not already give; seen as "the all-black image" on clipped data);</li>
 * <li>posterior collapse (KL → 0: the decoder ignores the latent) or KL explosion (the latent blows up);</li>
 * <li>GAN sample diversity collapse (the samples barely differ from each other compared with real slices);</li>
 * <li>the discriminator winning completely (D(fake) ≈ 0, the generator gets no gradient to learn from).</li>
 * </ul>
 * Each problem is logged once (when it first appears), and {@link #problems()} keeps its latest figures;
 * {@link Options#stop()} ends the run at the first one.
 */
public final class TrainingHealth {

	/**
	 * @param warmup iterations before any check (early training legitimately looks unhealthy)
	 * @param stop   stop the run (checkpoint kept) at the first problem instead of only warning
	 */
	public record Options(long warmup, boolean stop) {
		public static final long DEFAULT_WARMUP = 500;

		public static Options defaults() {
			return new Options(DEFAULT_WARMUP, false);
		}
	}

	/** A problem: a short key (for the model card) and the message with what to try. */
	public record Problem(String key, String message) {}

	/** KL (nats, summed over latent dimensions) below this: the posterior has collapsed onto the prior. */
	static final double KL_COLLAPSED = 0.05;
	/** KL above this: the encoder's outputs are exploding (6e16 was seen before a NaN). */
	static final double KL_EXPLODING = 1e4;
	/** Generated samples varying less than this share of the real slices' variation: diversity has collapsed. */
	static final double DIVERSITY_COLLAPSED = 0.1;
	/** Mean D(fake) below this (while D(real) is high): the discriminator wins completely. */
	static final double D_FAKE_LOST = 0.02;

	private final Options options;
	/** A problem as tracked: the iteration it first appeared at, the last check that found it, and that check's message. */
	private record Seen(long first, long last, String message) {}

	/** Every problem found so far, by key in order of appearance. */
	private final Map<String, Seen> seen = new LinkedHashMap<>();
	private long lastCheck = -1;

	public TrainingHealth(Options options) {
		this.options = options;
	}

	public Options options() {
		return options;
	}

	/**
	 * Every problem found so far, in order of appearance, with the figures of the last check that found it: a run
	 * that warned at iteration 500 and ended at 1,500 reports its final held-out error, not the one of iteration 500,
	 * and says when a problem has gone.
	 */
	public List<Problem> problems() {
		List<Problem> out = new ArrayList<>();
		seen.forEach((key, p) -> out.add(new Problem(key, describe(p))));
		return out;
	}

	/** "iteration F: …", "first at iteration F, still at iteration L: …" or "iteration F: … (gone by iteration L)". */
	private String describe(Seen p) {
		if (p.last() != lastCheck) return "iteration " + p.first() + ": " + p.message() + " (gone by iteration " + lastCheck + ")";
		return (p.first() == lastCheck ? "iteration " + p.first() : "first at iteration " + p.first() + ", still at iteration " + lastCheck) + ": " + p.message();
	}

	/**
	 * @param figures the evaluation's held-out figures (heldout_mse; train_mean_mse, the training mean image's error, or else
	 *                baseline_mse, the held-out mean image's; constant_mse; sample_std, real_std)
	 * @param recent  the training-loss rows since the previous evaluation
	 * @return the problems that appeared at this evaluation (empty during warm-up or when healthy)
	 */
	public List<Problem> check(long iteration, Map<String, Double> figures, List<Map<String, Double>> recent) {
		if (iteration < options.warmup()) return List.of();
		List<Problem> found = new ArrayList<>();
		Double mse = figures.get("heldout_mse"), constant = figures.get("constant_mse");
		Double mean = figures.containsKey("train_mean_mse") ? figures.get("train_mean_mse") : figures.get("baseline_mse");
		if (mse != null && constant != null && mse >= constant)
			found.add(new Problem("no_better_than_constant", String.format(Locale.ROOT, "held-out reconstruction error %.4g is not below the best "
				+ "constant image's %.4g: the model has learned (at most) one grey level. If the slice set warned that it is mostly clipped, prepare it "
				+ "again with the suggested window; otherwise lower learning_rate or kl_weight.", mse, constant)));
		else if (mse != null && mean != null && mse >= mean)
			found.add(new Problem("no_better_than_mean_image", String.format(Locale.ROOT, "held-out reconstruction error %.4g is not below the "
				+ "mean training image's %.4g: the model reproduces the average slice, not the slice it is given. Train longer, lower kl_weight, or check the "
				+ "window (dataset.json, health).", mse, mean)));
		double kl = average(recent, "kl");
		if (kl < KL_COLLAPSED)
			found.add(new Problem("posterior_collapse", String.format(Locale.ROOT, "KL = %.3g: the posterior has collapsed onto the prior, so the "
				+ "decoder ignores the latent and directions will do nothing. Lower kl_weight (e.g. a tenth) or the learning rate.", kl)));
		else if (kl > KL_EXPLODING)
			found.add(new Problem("kl_explosion", String.format(Locale.ROOT, "KL = %.3g is exploding: the encoder's means or variances run away. "
				+ "Raise kl_weight (β = 0 leaves the KL unbounded) or lower the learning rate.", kl)));
		Double spread = figures.get("sample_std"), real = figures.get("real_std");
		if (spread != null && real != null && real > 0 && spread < DIVERSITY_COLLAPSED * real)
			found.add(new Problem("diversity_collapse", String.format(Locale.ROOT, "the generated samples vary %.3g per pixel against %.3g for real "
				+ "slices: mode collapse, the generator makes (almost) one image. Lower the learning rate, use another seed, or start again from an "
				+ "earlier checkpoint.", spread, real)));
		double dFake = average(recent, "d_fake"), dReal = average(recent, "d_real");
		if (dFake < D_FAKE_LOST && dReal > 0.5)
			found.add(new Problem("discriminator_wins", String.format(Locale.ROOT, "the discriminator wins completely (D(real) %.3f, D(fake) %.4f): the "
				+ "generator gets no useful gradient. Lower the learning rate, use a narrower discriminator (ndf), or restart with another seed.",
				dReal, dFake)));
		List<Problem> fresh = new ArrayList<>();
		for (Problem p : found) {
			Seen before = seen.get(p.key());
			if (before == null) fresh.add(p);
			seen.put(p.key(), new Seen(before == null ? iteration : before.first(), iteration, p.message()));
		}
		lastCheck = iteration;
		return fresh;
	}

	/** Mean of {@code key} over the rows that have it; NaN when none do (every comparison with NaN is false). */
	private static double average(List<Map<String, Double>> rows, String key) {
		double sum = 0;
		int n = 0;
		for (Map<String, Double> r : rows) {
			Double v = r.get(key);
			if (v != null) {
				sum += v;
				n++;
			}
		}
		return n == 0 ? Double.NaN : sum / n;
	}
}
