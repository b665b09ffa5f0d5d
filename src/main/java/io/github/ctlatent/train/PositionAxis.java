package io.github.ctlatent.train;

/**
 * What pair training does to make latent axis 0 the position along the body (Train VAE's {@code order_weight},
 * {@code order_span}, {@code pair_sharing}, {@code geometry_axes}, {@code invariance_weight}); {@link #OFF}: nothing, plain Ada-GVAE pairs.
 *
 * @param orderWeight      weight of the slice-order hinge on axis 0 ({@link SliceOrder}); 0: no position axis
 * @param span             prior units a whole volume spans on axis 0 (± {@link SliceOrder#TOLERANCE}; the hinge's band)
 * @param sharing          what a slice pair's two images take on every dimension but axis 0 ({@link PairSharing})
 * @param geometryAxes     each geometric change of a pair on its own known axis after the position ({@link AdaptiveAveraging})
 * @param invarianceWeight weight of the pull that keeps a slice pair's posterior means together on every dimension but
 *                         axis 0 ({@link SliceOrder#invariance}); 0: off
 */
public record PositionAxis(float orderWeight, float span, PairSharing sharing, boolean geometryAxes, float invarianceWeight) {

	public static final PositionAxis OFF = new PositionAxis(0f, SliceOrder.DEFAULT_SPAN, PairSharing.AVERAGE, false, 0f);

	public PositionAxis {
		if (!(orderWeight >= 0) || !(invarianceWeight >= 0)) throw new IllegalArgumentException("weights must be 0 or more: " + orderWeight + ", " + invarianceWeight);
		if (!(span > 2 * SliceOrder.TOLERANCE)) throw new IllegalArgumentException("a volume must span more than " + 2 * SliceOrder.TOLERANCE + " prior units: " + span);
		if (sharing == null) throw new IllegalArgumentException("sharing must be given (PairSharing.AVERAGE is Ada-GVAE's)");
		if (orderWeight == 0 && sharing == PairSharing.SWAP) throw new IllegalArgumentException("swapping needs the position axis (an order weight above 0)");
		if (orderWeight == 0 && geometryAxes) throw new IllegalArgumentException("known geometric axes need the position axis (an order weight above 0)");
		if (orderWeight == 0 && invarianceWeight > 0) throw new IllegalArgumentException("the invariance pull needs the position axis (an order weight above 0)");
	}

	/** Axis 0 held to the slice order by a hinge of {@code weight}, slice pairs averaging every other dimension. */
	public static PositionAxis ordered(float weight) {
		return new PositionAxis(weight, SliceOrder.DEFAULT_SPAN, PairSharing.AVERAGE, false, 0f);
	}

	public PositionAxis withSpan(float units) { return new PositionAxis(orderWeight, units, sharing, geometryAxes, invarianceWeight); }
	public PositionAxis withSharing(PairSharing s) { return new PositionAxis(orderWeight, span, s, geometryAxes, invarianceWeight); }
	public PositionAxis withGeometryAxes(boolean known) { return new PositionAxis(orderWeight, span, sharing, known, invarianceWeight); }
	public PositionAxis withInvariance(float weight) { return new PositionAxis(orderWeight, span, sharing, geometryAxes, weight); }

	/** Whether axis 0 is the position at all (an order weight above 0). */
	public boolean on() {
		return orderWeight > 0;
	}

	/** The card's words for the losses beyond Ada-GVAE's (null when off). */
	String describe() {
		if (!on()) return null;
		return orderWeight + " * slice-order hinge on latent axis 0: per slice pair, with a = sign(f) * (mu0(second) - mu0(first)) "
			+ "and f the second slice's signed offset as a fraction of its volume, max(0, " + (span - SliceOrder.TOLERANCE) + " * |f| - a) + max(0, a - "
			+ (span + SliceOrder.TOLERANCE) + " * |f|); mean over slice pairs; " + sharing.describe()
			+ (geometryAxes ? "; geometric changes known: a pair made by rotation / vertical shift / x-scale / y-scale keeps latent axis 1 / 2 / 3 / 4 alone "
				+ "and shares every other dimension, and the same hinge orders that axis with f = half the change's signed share of its range" : "")
			+ (invarianceWeight > 0 ? "; plus " + invarianceWeight + " * invariance: per slice pair, the squared distance of the encoder's posterior means "
				+ "summed over every dimension but axis 0, mean over slice pairs" : "");
	}
}
