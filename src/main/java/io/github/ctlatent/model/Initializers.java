package io.github.ctlatent.model;

import ai.djl.training.initializer.Initializer;

/** Weight initializations DJL does not ship. */
public final class Initializers {

	private Initializers() {}

	/** N(mean, std²) elementwise (DJL's NormalInitializer has mean 0 only); DCGAN BN gamma is N(1, 0.02²). */
	public static Initializer normal(float mean, float std) {
		return (manager, shape, dataType) -> manager.randomNormal(mean, std, shape, dataType);
	}

	/**
	 * PyTorch's default for Conv2d weight and bias: U(−1/√fanIn, 1/√fanIn) (kaiming_uniform with a = √5 reduces to
	 * this bound). The VAE of the seed paper keeps PyTorch's defaults, so ours does too.
	 */
	public static Initializer torchDefault(long fanIn) {
		float bound = (float) (1 / Math.sqrt(fanIn));
		return (manager, shape, dataType) -> manager.randomUniform(-bound, bound, shape, dataType);
	}
}
