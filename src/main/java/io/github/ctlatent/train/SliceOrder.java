package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.ctlatent.engine.Scalars;

/**
 * The slice-order hinge on latent axis 0, for slice-pair training ("uses slice order"): two slices of one scan must
 * be ordered on axis 0 as they are along the scan, apart by their share of a band of prior units.
 * <p>
 * Why: Ada-GVAE pairs teach that neighbouring slices differ in few dimensions, but not that the position they differ
 * in is one straight line. Measured on the phantom, the VAE's position axis folds back on itself (posterior mean −8 →
 * +3 → −6 from head to feet), so no straight walk in the latent space scrolls through more than about a third of the
 * body. A hinge on the order forbids the fold.
 * <p>
 * For pair i with signed offset f_i (how far the second slice lies from the first, as a fraction of the volume's
 * slices; 0: not two slices) and the encoder's posterior means μ on axis 0, with d_i = μ₀(second) − μ₀(first) and
 * s_i = sign(f_i):
 * <pre>  hinge = Σ_i [max(0, MIN·|f_i| − s_i·d_i) + max(0, s_i·d_i − MAX·|f_i|)] / #{i : f_i ≠ 0}</pre>
 * The lower edge asks a whole volume to span at least MIN = span − 1 prior units (without it, a nearly flat axis
 * would satisfy the order and carry no position at all); the upper edge at most MAX = span + 1, so that the body
 * fits the ±3 a traversal walks by default: with the KL weight of the CPU recipe (0.001) nothing else holds it, and
 * measured on the one-scan phantom, the ordered axis spread over 14.6 units, so a ±3 walk covered a third of the
 * body. Between the edges the spacing is the model's.
 */
final class SliceOrder {

	/**
	 * Prior units a whole volume spans on axis 0 by default, ± {@link #TOLERANCE}: 8 to 10, so that a default ±3 walk
	 * covers well over half of the body yet a walk from a base in the middle stays inside it. Measured on the one-scan
	 * phantom: at 4–6 the walk covered 95% of the body but ran past its ends, where the decoder's frames jump (|ρ| 0.77,
	 * step CV 3.8); left free (lower edge 4 only), the axis spread over 14.6 units and a walk covered 32%; at 10–12 (the
	 * rule before) 45–65%, short of half the body with partners from the whole volume; at 8–10 with swapped pairs
	 * ({@link PairSharing}) 59%, step CV 0.94 (docs/results-evaluation.md, "Where position hides").
	 */
	static final float DEFAULT_SPAN = 9f;

	/** How far a volume's spread may lie from the span asked, in prior units, before the hinge pushes. */
	static final float TOLERANCE = 1f;

	private SliceOrder() {}

	/**
	 * The hinge on latent axis {@code axis} (0, the position; or a known geometric change's axis: {@link
	 * AdaptiveAveraging}), a whole volume (or range of the change) spanning {@code span} ± {@link #TOLERANCE} prior units.
	 *
	 * @param mu      (2n, d, …) posterior means, the n first images then their n partners
	 * @param offsets (n) signed offsets as fractions of the volume (see the class comment)
	 * @return the mean hinge over the pairs with an offset (a scalar; 0 when there are none)
	 */
	static NDArray hinge(NDArray mu, NDArray offsets, int axis, float span) {
		long n = mu.getShape().get(0) / 2;
		NDArray onAxis = mu.reshape(2 * n, -1).get(new NDIndex(":, {}", axis)); // the encoder gives (2n, d, 1, 1)
		NDArray d = onAxis.get(n + ":").sub(onAxis.get(":" + n));
		NDArray along = offsets.sign().mul(d), distance = offsets.abs();
		NDArray tooClose = Scalars.maximum(Scalars.mul(distance, span - TOLERANCE).sub(along), 0f);
		NDArray tooFar = Scalars.maximum(along.sub(Scalars.mul(distance, span + TOLERANCE)), 0f);
		// the pairs this hinge is about: those with an offset (slice pairs on axis 0, one change's pairs on its axis)
		return meanOverCounted(tooClose.add(tooFar), offsets);
	}

	/**
	 * The pull that keeps a slice pair's codes together beyond the position axis: per slice pair (offset ≠ 0), the
	 * squared distance of the two posterior means summed over every dimension but axis 0; the mean over slice pairs
	 * (0 when there are none). Geometric pairs are not counted: their change has an axis of its own.
	 * <p>
	 * Why: sharing (average or swap) only removes the decoder's reason to read position elsewhere; the encoder may still
	 * write it there. Measured on 200 phantom patients with known geometric axes (kl_weight 0.003), axis 0 was linear in
	 * the slice position (8.2 units per volume), yet the other 31 dimensions told the position within a volume with
	 * R² 0.98: a walk along axis 0 with them held at a base's values gave the decoder two positions, and the oracle's z
	 * moved over a third of the body where axis 0 alone would have carried it over two thirds.
	 *
	 * @param mu      (2n, d, …) posterior means, the n first images then their n partners
	 * @param offsets (n) signed offsets as fractions of the volume (0: not two slices)
	 */
	static NDArray invariance(NDArray mu, NDArray offsets) {
		long n = mu.getShape().get(0) / 2;
		NDArray flat = mu.reshape(2 * n, -1);
		NDArray distance = flat.get(n + ":, 1:").sub(flat.get(":" + n + ", 1:")).square().sum(new int[] {1});
		return meanOverCounted(distance, offsets);
	}

	/** The mean of {@code perPair} over the pairs with an offset (≠ 0); 0 when there are none. */
	private static NDArray meanOverCounted(NDArray perPair, NDArray offsets) {
		NDArray counted = offsets.neq(0f).toType(offsets.getDataType(), false);
		return perPair.mul(counted).sum().div(Scalars.maximum(counted.sum(), 1f));
	}
}
