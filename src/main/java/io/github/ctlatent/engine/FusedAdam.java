package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;

import java.io.IOException;

/**
 * libtorch's own fused Adam kernel ({@code torch._fused_adam_}, what {@code torch.optim.Adam(fused=True)} runs):
 * one pass that reads parameter, gradient and both moments and writes them back, instead of the dozen
 * element-wise operations DJL's op set needs — on the paper models the optimizer is memory-bound, so the pass count
 * is its time. DJL's engine does not expose the op, so it is reached as a {@link ScriptedOp}. Not available
 * on an engine whose libtorch lacks the op (or computes it wrongly: {@link #selfTest}): {@link #instance()} is then
 * null and the project's Adam ({@code train.Adam}) uses its in-place path.
 */
public final class FusedAdam implements AutoCloseable {

	/** Adam's update of the listed parameters (one per call here), then their gradients cleared. */
	static final String PARAMETERS = "p: List[Tensor], g: List[Tensor], m: List[Tensor], v: List[Tensor], step: List[Tensor], "
		+ "lr: float, beta1: float, beta2: float, eps: float";
	static final String BODY = """
		torch._fused_adam_(p, g, m, v, annotate(List[Tensor], []), step, lr=lr, beta1=beta1, beta2=beta2, weight_decay=0., eps=eps, amsgrad=False, maximize=False)
		torch._foreach_zero_(g)
		0
		""";

	private static volatile FusedAdam instance;
	private static volatile boolean tried;

	private final NDManager manager;
	private final ScriptedOp module;

	private FusedAdam(NDManager manager, ScriptedOp module) {
		this.manager = manager;
		this.module = module;
	}

	/** The kernel, loaded once per process; null when this libtorch cannot run it (see {@link #unavailableReason}). */
	public static FusedAdam instance() {
		if (!tried) {
			synchronized (FusedAdam.class) {
				if (!tried) {
					instance = load();
					tried = true;
				}
			}
		}
		return instance;
	}

	private static String unavailable;

	/** What System Info says about the optimizer's arithmetic. */
	public static String describe() {
		String why = unavailableReason();
		return why == null ? "libtorch's fused Adam kernel (checked against a double-precision reference at load)"
			: "in-place element-wise operations (fused kernel unavailable: " + why + ")";
	}

	/** Why the fused kernel is not used, or null when it is. */
	public static String unavailableReason() {
		instance();
		return unavailable;
	}

	private static FusedAdam load() {
		ScriptedOp op = null;
		NDManager m = null;
		Engines.pytorch(); // the engine as everything else gets it: started, its convolutions checked
		try {
			op = ScriptedOp.compile("AdamStep", PARAMETERS, "int", BODY);
			m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
			FusedAdam k = new FusedAdam(m, op);
			k.selfTest();
			return k;
		} catch (IOException | RuntimeException e) {
			unavailable = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
			if (op != null) op.close();
			if (m != null) m.close();
			return null;
		}
	}

	/**
	 * Three steps on a small parameter, compared with Adam computed here in double precision: a kernel that loads
	 * but computes otherwise (another libtorch's semantics, a CPU it miscomputes on) is refused, not trusted.
	 */
	private void selfTest() {
		selfTest(this::step);
	}

	/** An Adam step as {@link #step} takes it (the self-test's subject). */
	public interface Stepper {
		void step(NDArray p, NDArray g, NDArray m, NDArray v, long t, float lr, float beta1, float beta2, float eps);
	}

	public static void selfTest(Stepper kernel) {
		float[] p0 = {1f, -2f, 0.003f, 40f, -0.5f}, lrs = {0.1f, 0.9f, 0.999f, 1e-8f};
		double[] p = new double[p0.length], m = new double[p0.length], v = new double[p0.length];
		for (int i = 0; i < p0.length; i++) p[i] = p0[i];
		try (NDManager t = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
			NDArray wp = t.create(p0), wm = t.zeros(wp.getShape()), wv = t.zeros(wp.getShape());
			float[] grad = null;
			for (int step = 1; step <= 3; step++) {
				float[] g = new float[p0.length];
				for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(7 * i + 3 * step) * (i + 1);
				NDArray wg = t.create(g);
				kernel.step(wp, wg, wm, wv, step, lrs[0], lrs[1], lrs[2], lrs[3]);
				grad = wg.toFloatArray();
				for (int i = 0; i < p.length; i++) {
					m[i] = lrs[1] * m[i] + (1 - (double) lrs[1]) * g[i];
					v[i] = lrs[2] * v[i] + (1 - (double) lrs[2]) * g[i] * g[i];
					p[i] -= lrs[0] / (1 - Math.pow(lrs[1], step)) * m[i] / (Math.sqrt(v[i] / (1 - Math.pow(lrs[2], step))) + lrs[3]);
				}
			}
			float[] got = wp.toFloatArray();
			for (int i = 0; i < p.length; i++)
				if (!(Math.abs(got[i] - p[i]) <= 1e-5 * Math.max(1, Math.abs(p[i]))) || grad[i] != 0)
					throw new IllegalStateException("libtorch's fused Adam disagrees with the reference: " + java.util.Arrays.toString(got)
						+ " instead of " + java.util.Arrays.toString(p) + " (gradient after the step " + java.util.Arrays.toString(grad) + ")");
		}
	}

	/** Adam's update of {@code p} in place at step {@code t} (1-based), moments {@code m}, {@code v}; then g ← 0. */
	public void step(NDArray p, NDArray g, NDArray m, NDArray v, long t, float lr, float beta1, float beta2, float eps) {
		try (NDArray step = manager.create((float) t)) {
			IValue[] in = {IValue.listFrom((PtNDArray) p), IValue.listFrom((PtNDArray) g), IValue.listFrom((PtNDArray) m), IValue.listFrom((PtNDArray) v),
				IValue.listFrom((PtNDArray) step), IValue.from((double) lr), IValue.from((double) beta1), IValue.from((double) beta2), IValue.from((double) eps)};
			try {
				module.call(in).close();
			} finally {
				for (IValue i : in) i.close();
			}
		}
	}

	@Override
	public void close() {
		module.close();
		manager.close();
	}
}
