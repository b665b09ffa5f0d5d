package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdaptiveAveragingTest {

	/** (2n, d) from rows given pair by pair: first images, then partners. */
	private static NDArray rows(NDManager m, float[][] first, float[][] second) {
		int n = first.length, d = first[0].length;
		float[] flat = new float[2 * n * d];
		for (int i = 0; i < n; i++) {
			System.arraycopy(first[i], 0, flat, i * d, d);
			System.arraycopy(second[i], 0, flat, (n + i) * d, d);
		}
		return m.create(flat, new Shape(2L * n, d));
	}

	@Test
	void twoPosteriorsThatDifferOnlyInOneDimensionShareAllOthers() {
		try (NDManager m = NDManager.newBaseManager()) {
			// given one pair identical in every dimension but k = 2
			float[] mu1 = {0.3f, -1f, 2f, 0.5f}, mu2 = {0.3f, -1f, -1f, 0.5f};
			float[] lv = {-1f, 0f, 0.5f, -2f};
			// when the posteriors are shared adaptively
			AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(rows(m, new float[][] {mu1}, new float[][] {mu2}),
				rows(m, new float[][] {lv}, new float[][] {lv}));
			// then only dimension 2 keeps its own posterior in each image; the others (already equal) stay as they were
			assertArrayEquals(new float[] {0.3f, -1f, 2f, 0.5f, 0.3f, -1f, -1f, 0.5f}, s.mu().toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] {-1f, 0f, 0.5f, -2f, -1f, 0f, 0.5f, -2f}, s.logvar().toFloatArray(), 1e-5f);
			assertEquals(3f, s.sharedPerPair(), 0f);
		}
	}

	@Test
	void dimensionsBelowHalfwayBetweenTheSmallestAndLargestKlGetTheAverageMeanAndVariance() {
		try (NDManager m = NDManager.newBaseManager()) {
			// given per-dimension KLs 0.5·(ln 3 + 1/3 − 1) ≈ 0.216 (variance 1 vs 3), 8 (means 4 apart) and 0 → τ = 4;
			// pair 2 swaps which dimension changes, so the threshold is per pair
			float ln3 = (float) Math.log(3);
			NDArray mu = rows(m, new float[][] {{1f, 2f, 0f}, {2f, 0f, 5f}}, new float[][] {{1f, -2f, 0f}, {-2f, 0f, 5f}});
			NDArray lv = rows(m, new float[][] {{0f, 0f, 0f}, {0f, 0f, 0f}}, new float[][] {{ln3, 0f, 0f}, {0f, ln3, 0f}});
			// when shared
			AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(mu, lv);
			// then the small-KL dimensions carry mean (μ1+μ2)/2 and variance (1+3)/2 = 2 in both images; the changed one its own
			float ln2 = (float) Math.log(2);
			assertArrayEquals(new float[] {1f, 2f, 0f, 2f, 0f, 5f, 1f, -2f, 0f, -2f, 0f, 5f}, s.mu().toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] {ln2, 0f, 0f, 0f, ln2, 0f, ln2, 0f, 0f, 0f, ln2, 0f}, s.logvar().toFloatArray(), 1e-6f);
			assertEquals(2f, s.sharedPerPair(), 0f);
		}
	}

	@Test
	void withAPositionAxisASlicePairSharesAllButAxisZeroAndAGeometricPairSharesAxisZeroToo() {
		try (NDManager m = NDManager.newBaseManager()) {
			// given a slice pair that differs most in dimension 2 (the adaptive choice would keep 2 and share 0, 1)
			// and a geometric pair (offset 0) that differs in dimensions 0 and 1
			NDArray mu = rows(m, new float[][] {{1f, 1f, 3f}, {4f, 2f, 0f}}, new float[][] {{1.2f, 1f, -3f}, {0f, -2f, 0f}});
			NDArray lv = m.zeros(new Shape(4, 3));
			// when shared with axis 0 the position (the slice pair's partner lies a tenth of the volume further)
			AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(mu.reshape(4, 3, 1, 1), lv.reshape(4, 3, 1, 1), new float[] {0.1f, 0f});
			// then the slice pair keeps only axis 0 its own (1 vs 1.2) and averages dimension 2 though it changed most;
			// the geometric pair averages axis 0 (its position did not change) and keeps dimension 1, which changed
			assertArrayEquals(new float[] {1f, 1f, 0f, 2f, 2f, 0f, 1.2f, 1f, 0f, 2f, -2f, 0f}, s.mu().toFloatArray(), 1e-6f);
			assertEquals(new Shape(4, 3, 1, 1), s.mu().getShape());
			assertEquals(2f, s.sharedPerPair(), 0f);
			// and without offsets the adaptive choice stands for both
			assertArrayEquals(new float[] {1.1f, 1f, 3f, 4f, 2f, 0f}, java.util.Arrays.copyOf(AdaptiveAveraging.apply(mu, lv).mu().toFloatArray(), 6), 1e-6f);
		}
	}

	@Test
	void swappingGivesEachSliceItsPartnersPosteriorBeyondAxisZeroWhileGeometricPairsStillAverage() {
		try (NDManager m = NDManager.newBaseManager()) {
			// given the pairs above, with log-variances that tell the images apart
			NDArray mu = rows(m, new float[][] {{1f, 1f, 3f}, {4f, 2f, 0f}}, new float[][] {{1.2f, 1f, -3f}, {0f, -2f, 0f}});
			NDArray lv = rows(m, new float[][] {{0f, -1f, -2f}, {0f, 0f, 0f}}, new float[][] {{0f, -3f, -4f}, {0f, 0f, 0f}});
			// when shared with swapping
			AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(mu, lv, new float[] {0.1f, 0f}, true);
			// then the slice pair keeps axis 0 its own and exchanges dimensions 1 and 2, means and variances alike;
			// the geometric pair is shared as without swapping
			assertArrayEquals(new float[] {1f, 1f, -3f, 2f, 2f, 0f, 1.2f, 1f, 3f, 2f, -2f, 0f}, s.mu().toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] {0f, -3f, -4f, 0f, 0f, 0f, 0f, -1f, -2f, 0f, 0f, 0f}, s.logvar().toFloatArray(), 1e-6f);
			assertEquals(2f, s.sharedPerPair(), 0f);
			assertArrayEquals(AdaptiveAveraging.apply(mu, lv, new float[] {0.1f, 0f}).mu().get("1").toFloatArray(), s.mu().get("1").toFloatArray(), 1e-6f);
		}
	}

	@Test
	void withKnownGeometricAxesAGeometricPairKeepsOnlyItsChangesAxis() {
		try (NDManager m = NDManager.newBaseManager()) {
			// given on a 6-d latent a slice pair, a pair made by an x-scale (change 2: axis 3) and one by a rotation (change
			// 0: axis 1); the x-scale pair differs most in dimension 5, where the adaptive choice would keep it
			NDArray mu = rows(m, new float[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 2, 1, 1}, {0, 4, 0, 0, 0, 0}},
				new float[][] {{3, 3, 3, 3, 3, 3}, {3, 3, 3, 4, 3, 9}, {2, 6, 2, 2, 2, 2}});
			NDArray lv = m.zeros(new Shape(6, 6));
			float[] offsets = {0.2f, 0f, 0f};
			float[][] changes = {{0f, 0f, -0.3f}, {0f, 0f, 0f}, {0f, 0.25f, 0f}, {0f, 0f, 0f}};
			// when shared with the changes known
			AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(mu, lv, offsets, false, changes);
			// then the slice pair keeps axis 0, the x-scale pair axis 3 (not 5), the rotation pair axis 1; all else is averaged
			assertArrayEquals(new float[] {1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5, 1, 4, 1, 1, 1, 1}, java.util.Arrays.copyOf(s.mu().toFloatArray(), 18), 1e-6f);
			assertArrayEquals(new float[] {3, 2, 2, 2, 2, 2, 2, 2, 2, 4, 2, 5, 1, 6, 1, 1, 1, 1}, java.util.Arrays.copyOfRange(s.mu().toFloatArray(), 18, 36), 1e-6f);
			assertEquals(5f, s.sharedPerPair(), 0f);
			// and known changes without the position's offsets are refused
			assertThrows(IllegalArgumentException.class, () -> AdaptiveAveraging.apply(mu, lv, null, false, changes));
		}
	}
}
