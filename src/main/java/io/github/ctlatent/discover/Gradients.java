package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Checks and resets of a parameter's accumulated gradient (libtorch accumulates across backward passes). */
final class Gradients {

	private Gradients() {}

	/** True when every element of {@code parameter}'s gradient is finite. */
	static boolean finite(NDArray parameter) {
		// every handle closed: they live on the parameter's manager, which outlives the run
		try (NDArray g = parameter.getGradient(); NDArray abs = g.abs(); NDArray sum = abs.sum()) {
			return Float.isFinite(sum.getFloat());
		}
	}

	/** Sets the gradient to zero; unlike {@code g − g}, this also clears NaN and ±Inf. */
	static void clear(NDArray parameter) {
		try (NDArray g = parameter.getGradient()) {
			g.set(new NDIndex("..."), 0f);
		}
	}
}
