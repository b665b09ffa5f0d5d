package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class AdamTest {

	@Test
	void firstStepsMatchPyTorchAdamByHand() {
		Engines.pytorch();
		try (NDManager m = NDManager.newBaseManager()) {
			NDArray w = m.create(new float[] {1f, -2f});
			Adam adam = new Adam(m, 0.1f, 0.9f, 0.999f);
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
			assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, w.toFloatArray(), 1e-5f);
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
