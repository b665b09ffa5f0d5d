package io.github.ctlatent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.FusedAdam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad), per parameter:
 * t ← t+1, m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
 * <p>
 * A DJL {@link Optimizer}, so it drops in wherever DJL expects one — but written here because DJL's Adam keeps
 * its moments private, and a resumed run must continue bit-identically: {@link #save}/{@link #load} carry step
 * counts and moments. DJL parameter ids are random per JVM, so callers map them to stable names on save/load.
 */
public final class Adam extends Optimizer {

	private final float baseLr, beta1, beta2, eps;
	/** The learning rate in use: the base one times the schedule's factor (see {@link #scaleLearningRate}). */
	private float lr;
	private final NDManager manager;
	/** Per parameter id: {m, v} and the step count. */
	private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
	private final Map<String, Long> steps = new LinkedHashMap<>();
	/** libtorch's fused kernel (CPU) when this engine has it, else null: the in-place path below. */
	private FusedAdam fused;

	public Adam(NDManager manager, float lr, float beta1, float beta2) {
		this(manager, lr, beta1, beta2, 1e-8f);
	}

	public Adam(NDManager manager, float lr, float beta1, float beta2, float eps) {
		super(new Builder());
		this.manager = manager;
		this.fused = manager.getDevice().isGpu() ? null : FusedAdam.instance(); // the moments' device is the weights'
		this.baseLr = lr;
		this.lr = lr;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.eps = eps;
	}

	/** Sets the learning rate to {@code factor} times the one given at construction (a schedule's step). */
	public void scaleLearningRate(double factor) {
		lr = (float) (baseLr * factor);
	}

	/** The learning rate in use now. */
	public float learningRate() {
		return lr;
	}

	/** The learning rate given at construction, which a schedule scales. */
	public float baseLearningRate() {
		return baseLr;
	}

	/**
	 * Updates {@code weight} in place from {@code grad} (which the caller closes), then zeroes the gradient in
	 * place, as the engine's own optimizers do — gradients otherwise accumulate across collectors
	 * (docs/platform.md §3).
	 */
	@Override
	public void update(String id, NDArray weight, NDArray grad) {
		// in-place updates of a leaf that requires grad are only legal with autograd off; libtorch's grad mode is
		// per thread and on by default, so a pool thread that never initialised the engine would refuse them
		boolean gradMode = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		try {
			step(id, weight, grad);
		} finally {
			JniUtils.setGradMode(gradMode);
		}
	}

	/**
	 * Every operation is in place, the gradient serving as the scratch buffer it is about to be cleared anyway:
	 * a fresh result array costs its page faults on every step (measured on the paper GAN: the out-of-place
	 * products ran at a tenth of the in-place ones' speed, and the optimizer took a fifth of the iteration).
	 */
	private void step(String id, NDArray weight, NDArray grad) {
		NDArray[] mv = moments.computeIfAbsent(id, k -> new NDArray[] {zeros(weight), zeros(weight)});
		long t = steps.merge(id, 1L, Long::sum);
		NDArray m = mv[0], v = mv[1];
		if (fused != null) {
			fused.step(weight, grad, m, v, t, lr, beta1, beta2, eps);
			return;
		}
		grad.muli(1 - beta1); // (1−β1)·g
		m.muli(beta1).addi(grad);
		grad.muli(grad).muli((1 - beta2) / ((1 - beta1) * (1 - beta1))); // (1−β2)·g²
		v.muli(beta2).addi(grad);
		double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
		grad.set(EVERYTHING, v);
		grad.powi(0.5).divi((float) Math.sqrt(bc2)).addi(eps); // √v / √(1−β2ᵗ) + ε
		grad.powi(-1).muli(m).muli((float) (-lr / bc1));
		weight.addi(grad);
		grad.set(EVERYTHING, 0f);
	}

	private static final ai.djl.ndarray.index.NDIndex EVERYTHING = new ai.djl.ndarray.index.NDIndex("...");

	/** Which arithmetic the updates use, for model cards: libtorch's fused kernel or the in-place operations. */
	public String arithmetic() {
		return fused != null ? "libtorch fused Adam kernel" : "in-place element-wise operations";
	}

	/** Uses the in-place path even where the fused kernel is available (tests compare the two). */
	Adam withoutFusedKernel() {
		fused = null;
		return this;
	}

	private NDArray zeros(NDArray like) {
		return manager.zeros(like.getShape(), like.getDataType());
	}

	/** Writes step counts and moments (float32), naming each parameter by {@code stableName.apply(id)}. */
	public void save(DataOutputStream out, UnaryOperator<String> stableName) throws IOException {
		out.writeUTF("adam-2");
		out.writeInt(moments.size());
		for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
			out.writeUTF(stableName.apply(e.getKey()));
			out.writeLong(steps.get(e.getKey()));
			for (NDArray a : e.getValue()) {
				long[] dims = a.getShape().getShape();
				out.writeInt(dims.length);
				for (long d : dims) out.writeLong(d);
				for (float f : a.toFloatArray()) out.writeFloat(f);
			}
		}
	}

	/** Restores what {@link #save} wrote, mapping stable names back to this JVM's parameter ids. */
	public void load(DataInputStream in, UnaryOperator<String> idOf) throws IOException {
		if (!"adam-2".equals(in.readUTF())) throw new ExplorerException("Optimizer state is not an Adam checkpoint of this tool.");
		moments.values().forEach(mv -> {
			mv[0].close();
			mv[1].close();
		});
		moments.clear();
		steps.clear();
		int n = in.readInt();
		for (int i = 0; i < n; i++) {
			String name = in.readUTF(), id = idOf.apply(name);
			if (id == null) throw new ExplorerException("Optimizer state names parameter '" + name + "', which this model does not have.");
			steps.put(id, in.readLong());
			NDArray[] mv = new NDArray[2];
			for (int k = 0; k < 2; k++) {
				long[] dims = new long[in.readInt()];
				for (int d = 0; d < dims.length; d++) dims[d] = in.readLong();
				float[] v = new float[Math.toIntExact(new Shape(dims).size())];
				for (int j = 0; j < v.length; j++) v[j] = in.readFloat();
				mv[k] = manager.create(v, new Shape(dims));
			}
			moments.put(id, mv);
		}
	}

	private static final class Builder extends OptimizerBuilder<Builder> {
		@Override
		protected Builder self() {
			return this;
		}
	}
}
