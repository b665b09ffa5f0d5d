package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import io.github.ctlatent.engine.TransposedConvolutions;

/**
 * A bias-free transposed convolution with kernel 4, stride 2, padding 1 (the DCGAN up-sampling layer: exactly
 * doubles H and W). DJL's own Conv2dTranspose is not implemented for the PyTorch engine (docs/platform.md §3), so
 * the arithmetic is {@link TransposedConvolutions}' (a phase decomposition, or libtorch's kernel where the
 * numerics policy says so).
 * <p>
 * The trainable weight is stored directly in that stacked layout (4·C_out, C_in, 2, 2), channel index
 * (2·rowPhase + colPhase)·C_out + o, because rearranging a PyTorch-layout weight on every call was measured up to
 * 1.9× slower. {@link TransposedConvolutions#fromTorchLayout} / {@link TransposedConvolutions#toTorchLayout} convert to and from PyTorch's ConvTranspose2d
 * layout (C_in, C_out, 4, 4) for import and export.
 */
public final class ConvTranspose2d extends AbstractBlock {

	private static final byte VERSION = 1;

	private final int inChannels;
	private final int outChannels;
	private final Parameter weight;

	public ConvTranspose2d(int inChannels, int outChannels) {
		super(VERSION);
		if (inChannels < 1 || outChannels < 1) throw new IllegalArgumentException("channels must be positive: " + inChannels + " -> " + outChannels);
		this.inChannels = inChannels;
		this.outChannels = outChannels;
		weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
			.optShape(new Shape(4L * outChannels, inChannels, 2, 2)).build());
	}

	public int inChannels() {
		return inChannels;
	}

	public int outChannels() {
		return outChannels;
	}

	/** The trainable weight in the stacked phase layout (4·C_out, C_in, 2, 2). */
	public Parameter weight() {
		return weight;
	}

	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDArray x = inputs.singletonOrThrow();
		NDArray w = ps.getValue(weight, x.getDevice(), training);
		// a frozen weight is rearranged into PyTorch's layout once (torchLayout), so it counts as being in that layout
		boolean frozen = !weight.requiresGradient();
		TransposedMethod method = TransposedConvolutions.methodFor(x, w.getShape(), frozen, frozen);
		return new NDList(frozen && method == TransposedMethod.LIBTORCH ? TransposedConvolutions.libtorch(x, torchLayout(w))
			: TransposedConvolutions.apply(x, w, method));
	}

	/** The weight this layer last rearranged into PyTorch's layout, and that rearrangement. */
	private NDArray rearrangedFrom, rearranged;

	/**
	 * A frozen weight in PyTorch's (C_in, C_out, 4, 4) layout, rearranged once and kept next to the weight (in its
	 * manager, so it lives as long as the model): a frozen generator's weights do not change, and a new weight array
	 * (the model reloaded or copied) is rearranged again.
	 */
	private synchronized NDArray torchLayout(NDArray w) {
		if (rearrangedFrom != w) {
			if (rearranged != null) rearranged.close();
			try (ai.djl.ndarray.NDManager scratch = w.getManager().newSubManager()) {
				NDArray view = w.reshape(w.getShape());
				view.attach(scratch);
				NDArray torch = TransposedConvolutions.toTorchLayout(view); // its own tensor: outlives the scratch views
				torch.attach(w.getManager());
				rearranged = torch;
			}
			rearrangedFrom = w;
		}
		return rearranged;
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		Shape s = inputShapes[0];
		return new Shape[] {new Shape(s.get(0), outChannels, 2 * s.get(2), 2 * s.get(3))};
	}

	@Override
	protected void prepare(Shape[] inputShapes) {
		long c = inputShapes[0].get(1);
		if (c != inChannels) throw new IllegalArgumentException("ConvTranspose2d expects " + inChannels + " input channels, got " + inputShapes[0]);
	}

	@Override
	public String toString() {
		return "ConvTranspose2d(" + inChannels + " -> " + outChannels + ", k4 s2 p1, no bias)";
	}
}
