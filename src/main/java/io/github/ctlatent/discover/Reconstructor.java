package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.Gradients;
import io.github.ctlatent.optim.Adam;

import java.util.SplittableRandom;

/**
 * The reconstructor R ("shift predictor", docs/method.md §4.4): from an image pair, given as the 2-channel
 * concatenation [G(z), G(z + shift)] (B, 2, S, S), it predicts the direction index (K logits) and the signed
 * magnitude ε (B). A feature trunk and two heads; build one with {@link Reconstructors}.
 */
public final class Reconstructor extends AbstractBlock {

	private final ReconstructorType type;
	private final int directions;
	private final Block features, logits, shift;

	Reconstructor(ReconstructorType type, int directions, Block features, Block logits, Block shift) {
		super((byte) 1);
		this.type = type;
		this.directions = directions;
		this.features = addChildBlock("features", features);
		this.logits = addChildBlock("logits", logits);
		this.shift = addChildBlock("shift", shift);
	}

	public ReconstructorType type() {
		return type;
	}

	public int directionCount() {
		return directions;
	}

	/** Input (B, 2, S, S); output [logits (B, K), ε̂ (B)]. */
	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDList f = features.forward(ps, inputs, training);
		NDArray l = logits.forward(ps, f, training).singletonOrThrow();
		NDArray s = shift.forward(ps, f, training).singletonOrThrow();
		return new NDList(l, s.reshape(-1));
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		long b = inputShapes[0].get(0);
		return new Shape[] {new Shape(b, directions), new Shape(b)};
	}

	@Override
	protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
		features.initialize(manager, dataType, inputShapes);
		Shape[] f = features.getOutputShapes(inputShapes);
		logits.initialize(manager, dataType, f);
		shift.initialize(manager, dataType, f);
	}

	/**
	 * Overwrites every parameter with PyTorch's initialisation for this architecture, drawn from {@code rnd} (so
	 * a run's start does not depend on the engine's global RNG): convolutions either PyTorch's default
	 * U(±1/√fan_in) or, for ResNet, Kaiming-normal (fan_out, ReLU gain) as torchvision; linear layers and all
	 * biases U(±1/√fan_in); BatchNorm γ = 1, β = 0, running mean 0, running variance 1.
	 */
	void initializeParameters(SplittableRandom rnd) {
		long fanIn = 1;
		for (Pair<String, Parameter> e : getParameters()) { // in block order: each weight before its bias
			Parameter p = e.getValue();
			NDArray a = p.getArray();
			long[] s = a.getShape().getShape();
			float[] v = new float[Math.toIntExact(a.size())];
			switch (p.getType()) {
				case WEIGHT -> {
					fanIn = a.size() / s[0];
					if (s.length == 4 && type == ReconstructorType.RESNET) {
						double std = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
						for (int i = 0; i < v.length; i++) v[i] = (float) (std * rnd.nextGaussian());
					} else uniform(v, 1 / Math.sqrt(fanIn), rnd);
				}
				case BIAS -> uniform(v, 1 / Math.sqrt(fanIn), rnd);
				case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(v, 1f);
				default -> { } // BETA, RUNNING_MEAN: zeros
			}
			io.github.ctlatent.model.Params.overwrite(a, v); // not a.set(v): see Params.overwrite
		}
	}

	private static void uniform(float[] v, double bound, SplittableRandom rnd) {
		for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
	}

	/** True when the gradients of the last backward pass are finite. */
	boolean gradientsFinite() {
		for (Pair<String, Parameter> e : getParameters())
			if (e.getValue().requiresGradient() && !Gradients.finite(e.getValue().getArray())) return false;
		return true;
	}

	/** Drops the gradients of the last backward pass. */
	void clearGradients() {
		for (Pair<String, Parameter> e : getParameters())
			if (e.getValue().requiresGradient()) Gradients.clear(e.getValue().getArray());
	}

	/** One optimizer step on all trainable parameters from the last backward pass; gradients are then zeroed. */
	public void step(Adam adam) {
		for (Pair<String, Parameter> e : getParameters()) {
			Parameter p = e.getValue();
			if (!p.requiresGradient()) continue; // BatchNorm running statistics
			NDArray a = p.getArray();
			try (NDArray g = a.getGradient()) {
				adam.update("reconstructor." + e.getKey(), a, g); // also zeroes g (docs/platform.md §3)
			}
		}
	}
}
