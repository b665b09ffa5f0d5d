package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.ctlatent.model.Params;

/** Optimizer plumbing shared by the training steps (standalone optimizers, no DJL Trainer). */
final class Updates {

	private Updates() {}

	/**
	 * The caller's batch as an array of the iteration manager {@code it} on its device: moved when on another
	 * device, else temporarily attached (returned to the caller's manager when {@code it} closes), so that every
	 * array derived from it is freed with the iteration.
	 */
	static NDArray intoIteration(NDArray batch, NDManager it) {
		if (batch.getDevice().equals(it.getDevice())) {
			batch.tempAttach(it);
			return batch;
		}
		NDArray moved = batch.toDevice(it.getDevice(), true);
		moved.attach(it);
		return moved;
	}

	static Optimizer adam(float lr, float beta1, float beta2) {
		return Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).optBeta1(beta1).optBeta2(beta2).optEpsilon(1e-8f).build();
	}

	/**
	 * Applies the gradients accumulated in {@code block}'s trainable parameters. The engine's Adam/SGD update
	 * also zeroes each gradient (PyTorch would otherwise keep accumulating into .grad across collectors).
	 * Each getGradient() is a new handle on the parameter's manager: closed here.
	 */
	static void apply(Block block, Optimizer optimizer) {
		for (Pair<String, Parameter> pp : block.getParameters()) {
			Parameter p = pp.getValue();
			if (!Params.trainable(p) || !p.requiresGradient()) continue;
			NDArray w = p.getArray();
			try (NDArray g = w.getGradient()) {
				optimizer.update(p.getId(), w, g);
			}
		}
	}
}
