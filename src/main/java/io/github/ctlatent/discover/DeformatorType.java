package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;

import java.util.Arrays;
import java.util.Locale;

/** How K learnable directions map a one-hot shift ε·e_k to a latent shift (docs/method.md §4.2). */
public enum DeformatorType {
	/** Dense layer K→d with bias: shift = ε·a_k + b (so shift(0) = b ≠ 0). K may exceed d. */
	LINEAR,
	/**
	 * The same dense layer, output rescaled to ‖shift‖ = |ε| exactly: shift = |ε|·(ε·a_k + b)/‖ε·a_k + b‖. Because of
	 * the bias, +ε and −ε are not exact opposites and the direction tilts slightly with |ε| (as in the original).
	 * The paper's default ("Unit" / "100" runs). K may exceed d.
	 */
	PROJ,
	/** Orthonormal directions, columns of expm(M − Mᵀ) with M learnable (K = d): shift = ε·a_k. */
	ORTHO,
	/** Coordinate axes (A = I, K ≤ d); a baseline, only the reconstructor trains. */
	ID,
	/** A fixed random orthonormal set (K ≤ d); a baseline, only the reconstructor trains. */
	RANDOM;

	public boolean trainable() {
		return this == LINEAR || this == PROJ || this == ORTHO;
	}

	public boolean hasBias() {
		return this == LINEAR || this == PROJ;
	}

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Checks that K directions fit this type in a d-dimensional latent space. */
	public void checkShape(int directions, int latentDim) {
		if (directions < 1) throw new ExplorerException("The number of directions must be at least 1, got " + directions + ".");
		if (this == ORTHO && directions != latentDim)
			throw new ExplorerException("The ortho deformator needs as many directions as latent dimensions (" + latentDim
				+ "), got " + directions + ". Set directions=" + latentDim + " or use proj/linear.");
		if ((this == ID || this == RANDOM) && directions > latentDim)
			throw new ExplorerException("The " + id() + " baseline has at most " + latentDim + " directions (the latent size), got "
				+ directions + ".");
	}

	public static DeformatorType parse(String s) {
		try {
			return valueOf(s.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new ExplorerException("Unknown deformator '" + s + "'. Use one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ".");
		}
	}
}
