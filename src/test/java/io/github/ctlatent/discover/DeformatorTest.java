package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DeformatorTest {

	private static final int D = 8;
	private NDManager manager;

	@BeforeEach
	void start() {
		Engines.pytorch();
		manager = NDManager.newBaseManager();
	}

	@AfterEach
	void stop() {
		manager.close();
	}

	private Deformator create(DeformatorType type, int k) {
		return Deformator.create(type, k, D, manager, new SplittableRandom(5));
	}

	private float[] shift(Deformator def, int k, float eps) {
		try (NDManager it = manager.newSubManager()) {
			NDArray s = def.shifts(new int[] {k}, new float[] {eps}, it);
			assertEquals(new Shape(1, D, 1, 1), s.getShape());
			return s.toFloatArray();
		}
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) s += x * x;
		return Math.sqrt(s);
	}

	@Test
	void projShiftsHaveLengthEpsilonButOppositeSignsAreNotOpposite() {
		Deformator proj = create(DeformatorType.PROJ, 12); // K > d is allowed
		for (float eps : new float[] {-6f, -0.5f, 0.5f, 3f}) assertEquals(Math.abs(eps), norm(shift(proj, 3, eps)), 1e-5);
		float[] plus = shift(proj, 3, 2f), minus = shift(proj, 3, -2f);
		double sum = 0;
		for (int i = 0; i < D; i++) sum += Math.abs(plus[i] + minus[i]);
		assertTrue(sum > 1e-3, "the bias makes +ε and −ε asymmetric (as the original)");
	}

	@Test
	void linearShiftIsEpsilonTimesTheRowPlusBias() {
		Deformator lin = create(DeformatorType.LINEAR, 5);
		float[] a = lin.directions()[2], b = lin.bias(), s = shift(lin, 2, 1.5f);
		for (int i = 0; i < D; i++) assertEquals(1.5f * a[i] + b[i], s[i], 1e-6);
		double rms = 0;
		for (float v : a) rms += v * v;
		assertEquals(0.1, Math.sqrt(rms / D), 0.06, "weights ~ 0.1·N(0,1)");
		for (float v : b) assertTrue(Math.abs(v) <= 1 / Math.sqrt(5), "bias ~ U(±1/√K)");
	}

	@Test
	void orthoDirectionsAreOrthonormalAndShiftsAreEpsilonTimesAColumn() {
		Deformator ortho = create(DeformatorType.ORTHO, D);
		float[][] a = ortho.directions();
		for (int i = 0; i < D; i++)
			for (int j = 0; j < D; j++) {
				double dot = 0;
				for (int c = 0; c < D; c++) dot += a[i][c] * a[j][c];
				assertEquals(i == j ? 1 : 0, dot, 1e-5);
			}
		float[] s = shift(ortho, 4, -2.5f);
		for (int i = 0; i < D; i++) assertEquals(-2.5f * a[4][i], s[i], 1e-5);
	}

	@Test
	void baselinesAreTheAxesAndAFixedOrthonormalSet() {
		Deformator id = create(DeformatorType.ID, D), random = create(DeformatorType.RANDOM, 6);
		float[] s = shift(id, 5, 2f);
		for (int i = 0; i < D; i++) assertEquals(i == 5 ? 2f : 0f, s[i]);
		float[][] q = random.directions();
		for (int i = 0; i < 6; i++) assertEquals(1, norm(q[i]), 1e-6);
		assertFalse(id.trainable());
		assertFalse(random.trainable());
	}

	@Test
	void aSavedSetReproducesEveryDeformatorsGeometry() {
		for (DeformatorType t : DeformatorType.values()) {
			Deformator def = create(t, t == DeformatorType.LINEAR || t == DeformatorType.PROJ ? 11 : D);
			DirectionSet set = new DirectionSet("voynov", t, Map.of(), "fp", def.directions(), def.bias(), null);
			for (float eps : new float[] {-4f, 0.5f, 6f}) assertArrayEquals(shift(def, 3, eps), set.shift(3, eps), 1e-5f, t + " ε=" + eps);
			try (Deformator restored = Deformator.of(set, manager)) {
				assertArrayEquals(shift(def, 1, 2f), shift(restored, 1, 2f), 1e-5f, t + " restored");
			}
		}
	}

	@Test
	void shapesThatATypeCannotHaveAreClearErrors() {
		assertTrue(assertThrows(ExplorerException.class, () -> create(DeformatorType.ORTHO, 5)).getMessage().contains("directions=" + D));
		assertThrows(ExplorerException.class, () -> create(DeformatorType.ID, D + 1));
	}
}
