package io.github.ctlatent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.FusedAdam;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class AdamTest {

	@Test
	void libtorchsFusedKernelIsUsedOnThisEngine() {
		Engines.pytorch();
		assertNull(FusedAdam.unavailableReason(), "the fused Adam kernel should load with libtorch 2.7.1");
		FusedAdam kernel = FusedAdam.instance();
		assertNotNull(kernel);
		// and its self-test refuses a kernel that computes otherwise (here: β2 off by 0.009)
		assertThrows(IllegalStateException.class, () -> FusedAdam.selfTest((p, g, m, v, t, lr, b1, b2, eps) -> kernel.step(p, g, m, v, t, lr, b1, 0.99f, eps)));
		FusedAdam.selfTest(kernel::step);
	}

	@Test
	void firstStepsMatchPyTorchAdamByHand() {
		firstStepsMatchPyTorchAdamByHand(false);
		firstStepsMatchPyTorchAdamByHand(true);
	}

	@Test
	void fusedAndInPlacePathsAgreeOnALargeParameter() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			// given two copies of a weight and the same gradients
			NDArray w1 = m.randomNormal(new ai.djl.ndarray.types.Shape(1000, 37)), w2 = w1.duplicate();
			Adam fused = new Adam(m, 2e-4f, 0.5f, 0.999f), inPlace = new Adam(m, 2e-4f, 0.5f, 0.999f).withoutFusedKernel();
			for (int t = 0; t < 5; t++) {
				NDArray g = m.randomNormal(w1.getShape());
				try (NDArray g1 = g.duplicate(); NDArray g2 = g.duplicate()) {
					// when each optimizer takes its steps
					fused.update("w", w1, g1);
					inPlace.update("w", w2, g2);
					// then the gradients are cleared
					assertEquals(0f, g1.abs().max().getFloat());
					assertEquals(0f, g2.abs().max().getFloat());
				}
			}
			// and the weights agree to float rounding
			assertTrue(w1.sub(w2).abs().max().getFloat() < 1e-6f, "fused vs in-place: " + w1.sub(w2).abs().max().getFloat());
		}
	}

	private static void firstStepsMatchPyTorchAdamByHand(boolean inPlace) {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray w = m.create(new float[] {1f, -2f});
			Adam adam = new Adam(m, 0.1f, 0.9f, 0.999f);
			if (inPlace) adam.withoutFusedKernel();
			double[] p = {1, -2}, mm = new double[2], vv = new double[2];
			for (int t = 1; t <= 3; t++) {
				float[] g = {0.5f * t, -1f};
				try (NDArray grad = m.create(g)) {
					adam.update("w", w, grad);
				}
				for (int i = 0; i < 2; i++) {
					mm[i] = 0.9 * mm[i] + 0.1 * g[i];
					vv[i] = 0.999 * vv[i] + 0.001 * g[i] * g[i];
					p[i] -= 0.1 * (mm[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(vv[i] / (1 - Math.pow(0.999, t))) + 1e-8);
				}
			}
			assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, w.toFloatArray(), 1e-5f, inPlace ? "in place" : "fused");
		}
	}

	@Test
	void savedStateResumesBitIdentically() throws Exception {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray a = m.create(new float[] {0.3f, 0.7f}), b = m.create(new float[] {0.3f, 0.7f});
			Adam first = new Adam(m, 0.01f, 0.5f, 0.999f);
			step(first, a, 1f);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			first.save(new DataOutputStream(bytes), id -> "weights");
			step(first, a, 2f);
			Adam resumed = new Adam(m, 0.01f, 0.5f, 0.999f);
			step(new Adam(m, 0.01f, 0.5f, 0.999f), b, 1f); // the weights saved with the checkpoint
			resumed.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), name -> "w");
			step(resumed, b, 2f);
			assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
		}
	}

	private static void step(Adam adam, NDArray w, float g) {
		try (NDArray grad = w.getManager().create(new float[] {g, -g})) {
			adam.update("w", w, grad);
		}
	}
}
