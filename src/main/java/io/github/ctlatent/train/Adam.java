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
		try (NDManager tmp = manager.newSubManager()) {
			NDArray g = grad.duplicate();
			g.attach(tmp);
			mv[0].muli(beta1).addi(g.mul(1 - beta1));
			mv[1].muli(beta2).addi(g.square().muli(1 - beta2));
			float bc1 = (float) (1 - Math.pow(beta1, step)), bc2 = (float) (1 - Math.pow(beta2, step));
			// temporaries derived from the moments would land in the model's manager: move them to tmp
			NDArray v = mv[1].div(bc2);
			v.attach(tmp);
			NDArray denom = v.sqrt().addi(eps);
			NDArray m = mv[0].div(bc1);
			m.attach(tmp);
			weight.subi(m.muli(lr).divi(denom));
		}
	}

	private NDArray zeros(NDArray like) {
		NDArray z = manager.zeros(like.getShape(), like.getDataType(), like.getDevice());
		return z;
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
