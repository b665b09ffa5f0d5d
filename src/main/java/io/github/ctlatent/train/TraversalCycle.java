package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.model.ResNetVae;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The traversal cycle ({@code cycle_weight}): a walk along one latent axis, decoded and read back by the encoder,
 * must leave every other axis where the encoder reads the walk's start.
 *
 * <p>Why: the evaluator walks each axis by ±{@link #RANGE} from posterior means and prior draws, and a walk that moves
 * one factor drags others along (the position axis moves `fat` and `height` with `z`, docs/results-evaluation.md). The
 * encoder is trained on real slices only, so it reads a decoded image by the codes real slices of that look would
 * have: when a walk along axis k also changes what the encoder puts on axis j, the decoder drew more than axis k's
 * change. The penalty is the squared change, from the decoded start to the decoded end of the walk, of the encoder's
 * posterior mean on every axis but the walked one, summed over them. Not on the walked axis itself: an axis the model
 * barely uses cannot be read back ±3 units away, and asking for it only fought the reconstruction (measured: 300
 * iterations at weight 0.3 left the held-out error above the mean image's). Read from the decoded start rather than
 * the code, so that the round trip's own error is not charged. It trains the decoder only (the encoder's gradient
 * from it is discarded), so that the reader cannot learn to agree with the drawing. No labels: only the model's own
 * encoder.
 *
 * @param weight its weight in the loss (0: off)
 */
public record TraversalCycle(float weight) {

	/** Off: the paper's training. */
	public static final TraversalCycle OFF = new TraversalCycle(0);

	/** Walks reach ±RANGE prior units, the evaluator's and the traversal commands' default T. */
	public static final float RANGE = 3f;

	/** Walked codes per iteration (the first posterior means of the batch): a quarter to a half of a batch's cost again. */
	public static final int CODES = 16;

	public TraversalCycle {
		if (!(weight >= 0) || Float.isInfinite(weight)) throw new IllegalArgumentException("the traversal-cycle weight must be 0 or more, finite: " + weight);
	}

	public boolean on() {
		return weight > 0;
	}

	/**
	 * The unweighted penalty for walks from the first {@link #CODES} rows of {@code means} (posterior means, detached
	 * by the caller), each along one axis drawn uniformly, by t uniform in ±{@link #RANGE}; differentiable through the
	 * decoder (training mode) and the encoder (eval mode, as it reads at evaluation).
	 */
	static NDArray penalty(ResNetVae vae, ParameterStore ps, NDManager it, NDArray means, SplittableRandom rng) {
		int n = (int) Math.min(CODES, means.getShape().get(0)), d = (int) (means.getShape().size() / means.getShape().get(0));
		float[] step = new float[n * d], others = new float[n * d];
		Arrays.fill(others, 1f);
		for (int i = 0; i < n; i++) {
			int k = rng.nextInt(d);
			step[i * d + k] = (float) rng.nextDouble(-RANGE, RANGE);
			others[i * d + k] = 0f;
		}
		// the encoder gives and the decoder takes (n, d, 1, 1): bases and walks decoded together, read flat. The decoder runs
		// in training mode, as in the ELBO's pass: in eval mode its batch norms use running statistics that the ELBO never
		// trains against, and the decoder learnt to draw nothing there (walks that change nothing cost nothing; measured:
		// 300 iterations at weight 1 left an eval-mode held-out error of 0.12 against a training one of 0.02)
		NDArray bases = means.get("0:" + n).reshape(n, d, 1, 1);
		NDArray codes = bases.concat(bases.add(it.create(step, new Shape(n, d, 1, 1))), 0);
		NDArray read = vae.encode(ps, vae.decode(ps, codes, true), false).mu().reshape(2 * n, d);
		NDArray moved = read.get(n + ":").sub(read.get("0:" + n)).mul(it.create(others, new Shape(n, d)));
		return moved.square().sum(new int[] {1}).mean();
	}

	/** The card's words for it (null when off). */
	String describe() {
		if (!on()) return null;
		return weight + " * traversal cycle: " + CODES + " posterior means per batch, each walked along one latent axis drawn uniformly by t uniform "
			+ "in +-" + RANGE + "; start and end decoded together (training mode) and encoded again (eval mode); the squared change of the encoder's mean on every "
			+ "other axis, summed over them, mean over walks; trains the decoder only";
	}
}
