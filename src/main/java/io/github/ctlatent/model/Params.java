package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small facts and operations about a block's parameters that DJL spreads over several classes. */
public final class Params {

	private Params() {}

	/**
	 * Whether the optimizer updates this parameter: everything except BatchNorm running statistics (which the
	 * forward pass updates in training mode). PyTorch's {@code parameters()} counts the same set.
	 */
	public static boolean trainable(Parameter p) {
		return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
	}

	/** Number of trainable scalars, comparable to {@code sum(p.numel() for p in model.parameters())}. */
	public static long countTrainable(Block block) {
		long n = 0;
		for (Pair<String, Parameter> p : block.getParameters())
			if (trainable(p.getValue())) n += p.getValue().getShape().size();
		return n;
	}

	/** Copies {@code value} into the parameter's existing array (same shape and type), outside any graph. */
	public static void assign(Parameter p, NDArray value) {
		NDArray target = p.getArray();
		if (!target.getShape().equals(value.getShape()) || target.getDataType() != value.getDataType())
			throw new IllegalArgumentException("parameter " + p.getName() + " is " + target.getShape() + " " + target.getDataType()
				+ ", value is " + value.getShape() + " " + value.getDataType());
		overwrite(target, value);
	}

	/** Writes {@code values} (as many as the array holds) into {@code target} in place, outside any graph. */
	public static void overwrite(NDArray target, float[] values) {
		try (NDArray v = target.getManager().create(values, target.getShape())) {
			overwrite(target, v);
		}
	}

	/**
	 * Not {@code target.set(buffer)}: DJL's set-from-buffer (JNI torchSet) takes libtorch's deprecated
	 * AutoNonVariableTypeMode guard, and libtorch then prints a deprecation warning into the user's log. An index put
	 * writes the same numbers without it; libtorch refuses an in-place write to a leaf that requires a gradient (when
	 * the thread's grad mode is on), so the flag is lifted for the write.
	 */
	private static void overwrite(NDArray target, NDArray values) {
		boolean grad = target.hasGradient();
		if (grad) target.setRequiresGradient(false);
		try {
			target.set(ALL, values);
		} finally {
			if (grad) target.setRequiresGradient(true);
		}
	}

	private static final ai.djl.ndarray.index.NDIndex ALL = new ai.djl.ndarray.index.NDIndex("...");

	/** SHA-256 (hex) over a description and every parameter's name, shape and bytes, in block order. */
	public static String sha256(String description, Block block) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update(description.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			for (Pair<String, Parameter> p : block.getParameters()) {
				NDArray a = p.getValue().getArray();
				md.update((p.getKey() + a.getShape() + a.getDataType()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
				ByteBuffer bytes = a.toByteBuffer();
				md.update(bytes);
			}
			return HexFormat.of().formatHex(md.digest());
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", e);
		}
	}
}
