package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad):
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − lr·(m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε).
 * <p>
 * Written here rather than using DJL's {@code Adam} because DJL keeps its moment estimates private, so they cannot
 * be checkpointed — and a resumed run must continue bit-identically. State lives in {@code manager} (the
 * model's manager), keyed by a parameter name of the caller's choosing.
 */
public final class Adam {

	private final float lr, beta1, beta2, eps;
	private final NDManager manager;
	private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
	private long step;

	public Adam(NDManager manager, float lr, float beta1, float beta2) {
		this(manager, lr, beta1, beta2, 1e-8f);
	}

	public Adam(NDManager manager, float lr, float beta1, float beta2, float eps) {
		this.manager = manager;
		this.lr = lr;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.eps = eps;
	}

	/** Call once per optimizer step, before the {@link #update}s of that step. */
	public void nextStep() {
		step++;
	}

	public long stepCount() {
		return step;
	}

	/** Updates {@code weight} in place from {@code grad} (which the caller closes). */
	public void update(String name, NDArray weight, NDArray grad) {
		if (step == 0) throw new IllegalStateException("call nextStep() before update()");
		NDArray[] mv = moments.computeIfAbsent(name, k -> new NDArray[] {zeros(weight), zeros(weight)});
		// every temporary is closed here: they would otherwise live as long as the model's manager
		try (NDArray g1 = grad.mul(1 - beta1)) {
			mv[0].muli(beta1).addi(g1);
		}
		try (NDArray g2 = grad.square()) {
			mv[1].muli(beta2).addi(g2.muli(1 - beta2));
		}
		double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
		// PyTorch's order: denom = √v / √bc2 + ε; p −= (lr / bc1) · m / denom
		try (NDArray denom = mv[1].sqrt(); NDArray upd = mv[0].mul((float) (lr / bc1))) {
			denom.divi((float) Math.sqrt(bc2)).addi(eps);
			weight.subi(upd.divi(denom));
		}
	}

	private NDArray zeros(NDArray like) {
		return manager.zeros(like.getShape(), like.getDataType());
	}

	/** Writes step count and moments (float32) for an exact resume. */
	public void save(DataOutputStream out) throws IOException {
		out.writeUTF("adam-1");
		out.writeLong(step);
		out.writeInt(moments.size());
		for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
			out.writeUTF(e.getKey());
			for (NDArray a : e.getValue()) {
				float[] v = a.toFloatArray();
				long[] dims = a.getShape().getShape();
				out.writeInt(dims.length);
				for (long d : dims) out.writeLong(d);
				for (float f : v) out.writeFloat(f);
			}
		}
	}

	public void load(DataInputStream in) throws IOException {
		if (!"adam-1".equals(in.readUTF())) throw new ExplorerException("Optimizer state is not an Adam checkpoint of this tool.");
		step = in.readLong();
		int n = in.readInt();
		moments.values().forEach(mv -> { mv[0].close(); mv[1].close(); });
		moments.clear();
		for (int i = 0; i < n; i++) {
			String name = in.readUTF();
			NDArray[] mv = new NDArray[2];
			for (int k = 0; k < 2; k++) {
				long[] dims = new long[in.readInt()];
				for (int d = 0; d < dims.length; d++) dims[d] = in.readLong();
				float[] v = new float[Math.toIntExact(new Shape(dims).size())];
				for (int j = 0; j < v.length; j++) v[j] = in.readFloat();
				mv[k] = manager.create(v, new Shape(dims));
			}
			moments.put(name, mv);
		}
	}
}
