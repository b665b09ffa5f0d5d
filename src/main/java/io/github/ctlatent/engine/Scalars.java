package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Products, quotients and maxima with a constant, safe inside an autograd graph. DJL's own overloads
 * ({@code x.mul(0.5f)}, {@code div(Number)}, {@code maximum(Number)}) make the constant an array from a Java direct
 * buffer, which libtorch uses in place, and close it as soon as the op returns; these ops save the constant for the
 * backward pass, so once the garbage collector frees the buffer the gradient is scaled by whatever the memory holds
 * next. That made VAE training go NaN at random iterations (issue 24, docs/numerics.md). Here the constant is made by
 * libtorch ({@code full}), whose memory libtorch counts: closing the handle leaves it alive for the graph.
 * (Addition and subtraction of a Number save nothing and are safe as DJL has them.)
 */
public final class Scalars {

	private Scalars() {}

	/** x · c. */
	public static NDArray mul(NDArray x, float c) {
		try (NDArray k = constant(x, c)) {
			return x.mul(k);
		}
	}

	/** x / c. */
	public static NDArray div(NDArray x, float c) {
		try (NDArray k = constant(x, c)) {
			return x.div(k);
		}
	}

	/** max(x, c) element-wise. */
	public static NDArray maximum(NDArray x, float c) {
		try (NDArray k = constant(x, c)) {
			return x.maximum(k);
		}
	}

	private static NDArray constant(NDArray like, float c) {
		return like.getManager().full(new Shape(), c, like.getDataType());
	}
}
