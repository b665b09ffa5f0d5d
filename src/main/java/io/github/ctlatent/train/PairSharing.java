package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/**
 * What a slice pair's two images take on the dimensions they share when latent axis 0 is the position
 * ({@code order_weight} above 0; {@link AdaptiveAveraging}): Ada-GVAE's average, or each the partner's own posterior.
 */
public enum PairSharing {
	/** Both images get the average of the two posteriors (Ada-GVAE; the default). */
	AVERAGE("average"),
	/** Each image gets its partner's posterior: nothing about its own position reaches the decoder but axis 0. */
	SWAP("swap");

	public final String key;

	PairSharing(String key) {
		this.key = key;
	}

	public static PairSharing parse(String key) {
		String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
		if (k.isEmpty()) return AVERAGE;
		for (PairSharing p : values()) if (p.key.equals(k)) return p;
		throw new ExplorerException("Unknown pair_sharing='" + key + "'. Use average (Ada-GVAE: both slices of a pair get the average posterior on the "
			+ "dimensions they share) or swap (each gets its partner's; needs order_weight above 0).");
	}

	/** The card's words for a slice pair's dimensions beyond axis 0. */
	String describe() {
		return this == SWAP ? "slice pairs swap their posteriors on every dimension but axis 0 (each image is decoded with its partner's there)"
			: "slice pairs share every dimension but axis 0";
	}
}
