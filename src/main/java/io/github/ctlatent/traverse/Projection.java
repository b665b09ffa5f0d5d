package io.github.ctlatent.traverse;

import io.github.ctlatent.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Limits;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.optim.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Puts real slices into any generator's latent space (GAN inversion by optimisation): for each target image x, the
 * code z minimising ‖G(z) − x‖² / N + λ·‖z‖² / d, by Adam on z alone (the generator is frozen and in eval mode;
 * its weights never change), from several starting codes of which the best is kept. One starting code may be a VAE
 * encoder's posterior mean ({@link Settings#starts}), the rest are N(0, I) draws from the seed.
 * <p>
 * Why the prior term λ·‖z‖²/d: a GAN was trained only on codes from N(0, I), whose squared norm per coordinate is
 * about 1. Pixel error alone lets z wander to norms the generator never saw, where its images stop looking like CT
 * and the directions found on N(0, I) codes stop meaning what they meant; the small pull towards the origin keeps
 * the code where walks are valid while costing little pixel error. It is the negative log-density of N(0, I), scaled.
 * <p>
 * All restarts of several targets run as one batch: each code's loss depends only on itself and Adam is element-wise,
 * so batching changes nothing but the speed. Reproducible from the seed; cancellable between steps; every array of
 * a step lives in a sub-manager closed at its end (docs/platform.md, Memory).
 */
public final class Projection {

	/** Codes per forward pass: the restarts of as many targets as fit (a pass of 64 codes of 128² fits in memory). */
	static final int MAX_BATCH = 64;

	/**
	 * @param steps        Adam steps per start
	 * @param learningRate Adam's step size (latent units; N(0, I) coordinates are of size 1)
	 * @param restarts     random starting codes per target (besides an encoder start, if given)
	 * @param priorWeight  λ of the prior term
	 * @param randomDraws  random codes the no-optimisation baseline draws per target (0: as many as the restarts)
	 */
	public record Settings(int steps, double learningRate, int restarts, double priorWeight, long seed, int randomDraws) {
		public Settings {
			Limits.PROJECT_STEPS.check(steps);
			Limits.PROJECT_LEARNING_RATE.check(learningRate);
			Limits.PROJECT_RESTARTS.check(restarts);
			Limits.PRIOR_WEIGHT.check(priorWeight);
			Limits.RANDOM_DRAWS.check(randomDraws);
		}

		/** Measured on held-out phantom slices with the shipped GAN (docs/usage.md, Project Slice to Latent). */
		public static Settings defaults() {
			return new Settings(100, 0.1, 4, 1e-3, 1, 0);
		}

		public Settings withSeed(long s) { return new Settings(steps, learningRate, restarts, priorWeight, s, randomDraws); }
		public Settings withSteps(int n) { return new Settings(n, learningRate, restarts, priorWeight, seed, randomDraws); }
		public Settings withRestarts(int n) { return new Settings(steps, learningRate, n, priorWeight, seed, randomDraws); }

		int draws() { return randomDraws > 0 ? randomDraws : restarts; }
	}

	/** A projected target: its best code, that code's image and pixel MSE (model units), and the baselines' MSE. */
	public record Result(float[] z, float[] image, double mse, double randomMse, boolean fromEncoder) {}

	private Projection() {}

