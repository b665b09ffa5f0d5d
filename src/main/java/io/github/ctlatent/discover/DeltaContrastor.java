package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Gradients;
import io.github.ctlatent.model.Conv2d;
import io.github.ctlatent.optim.Adam;

import java.util.SplittableRandom;

/**
 * DisCo's Δ-contrastor E (docs/pipeline.md): one image (B, 1, S, S) → a representation (B, R); the variation of a
 * pair is |E(x') − E(x)|. A smaller relative of the original's encoder, sized for a CPU: four Conv4×4 stride 2 (pad 1)
 * of widths 32, 64, 64, 64 with LeakyReLU, flattened, Linear → 128 → LeakyReLU → Linear → R. No BatchNorm (the
 * original has none either), so a batch's composition never changes an image's representation. Kaiming-normal weights
 * (fan_in, ReLU gain) and zero biases as the original, drawn from a seeded generator.
 */
final class DeltaContrastor {

	private static final int[] WIDTHS = {32, 64, 64, 64};
	private static final float LEAK = 0.01f; // PyTorch's LeakyReLU default, as the original
	/** The side the four halvings must leave at least one pixel of. */
	static final int MIN_SIZE = 16;

	private final SequentialBlock block = new SequentialBlock();
	private final int imageSize, representation;

	DeltaContrastor(int imageSize, int representation, NDManager manager, SplittableRandom rnd) {
		if (imageSize < MIN_SIZE || imageSize % MIN_SIZE != 0)
			throw new ExplorerException("DisCo's encoder needs square images whose side is a multiple of " + MIN_SIZE + ", got " + imageSize + ".");
		this.imageSize = imageSize;
		this.representation = representation;
		for (int w : WIDTHS) block.add(Conv2d.of(w, 4, 2, 1, true)).add(Activation.leakyReluBlock(LEAK));
		block.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation.leakyReluBlock(LEAK))
			.add(Linear.builder().setUnits(representation).build());
		block.initialize(manager, DataType.FLOAT32, new Shape(2, 1, imageSize, imageSize));
		for (Pair<String, Parameter> e : block.getParameters()) {
			NDArray a = e.getValue().getArray();
			float[] v = new float[Math.toIntExact(a.size())];
			if (e.getValue().getType() == Parameter.Type.WEIGHT) {
				double std = Math.sqrt(2.0 / (a.size() / a.getShape().get(0)));
				for (int i = 0; i < v.length; i++) v[i] = (float) (std * rnd.nextGaussian());
			}
			io.github.ctlatent.model.Params.overwrite(a, v);
		}
	}

	SequentialBlock block() {
		return block;
	}

	int imageSize() {
		return imageSize;
	}

	int representation() {
		return representation;
	}

	/** Representations (B, R) of images (B, 1, S, S), with the graph to the parameters. */
	NDArray forward(ParameterStore store, NDArray images) {
		return block.forward(store, new NDList(images), true).singletonOrThrow();
	}

	boolean gradientsFinite() {
		for (Pair<String, Parameter> e : block.getParameters())
			if (!Gradients.finite(e.getValue().getArray())) return false;
		return true;
	}

	void clearGradients() {
		for (Pair<String, Parameter> e : block.getParameters()) Gradients.clear(e.getValue().getArray());
	}

	/** One optimizer step on every parameter from the last backward pass; gradients are then zeroed. */
	void step(Adam adam) {
		for (Pair<String, Parameter> e : block.getParameters()) {
			NDArray a = e.getValue().getArray();
			try (NDArray g = a.getGradient()) {
				adam.update("encoder." + e.getKey(), a, g); // also zeroes g (docs/platform.md §3)
			}
		}
	}
}
