package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.ctlatent.engine.Scalars;

/**
 * Ada-GVAE's posterior sharing (Locatello et al., ICML 2020, "Weakly-Supervised Disentanglement Without
 * Compromises"): for a pair of images that differ in a few unknown factors, the latent dimensions whose posteriors
 * barely differ are taken to be the unchanged factors and get one shared posterior.
 * <p>
 * Per pair and dimension j, δ_j = KL(q(z_j|x1) ‖ q(z_j|x2)) of the two diagonal Gaussians; the threshold is
 * τ = (max_j δ_j + min_j δ_j) / 2 of that pair; every dimension with δ_j &lt; τ gets, in both posteriors, the
 * average of the two: mean (μ1 + μ2)/2 and variance (σ1² + σ2²)/2. The others keep their own. The choice is a
 * mask (no gradient); the gradient flows through the averaged values.
 * <p>
 * With a position axis ({@link #apply(NDArray, NDArray, float[])}), the changed factor of a pair is known, as in
 * Locatello et al.'s GVAE with known factors: two slices of one volume differ in their position along the body
 * alone (everything else about a scan — the patient, the scanner, the augmentation draw the pair shares — is the
 * same), so every dimension but axis 0 is shared; a pair made by a geometric change keeps the adaptive choice and
 * also shares axis 0 (its position did not change). With the geometric changes known as well
 * ({@link #apply(NDArray, NDArray, float[], boolean, float[][])}), each change c has its own axis {@code 1 + c} (1
 * rotation, 2 vertical shift, 3 x-scale, 4 y-scale: {@link io.github.ctlatent.data.SlicePairs.Change}) and a pair
 * made by it shares every dimension but that one: the same known-factor rule, for the changes the tool itself made.
 */
final class AdaptiveAveraging {

	/**
	 * Both posteriors after sharing, stacked as the batch is (rows 0..n−1 the first images, n..2n−1 their partners),
	 * and the mean number of shared dimensions per pair (a figure for the log).
	 */
	record Shared(NDArray mu, NDArray logvar, float sharedPerPair) {}

	private AdaptiveAveraging() {}

	/** @param mu, logvar (2n, d, …): the encoder's posteriors of a pair batch, first images then partners */
	static Shared apply(NDArray mu, NDArray logvar) {
		return apply(mu, logvar, null);
	}

	/**
	 * As above, with axis 0 the position axis when {@code offsets} (per pair: the partner's signed offset along its
	 * volume, 0 when the pair is not two slices) is given; null: the adaptive choice for every pair.
	 */
	static Shared apply(NDArray mu, NDArray logvar, float[] offsets) {
		return apply(mu, logvar, offsets, false);
	}

	/**
	 * As above; with {@code swap}, a slice pair's two images exchange their posteriors on every dimension but axis 0
	 * instead of both taking the average (geometric pairs still average). Why: an average of two slices' codes still
	 * tells the decoder roughly where the pair lies, so the encoder keeps writing position into the shared dimensions
	 * and a walk along axis 0 with the others held fixed meets conflicting cues (measured on the one-scan phantom: the
	 * frames jump over a third of the body). The partner's code tells nothing about this slice's position that the
	 * volume does not, so position has to live on axis 0 alone.
	 */
	static Shared apply(NDArray mu, NDArray logvar, float[] offsets, boolean swap) {
		return apply(mu, logvar, offsets, swap, null);
	}

