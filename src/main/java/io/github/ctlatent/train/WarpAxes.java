package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.data.SlicePairs;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Known warp axes ({@code warp_weight}): a step along latent axis {@code 1 + c} must move the drawn image as the
 * geometric change c of {@link SlicePairs.Change} would — in-plane rotation, vertical shift, horizontal and vertical
 * scale, in that order after axis 0.
 *
 * <p>Why: the evaluator walks each axis and charges every factor the walk moves besides its own. The VAE's known
 * geometric axes ({@code geometry_axes}) come from augmentation pairs read by its encoder, which orders the codes but
 * does not say what the decoder draws along them: those axes leaked 0.2–0.9σ of other factors. This pull says it
 * directly, and a GAN, which has no encoder, gets its geometric axes from it alone. For codes z and a step t along one
 * of the axes, the image drawn at z + t·e is pulled towards the image drawn at z warped by t / {@link #reach()} of the
 * change's half-range (±15°, ±25 mm, ×0.85–1.15, ×0.87–1.13 at amount ±1). No labels: the warps are image operations,
 * the same for any scan.
 *
 * <p>The target is detached: the pull trains the walked image, never the one it starts from, so the drawing cannot
 * meet it by drawing nothing. Which images and modes are the caller's ({@link GanStep}: the judged fake batch and
 * the generator in eval mode; {@link VaeStep}: posterior means decoded with their walks in one training-mode batch).
 *
 * @param weight its weight in the loss (0: off)
 * @param reach  prior units that the whole half-range of a change spans: {@link #RANGE} for a GAN (a walk of ±RANGE,
 *               the evaluator's, then reaches the whole half-range); for a VAE with known geometric axes, the span
 *               its encoder's hinge gives a half-range ({@code order_span} / 2), so that the pull and the hinge agree
 */
public record WarpAxes(float weight, float reach) {

	/** Off: the paper's training. */
	public static final WarpAxes OFF = new WarpAxes(0, 3f);

	/** Walks reach ±RANGE prior units, the evaluator's and the traversals' default T. */
	public static final float RANGE = 3f;

	/** Walked codes per iteration (the first of the batch). */
	public static final int CODES = 16;

	/** One iteration's walks: per code, its step along one axis (shaped like the codes) and the change it stands for. */
	record Walks(NDArray step, SlicePairs.Change[] change, double[] t) {
		int n() {
			return change.length;
		}
	}

	/** The latent axes it fixes: 1 … this, the VAE's geometric axes ({@link AdaptiveAveraging#axisOf}; axis 0 stays free, the VAE's position axis). */
	public static int lastAxis() {
		return AdaptiveAveraging.axisOf(SlicePairs.Change.values().length - 1);
	}

	public WarpAxes {
		if (!(weight >= 0) || Float.isInfinite(weight)) throw new IllegalArgumentException("the warp weight must be 0 or more, finite: " + weight);
		if (!(reach > 0) || Float.isInfinite(reach)) throw new IllegalArgumentException("the warp reach must be above 0, finite: " + reach);
	}

	/** A GAN's: the whole half-range at ±{@link #RANGE}. */
	public static WarpAxes of(float weight) {
		return new WarpAxes(weight, RANGE);
	}

	public boolean on() {
		return weight > 0;
	}

	/** Walks for the first {@link #CODES} of {@code codes} (B, d, …): per code an axis drawn uniformly from 1…{@link #lastAxis()}, t uniform in ±RANGE. */
	static Walks draw(NDManager it, Shape codes, SplittableRandom rng) {
		int n = (int) Math.min(CODES, codes.get(0)), d = (int) (codes.size() / codes.get(0));
		SlicePairs.Change[] all = SlicePairs.Change.values(), change = new SlicePairs.Change[n];
		double[] t = new double[n];
		float[] step = new float[n * d];
		for (int i = 0; i < n; i++) {
			change[i] = all[rng.nextInt(all.length)];
			t[i] = rng.nextDouble(-RANGE, RANGE);
			step[i * d + AdaptiveAveraging.axisOf(change[i].ordinal())] = (float) t[i];
		}
		long[] dims = codes.getShape();
		dims[0] = n;
		return new Walks(it.create(step, new Shape(dims)), change, t);
	}

	/**
	 * The unweighted pull: the mean squared difference between {@code walked} (the n images drawn at the walks' ends,
	 * gradient-carrying) and {@code from} (the n images drawn at their starts, detached here) warped as the walks say.
	 */
	NDArray penalty(NDManager it, Walks w, NDArray from, NDArray walked) {
		Shape s = from.getShape();
		int c = (int) s.get(1), size = (int) s.get(2), plane = size * size;
		float[] drawn = from.stopGradient().toFloatArray(), target = new float[drawn.length];
		for (int i = 0; i < w.n(); i++)
			for (int ch = 0; ch < c; ch++) {
				int at = (i * c + ch) * plane;
				SlicePairs.warp(w.change()[i], w.t()[i] / reach, Arrays.copyOfRange(drawn, at, at + plane), size, target, at);
			}
		return walked.sub(it.create(target, walked.getShape())).square().mean();
	}

	/**
	 * The GAN's pull: G(z + t·e) with the generator in eval mode (the function discovery and walks use) against the
	 * judged fake batch {@code images} = G(z) in training mode, for the first {@link #CODES} codes of {@code z} (B, d, 1, 1).
	 */
	NDArray generatorPenalty(Block generator, ParameterStore ps, NDManager it, NDArray z, NDArray images, SplittableRandom rng) {
		Walks w = draw(it, z.getShape(), rng);
		NDArray walked = generator.forward(ps, new NDList(z.get("0:" + w.n()).stopGradient().add(w.step())), false).singletonOrThrow();
		return penalty(it, w, images.get("0:" + w.n()), walked);
	}

	/** The card's words for it (null when off). */
	String describe() {
		if (!on()) return null;
		return weight + " * known warp axes: latent axes 1-" + lastAxis() + " = rotation, vertical shift, x-scale, y-scale; " + CODES
			+ " codes per iteration, each stepped along one of them by t uniform in +-" + RANGE + "; mean squared difference between the image drawn at "
			+ "z + t e and the one drawn at z (detached) warped by t/" + reach + " of the change's half-range; uses no labels";
	}
}
