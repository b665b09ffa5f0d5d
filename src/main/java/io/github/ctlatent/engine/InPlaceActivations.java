package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Leaky ReLU written over its input ({@code torch.leaky_relu_}), for inputs nothing else reads afterwards (a batch
 * norm's or a residual sum's fresh output). DJL's op set has only the out-of-place form, whose result is a fresh
 * buffer per call; on the CPU VAE's 64² layers such a buffer is new memory from the operating system, paid in page
 * faults on every step. Autograd is unchanged in kind: the backward reads the result instead of the input (same
 * gradient for a positive slope). Reached as a {@link ScriptedOp}; where it cannot be compiled the out-of-place
 * op is used. The numerics self-check compares it with the definition ({@link NumericsCheck}).
 */
public final class InPlaceActivations {

	private InPlaceActivations() {}

	/** Leaky ReLU of {@code x} with {@code slope} > 0, computed in x's own memory when this libtorch can. */
	public static NDArray leakyRelu(NDArray x, float slope) {
		if (Op.LEAKY == null || !(slope > 0)) return Activation.leakyRelu(x, slope);
		try (NDArray s = x.getManager().create(slope)) {
			return Op.LEAKY.apply(x, s);
		}
	}

	/** Why the in-place op is not used, or null when it is. */
	public static String unavailableReason() {
		return Op.UNAVAILABLE;
	}

	/** Compiled once per process. */
	private static final class Op {
		static final ScriptedOp LEAKY;
		static final String UNAVAILABLE;

		static {
			ScriptedOp op = null;
			String why = null;
			try {
				op = ScriptedOp.compile("LeakyReluInPlace", "x: Tensor, slope: Tensor", "Tensor", "torch.nn.functional.leaky_relu_(x, slope.item())");
			} catch (java.io.IOException | RuntimeException e) {
				why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
			}
			LEAKY = op;
			UNAVAILABLE = why;
		}
	}
}
