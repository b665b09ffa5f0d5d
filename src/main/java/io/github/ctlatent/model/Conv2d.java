package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.ctlatent.engine.Convolutions;

/**
 * DJL's 2D convolution layer computed through {@link Convolutions}, so that the numerics configuration the process
 * was checked with decides each layer's kernel. Same parameters, metadata and saved format as DJL's layer; it keeps
 * DJL's class name on purpose: a sequential block names its children after the class, and those names key the
 * optimizer state in training checkpoints, so checkpoints written before this class existed still resume.
 */
public final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

	private Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
		super(builder);
	}

	/** A square convolution (kernel k, stride, padding), with or without bias. */
	public static Conv2d of(int filters, int kernel, int stride, int pad, boolean bias) {
		return new Conv2d(ai.djl.nn.convolutional.Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
			.optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(bias));
	}

	@Override
	protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
		NDArray x = inputs.singletonOrThrow();
		Device device = x.getDevice();
		NDArray w = ps.getValue(weight, device, training);
		NDArray b = includeBias ? ps.getValue(bias, device, training) : null;
		return new NDList(Convolutions.conv2d(x, w, b, (int) stride.get(0), (int) padding.get(0)));
	}
}
