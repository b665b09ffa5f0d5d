package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Checks, resets and copies of a parameter's accumulated gradient (libtorch accumulates across backward passes). */
public final class Gradients {

	private Gradients() {}

	/** True when every element of {@code parameter}'s gradient is finite. */
	public static boolean finite(NDArray parameter) {
		// every handle closed: they live on the parameter's manager, which outlives the run
		try (NDArray g = parameter.getGradient(); NDArray abs = g.abs(); NDArray sum = abs.sum()) {
			return Float.isFinite(sum.getFloat());
		}
	}

	/** Sets the gradient to zero; unlike {@code g − g}, this also clears NaN and ±Inf. */
	public static void clear(NDArray parameter) {
		try (NDArray g = parameter.getGradient()) {
			g.set(new NDIndex("..."), 0f);
		}
	}

	/** A copy of {@code parameter}'s accumulated gradient in {@code into}, for {@link #restore} after a backward pass that must not reach it. */
	public static NDArray copy(NDArray parameter, NDManager into) {
		try (NDArray g = parameter.getGradient()) {
			NDArray kept = g.duplicate();
			kept.attach(into);
			return kept;
		}
	}

	/** Sets {@code parameter}'s accumulated gradient back to {@code kept} (a {@link #copy}), which stays the caller's. */
	public static void restore(NDArray parameter, NDArray kept) {
		try (NDArray g = parameter.getGradient()) {
			g.set(new NDIndex("..."), kept);
		}
	}
}