	/**
	 * Projects {@code targets} (size² values each, model units, x fastest); {@code encoderStarts}, when not null, holds
	 * one starting code per target (a VAE's posterior means) used besides the random restarts.
	 */
	public static List<Result> project(Generator g, float[][] targets, float[][] encoderStarts, Settings s, Monitor monitor) {
		int d = g.latentDim(), px = g.imageSize() * g.imageSize();
		for (int t = 0; t < targets.length; t++) {
			if (targets[t].length != px)
				throw new ExplorerException("Target " + (t + 1) + " has " + targets[t].length + " pixels; the generator makes " + g.imageSize() + "² = " + px
					+ " pixel images. Give slices at the model's size (prepare the slice set with size=" + g.imageSize() + ").");
			Checks.requireFinite("Target slice " + (t + 1), targets[t]);
		}
		if (encoderStarts != null && encoderStarts.length != targets.length) throw new IllegalArgumentException("one encoder start per target");
		int starts = s.restarts() + (encoderStarts == null ? 0 : 1);
		int perPass = Math.max(1, MAX_BATCH / starts);
		monitor.log(String.format("Projecting %d slice(s) into the %d-d latent of generator %s on %s: %d steps, learning rate %s, %d random restart(s)%s, "
				+ "prior weight %s, seed %d", targets.length, d, g.fingerprint(), g.device(), s.steps(), s.learningRate(), s.restarts(),
			encoderStarts == null ? "" : " + the encoder's posterior mean", s.priorWeight(), s.seed()));
		List<Result> out = new ArrayList<>();
		long total = (long) s.steps() * targets.length;
		for (int from = 0; from < targets.length; from += perPass) {
			int n = Math.min(perPass, targets.length - from);
			float[] z0 = new float[n * starts * d];
			float[] x = new float[n * starts * px];
			for (int t = 0; t < n; t++) {
				// one stream per target, so a target's starts do not depend on which others share its pass
				SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003L + from + t);
				for (int r = 0; r < starts; r++) {
					int row = t * starts + r;
					if (encoderStarts != null && r == 0) System.arraycopy(encoderStarts[from + t], 0, z0, row * d, d);
					else for (int i = 0; i < d; i++) z0[row * d + i] = (float) rnd.nextGaussian();
					System.arraycopy(targets[from + t], 0, x, row * px, px);
				}
			}
			int done = from;
			Best best = optimise(g, z0, x, n, starts, s, monitor, step -> monitor.progress((long) s.steps() * done + (long) step * n, total,
				"Projecting slices " + (done + 1) + "-" + (done + n) + " of " + targets.length + ": step " + step + "/" + s.steps()));
			for (int t = 0; t < n; t++) {
				float[][] rand = randomCodes(d, s.draws(), s.seed() * 1_000_003L + from + t);
				double randomMse = bestMse(g, rand, targets[from + t]);
				float[] img = g.images(best.z()[t])[0];
				out.add(new Result(best.z()[t], img, mse(img, targets[from + t]), randomMse, encoderStarts != null && best.start()[t] == 0));
			}
		}
		return out;
	}

	/** The first {@code n} N(0, I) codes of a target's stream: its random restarts' starting codes when n = restarts. */
	public static float[][] randomCodes(int d, int n, long streamSeed) {
		SplittableRandom rnd = new SplittableRandom(streamSeed);
		float[][] z = new float[n][d];
		for (float[] c : z) for (int i = 0; i < d; i++) c[i] = (float) rnd.nextGaussian();
		return z;
	}

	/** Per target of a pass: the best code and the index of the start it came from. */
	private record Best(float[][] z, int[] start) {}

	/**
	 * Adam on all rows of {@code z0} at once (row = target · starts + start); per target, the row with the lowest pixel
	 * MSE after the last step wins (the prior only guides the search).
	 */
	private static Best optimise(Generator g, float[] z0, float[] x, int n, int starts, Settings s, Monitor monitor,
		java.util.function.IntConsumer progress) {
		int d = g.latentDim(), size = g.imageSize(), rows = n * starts;
		float prior = (float) (s.priorWeight() / d), pixelScale = 1f / (size * size);
		try (NDManager work = g.manager().newSubManager()) {
			NDArray z = work.create(z0, new Shape(rows, d, 1, 1));
			z.setRequiresGradient(true);
			NDArray target = work.create(x, new Shape(rows, 1, size, size));
			Adam adam = new Adam(work, (float) s.learningRate(), 0.9f, 0.999f);
			for (int step = 0; step < s.steps(); step++) {
				monitor.checkCanceled();
				try (NDManager it = work.newSubManager()) {
					// z joins the step's manager until it closes, so every array the step derives from z is freed with it
					z.tempAttach(it);
					try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
						NDArray img = g.generate(z);
						NDArray pixel = Scalars.mul(img.sub(target).square().sum(new int[] {1, 2, 3}), pixelScale);
						NDArray loss = pixel.add(Scalars.mul(z.square().sum(new int[] {1, 2, 3}), prior)).sum();
						float l = loss.getFloat();
						if (!Float.isFinite(l))
							throw new ExplorerException("The projection diverged at step " + (step + 1) + " (loss " + l + "): the generator makes non-finite "
								+ "pixels from these codes. Lower learning_rate, raise prior_weight, or check the model.");
						gc.backward(loss);
					}
				}
				try (NDArray grad = z.getGradient()) {
					adam.update("z", z, grad);
				}
				progress.accept(step + 1);
			}
			float[] zs = z.toFloatArray();
			float[][] images = g.images(zs);
			Best out = new Best(new float[n][], new int[n]);
			for (int t = 0; t < n; t++) {
				int bestRow = -1;
				double bestMse = Double.POSITIVE_INFINITY;
				for (int r = 0; r < starts; r++) {
					int row = t * starts + r;
					double m = mse(images[row], java.util.Arrays.copyOfRange(x, row * size * size, (row + 1) * size * size));
					if (m < bestMse) {
						bestMse = m;
						bestRow = row;
					}
				}
				if (bestRow < 0)
					throw new ExplorerException("The projection of slice " + (t + 1) + " produced no finite image. Lower learning_rate or check the model.");
				out.z()[t] = java.util.Arrays.copyOfRange(zs, bestRow * d, (bestRow + 1) * d);
				out.start()[t] = bestRow - t * starts;
			}
			return out;
		}
	}

	/** The lowest pixel MSE any of {@code codes} reaches on {@code target} (no optimisation). */
	public static double bestMse(Generator g, float[][] codes, float[] target) {
		float[] flat = new float[codes.length * g.latentDim()];
		for (int i = 0; i < codes.length; i++) System.arraycopy(codes[i], 0, flat, i * g.latentDim(), g.latentDim());
		double best = Double.POSITIVE_INFINITY;
		for (float[] img : g.images(flat)) best = Math.min(best, mse(img, target));
		return best;
	}

	/** Mean squared difference, NaN-safe: a non-finite pixel makes the result +∞ (never the best). */
	public static double mse(float[] a, float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			double e = a[i] - b[i];
			s += e * e;
		}
		double m = s / a.length;
		return Double.isFinite(m) ? m : Double.POSITIVE_INFINITY;
	}
}
