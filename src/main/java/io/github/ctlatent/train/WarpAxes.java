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
 * Known warp axes for the GAN ({@code warp_weight}): a step along latent axis {@code 1 + c} must move the generated
 * image as the geometric change c of {@link SlicePairs.Change} would — in-plane rotation, vertical shift, horizontal
 * and vertical scale, in that order after axis 0.
 *
 * <p>Why: the VAE gets its known geometric axes from augmentation pairs read by its encoder ({@code geometry_axes});
 * a GAN has no encoder, so the same knowledge goes into the generator directly. For codes z of the batch and a step t
 * along one of those axes, G(z + t·e) is pulled towards the generated image G(z) warped by t / {@link #RANGE} of the
 * change's range (so a walk of ±RANGE, the evaluator's, reaches the phantom's whole half-range: ±15°, ±25 mm, ×0.85–1.15,
 * ×0.87–1.13). No labels: the warps are image operations, the same for any scan.
 *
 * <p>The target is the fake batch the discriminator judges (training mode), detached: it is realistic, so the
 * generator cannot meet the pull by drawing nothing. The walked image comes from the generator in eval mode, the
 * function discovery and the traversals use (its running statistics), as for {@link LatentPenalty}.
 *
 * @param weight its weight in the generator's loss (0: off)
 */
public record WarpAxes(float weight) {

	/** Off: the paper's training. */
	public static final WarpAxes OFF = new WarpAxes(0);

	/** A step of ±RANGE prior units is the change's whole half-range: the evaluator's and the traversals' default T. */
	public static final float RANGE = 3f;

	/** Walked codes per iteration (the first of the fake batch). */
	public static final int CODES = 16;

	/** The latent axes it fixes: 1 … this (axis 0 stays free, as the VAE's position axis). */
	public static int lastAxis() {
		return axisOf(SlicePairs.Change.values().length - 1);
	}

	/** The latent axis of geometric change {@code c} (its ordinal): the first after axis 0, as the VAE's geometric axes. */
	public static int axisOf(int change) {
		return 1 + change;
	}

	public WarpAxes {
		if (!(weight >= 0) || Float.isInfinite(weight)) throw new IllegalArgumentException("the warp weight must be 0 or more, finite: " + weight);
	}

	public boolean on() {
		return weight > 0;
	}

	/**
	 * The unweighted penalty: mean squared difference between G(z + t·e_k) (eval mode, gradient-carrying) and the warp
	 * of {@code images} (the batch G(z) drawn in training mode, detached here) for the first {@link #CODES} rows of
	 * {@code z} (B, d, 1, 1), each with an axis drawn uniformly from 1…{@link #lastAxis()} and t uniform in ±RANGE.
	 */
	static NDArray penalty(Block generator, ParameterStore ps, NDManager it, NDArray z, NDArray images, SplittableRandom rng) {
		Shape zs = z.getShape(), is = images.getShape();
		int n = (int) Math.min(CODES, zs.get(0)), d = (int) (zs.size() / zs.get(0)), c = (int) is.get(1), size = (int) is.get(2), plane = size * size;
		float[] drawn = images.get("0:" + n).stopGradient().toFloatArray(), target = new float[drawn.length], step = new float[n * d];
		SlicePairs.Change[] changes = SlicePairs.Change.values();
		for (int i = 0; i < n; i++) {
			int k = rng.nextInt(changes.length);
			double t = rng.nextDouble(-RANGE, RANGE);
			step[i * d + axisOf(k)] = (float) t;
			for (int ch = 0; ch < c; ch++) {
				int at = (i * c + ch) * plane;
				SlicePairs.warp(changes[k], t / RANGE, Arrays.copyOfRange(drawn, at, at + plane), size, target, at);
			}
		}
		NDArray codes = z.get("0:" + n).stopGradient().add(it.create(step, withBatch(zs, n)));
		NDArray walked = generator.forward(ps, new NDList(codes), false).singletonOrThrow();
		return walked.sub(it.create(target, walked.getShape())).square().mean();
	}

	private static Shape withBatch(Shape s, int n) {
		long[] dims = s.getShape();
		dims[0] = n;
		return new Shape(dims);
	}

	/** The card's words for it (null when off). */
	String describe() {
		if (!on()) return null;
		return weight + " * known warp axes: latent axes 1-" + lastAxis() + " = rotation, vertical shift, x-scale, y-scale; " + CODES
			+ " codes of the fake batch per iteration, each stepped along one of them by t uniform in +-" + RANGE + "; mean squared difference "
			+ "between G(z + t e) (eval mode) and G(z) (the judged fake, detached) warped by t/" + RANGE + " of the change's range; uses no labels";
	}
}
