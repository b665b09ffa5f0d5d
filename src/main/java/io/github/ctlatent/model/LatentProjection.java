package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The DCGAN generator's first layer, a transposed convolution k4 s1 p0 applied to a 1×1 latent: (B, d, 1, 1) →
 * (B, C, 4, 4). On a 1×1 input that is exactly a matrix product with a (d, C·16) weight followed by a reshape,
 * and the weight is PyTorch's (d, C, 4, 4) ConvTranspose2d weight flattened row-major (no rearrangement).
 * No bias (DCGAN has none), so the layer is linear in z — what SeFa factorizes.
 */
public final class LatentProjection extends AbstractBlock {

	private static final byte VERSION = 1;

	private final int latentDim;
	private final int outChannels;
	private final Parameter weight;

	public LatentProjection(int latentDim, int outChannels) {
		super(VERSION);
		if (latentDim < 1 || outChannels < 1) throw new IllegalArgumentException("sizes must be positive: " + latentDim + " -> " + outChannels);
		this.latentDim = latentDim;
		this.outChannels = outChannels;
		weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
			.optShape(new Shape(latentDim, outChannels * 16L)).build());
	}

	public int latentDim() {
		return latentDim;
	}

	public int outChannels() {
		return outChannels;
	}

	/** The (d, C·16) weight; row i is the 4×4×C feature map that latent coordinate i adds. */
	public Parameter weight() {
		return weight;
	}

	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDArray z = inputs.singletonOrThrow();
		long b = z.getShape().get(0);
		NDArray w = ps.getValue(weight, z.getDevice(), training);
		return new NDList(z.reshape(b, latentDim).matMul(w).reshape(b, outChannels, 4, 4));
	}

	/** PyTorch ConvTranspose2d weight (d, C, 4, 4) → (d, C·16). */
	public static NDArray fromTorchLayout(NDArray torchWeight) {
		Shape s = torchWeight.getShape();
		if (s.dimension() != 4 || s.get(2) != 4 || s.get(3) != 4)
			throw new IllegalArgumentException("expected a (d, C, 4, 4) ConvTranspose2d weight, got " + s);
		return torchWeight.reshape(s.get(0), s.get(1) * 16);
	}

	/** (d, C·16) → PyTorch ConvTranspose2d layout (d, C, 4, 4). */
	public static NDArray toTorchLayout(NDArray weight) {
		Shape s = weight.getShape();
		return weight.reshape(s.get(0), s.get(1) / 16, 4, 4);
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		return new Shape[] {new Shape(inputShapes[0].get(0), outChannels, 4, 4)};
	}

	@Override
	protected void prepare(Shape[] inputShapes) {
		Shape s = inputShapes[0];
		if (s.dimension() != 4 || s.get(1) != latentDim || s.get(2) != 1 || s.get(3) != 1)
			throw new IllegalArgumentException("LatentProjection expects latents (B, " + latentDim + ", 1, 1), got " + s);
	}

	@Override
	public String toString() {
		return "LatentProjection(" + latentDim + " -> " + outChannels + "x4x4, no bias)";
	}
}