	/**
	 * As above; {@code changes} (per change, per pair: its signed size, 0 where the pair is not that change;
	 * {@link io.github.ctlatent.data.SliceBatches#pairChanges()}), when given with {@code offsets}, gives every
	 * geometric pair its known axis instead of the adaptive choice.
	 */
	static Shared apply(NDArray mu, NDArray logvar, float[] offsets, boolean swap, float[][] changes) {
		if (changes != null && offsets == null) throw new IllegalArgumentException("known geometric axes need the pairs' offsets as well (axis 0 is the position)");
		if (swap && offsets == null) throw new IllegalArgumentException("swapping needs the pairs' offsets: which pairs are slice pairs");
		long n = mu.getShape().get(0) / 2;
		NDArray mu1 = mu.get("0:" + n), mu2 = mu.get(n + ":"), lv1 = logvar.get("0:" + n), lv2 = logvar.get(n + ":");
		NDArray var1 = lv1.exp(), var2 = lv2.exp();
		// KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) per dimension
		NDArray kl = Scalars.mul(lv2.sub(lv1).add(var1.add(mu1.sub(mu2).square()).div(var2)).sub(1), 0.5f).stopGradient();
		NDArray tau = Scalars.mul(kl.max(new int[] {1}, true).add(kl.min(new int[] {1}, true)), 0.5f);
		NDArray share = kl.lt(tau);
		if (changes != null) share = allBut(share, knownAxes(changes, offsets.length));
		else if (offsets != null) share = knownFactor(share, offsets);
		NDArray muAvg = Scalars.mul(mu1.add(mu2), 0.5f), lvAvg = Scalars.mul(var1.add(var2), 0.5f).log();
		// what each image takes on a shared dimension: the average, or with swap the partner's own on a slice pair's
		NDArray mu1Shared = muAvg, mu2Shared = muAvg, lv1Shared = lvAvg, lv2Shared = lvAvg;
		if (swap) {
			NDArray swapped = perPairAndDimension(mu1, offsets, (slicePair, j) -> slicePair && j > 0);
			mu1Shared = NDArrays.where(swapped, mu2, muAvg);
			mu2Shared = NDArrays.where(swapped, mu1, muAvg);
			lv1Shared = NDArrays.where(swapped, lv2, lvAvg);
			lv2Shared = NDArrays.where(swapped, lv1, lvAvg);
		}
		NDArray m = NDArrays.concat(new NDList(NDArrays.where(share, mu1Shared, mu1), NDArrays.where(share, mu2Shared, mu2)));
		NDArray lv = NDArrays.concat(new NDList(NDArrays.where(share, lv1Shared, lv1), NDArrays.where(share, lv2Shared, lv2)));
		float shared = share.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum().getFloat() / n;
		return new Shared(m, lv, shared);
	}

	/** The sharing mask with axis 0 as the position: slice pairs share all but it, other pairs share it as well. */
	private static NDArray knownFactor(NDArray adaptive, float[] offsets) {
		// the adaptive choice still counts on a geometric pair's dimensions beyond axis 0; shared regardless are a slice
		// pair's dimensions beyond axis 0 and a geometric pair's axis 0
		NDArray adaptiveCounts = perPairAndDimension(adaptive, offsets, (slicePair, j) -> !slicePair && j > 0);
		NDArray shared = perPairAndDimension(adaptive, offsets, (slicePair, j) -> slicePair == (j > 0));
		return adaptive.logicalAnd(adaptiveCounts).logicalOr(shared);
	}

	/**
	 * Per pair, the one axis it keeps its own: 0 for a slice pair (and a pair that is neither, which then shares
	 * everything but the position), {@code 1 + c} for a pair made by geometric change c.
	 */
	private static int[] knownAxes(float[][] changes, int n) {
		int[] axis = new int[n];
		for (int c = 0; c < changes.length; c++)
			for (int i = 0; i < n; i++) if (changes[c][i] != 0) axis[i] = axisOf(c);
		return axis;
	}

	/** The latent axis of geometric change {@code change} (its ordinal): the first after the position axis 0. */
	static int axisOf(int change) {
		return 1 + change;
	}

	/** Which (pair, dimension) a mask holds, from whether the pair is two slices (offset ≠ 0) and the dimension j. */
	private interface PairDimension {
		boolean test(boolean slicePair, int j);
	}

	/** A boolean mask shaped like {@code like} (n, d, …): per pair i and dimension j, {@code rule} of that pair and j. */
	private static NDArray perPairAndDimension(NDArray like, float[] offsets, PairDimension rule) {
		return mask(like, offsets.length, (i, j) -> rule.test(offsets[i] != 0, j));
	}

	/** The mask that shares, per pair i, every dimension but {@code keep[i]}. */
	private static NDArray allBut(NDArray like, int[] keep) {
		return mask(like, keep.length, (i, j) -> j != keep[i]);
	}

	private interface IndexRule {
		boolean test(int pair, int j);
	}

	private static NDArray mask(NDArray like, int n, IndexRule rule) {
		int d = (int) (like.getShape().size() / n);
		boolean[] mask = new boolean[n * d];
		for (int i = 0; i < n; i++)
			for (int j = 0; j < d; j++) mask[i * d + j] = rule.test(i, j);
		return like.getManager().create(mask).reshape(like.getShape());
	}
}
