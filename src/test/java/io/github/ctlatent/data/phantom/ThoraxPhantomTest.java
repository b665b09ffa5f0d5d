package io.github.ctlatent.data.phantom;

import io.github.ctlatent.data.Volume;
import io.github.ctlatent.data.phantom.PhantomFactors.Factor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThoraxPhantomTest {

	static final int N = 64, S = 33;

	/** Share of voxels of a slice within [lo, hi] HU. */
	static double share(Volume v, int k, double lo, double hi) {
		int c = 0;
		for (float f : v.plane(k)) if (f >= lo && f <= hi) c++;
		return c / (double) (v.width() * v.height());
	}

	/** Share of voxels of a slice that lie, with their four neighbours, within [lo, hi] HU (no edge voxels). */
	static double interiorShare(Volume v, int k, double lo, double hi) {
		int c = 0, w = v.width();
		for (int y = 1; y < v.height() - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				boolean in = true;
				for (int[] d : new int[][] {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
					float f = v.get(x + d[0], y + d[1], k);
					in &= f >= lo && f <= hi;
				}
				if (in) c++;
			}
		return c / (double) (w * v.height());
	}

	static int slice(double z) {
		return (int) Math.round(z * (S - 1));
	}

	@Test
	void volumeIsHounsfieldWithPhysicalSpacing() {
		Volume v = ThoraxPhantom.render(PhantomFactors.mean(), N, S).volume();
		assertTrue(v.isHounsfield());
		assertEquals(N, v.width());
		assertEquals(S, v.depth());
		assertArrayEquals(new double[] {ThoraxPhantom.FOV_MM / N, ThoraxPhantom.FOV_MM / N, ThoraxPhantom.LENGTH_MM / (S - 1)}, v.spacing(), 1e-9);
		assertEquals(-1000, v.get(0, 0, 0), 1e-3, "air in the corner");
		assertEquals("CT", v.metadata().get("Modality"));
	}

	@Test
	void midThoraxShowsLungsSoftTissueFatAndBoneAbdomenShowsNoLung() {
		Volume v = ThoraxPhantom.render(PhantomFactors.mean(), N, S).volume();
		int mid = slice(0.45), abdomen = slice(1.0);
		assertTrue(share(v, mid, -900, -780) > 0.05, "lung parenchyma at mid-thorax");
		assertTrue(share(v, mid, -130, -70) > 0.02, "subcutaneous fat");
		assertTrue(share(v, mid, 20, 120) > 0.05, "soft tissue");
		assertTrue(share(v, mid, 400, 1100) > 0.005, "bone");
		assertTrue(interiorShare(v, mid, -900, -700) > 0.03, "lung interior at mid-thorax");
		assertEquals(0, interiorShare(v, abdomen, -900, -700), "no lung in the upper abdomen");
		assertTrue(share(v, abdomen, 50, 120) > 0.05, "liver in the upper abdomen");
		// partial volume: edges take intermediate values rather than jumping from air to fat
		assertTrue(share(v, mid, -900, -150) - share(v, mid, -900, -780) > 0.002, "blended edges");
	}

	@Test
	void diaphragmRightDomeIsHigherThanLeft() {
		Volume v = ThoraxPhantom.render(PhantomFactors.mean(), N, 61).volume();
		// the first slice where the liver (+90) appears on the patient's right (image left) comes before the
		// first one with spleen/stomach tissue below the left dome, seen as lung disappearing earlier on the right
		int right = firstLowLung(v, 0, N / 2), left = firstLowLung(v, N / 2, N);
		assertTrue(right < left, "right lung shrinks first: " + right + " vs " + left);
	}

	/** First slice (from the middle) whose lung area in columns [x0, x1) falls below 60% of the maximum. */
	private static int firstLowLung(Volume v, int x0, int x1) {
		int[] area = new int[v.depth()];
		for (int k = 0; k < v.depth(); k++)
			for (int y = 0; y < v.height(); y++)
				for (int x = x0; x < x1; x++) if (v.get(x, y, k) < -700 && v.get(x, y, k) > -950) area[k]++;
		int max = Arrays.stream(area).max().orElseThrow();
		for (int k = v.depth() / 3; k < v.depth(); k++) if (area[k] < 0.6 * max) return k;
		return v.depth();
	}

	@Test
	void labelsCarryFactorsAndObservability() {
		PhantomFactors f = PhantomFactors.draw(5);
		List<SliceFactors> labels = ThoraxPhantom.render(3, f, 32, S, 0, 0).slices();
		assertEquals(S, labels.size());
		assertEquals(0.0, labels.get(0).z());
		assertEquals(1.0, labels.get(S - 1).z());
		assertEquals(3, labels.get(7).volume());
		assertEquals(f, labels.get(7).factors());
		assertFalse(labels.get(0).breastObservable(), "no breasts at the apex");
		assertTrue(labels.get(slice(0.47)).breastObservable());
		assertFalse(labels.get(S - 1).breastObservable(), "no breasts in the abdomen");
		assertTrue(labels.get(slice(0.4)).lungObservable());
		assertFalse(labels.get(S - 1).lungObservable(), "no lung at z = 1");
		assertTrue(labels.get(0).observable(Factor.ROTATION));
	}

	@Test
	void largerLungsPushTheDiaphragmDown() {
		int small = lastLungSlice(PhantomFactors.mean().with(Factor.LUNG, Factor.LUNG.min));
		int large = lastLungSlice(PhantomFactors.mean().with(Factor.LUNG, Factor.LUNG.max));
		assertTrue(large > small + 1, "last lung slice " + small + " -> " + large);
	}

	private static int lastLungSlice(PhantomFactors f) {
		List<SliceFactors> l = ThoraxPhantom.render(0, f, 32, S, 0, 0).slices();
		int last = -1;
		for (SliceFactors s : l) if (s.lungObservable()) last = s.slice();
		return last;
	}

	@Test
	void renderingIsDeterministicAndNoiseHasTheRequestedStd() {
		PhantomFactors f = PhantomFactors.draw(11);
		Volume a = ThoraxPhantom.render(0, f, 32, 8, 20, 99).volume(), b = ThoraxPhantom.render(0, f, 32, 8, 20, 99).volume();
		Volume clean = ThoraxPhantom.render(0, f, 32, 8, 0, 0).volume();
		double sq = 0;
		int n = 0;
		for (int k = 0; k < 8; k++) {
			assertArrayEquals(a.plane(k), b.plane(k));
			for (int i = 0; i < 32 * 32; i++) {
				double d = a.plane(k)[i] - clean.plane(k)[i];
				sq += d * d;
				n++;
			}
		}
		assertEquals(20, Math.sqrt(sq / n), 1.0);
	}

	@Test
	void rotationTurnsThePatientButNotTheTable() {
		Volume left = ThoraxPhantom.render(PhantomFactors.mean().with(Factor.ROTATION, -15), N, 3).volume();
		Volume right = ThoraxPhantom.render(PhantomFactors.mean().with(Factor.ROTATION, 15), N, 3).volume();
		// a roll to the other side is (nearly) the mirror image, but not the same image
		assertTrue(meanAbsDiff(left, mirror(right), 1) < 0.25 * meanAbsDiff(left, right, 1));
		// the table stays level: the same height at both sides
		assertEquals(tableY(right, 4), tableY(right, N - 5), 0.01);
	}

	@Test
	void yShiftMovesPatientAndTableDown() {
		Volume up = ThoraxPhantom.render(PhantomFactors.mean().with(Factor.Y_SHIFT, -25), N, 3).volume();
		Volume down = ThoraxPhantom.render(PhantomFactors.mean().with(Factor.Y_SHIFT, 25), N, 3).volume();
		assertEquals(50, (tableY(down, 4) - tableY(up, 4)) * up.spacing()[1], 1);
		assertEquals(50, (bodyY(down) - bodyY(up)) * up.spacing()[1], 3);
	}

	/** Centroid row of the non-air in a column beside the patient, where only the table is. */
	static double tableY(Volume v, int x) {
		double m = 0, my = 0;
		for (int y = 0; y < v.height(); y++) {
			double w = v.get(x, y, 1) + 1000;
			m += w;
			my += w * y;
		}
		assertTrue(m > 100, "table in column " + x);
		return my / m;
	}

	/** Centroid row of the lung voxels of the middle slice. */
	static double bodyY(Volume v) {
		double m = 0, my = 0;
		for (int y = 0; y < v.height(); y++)
			for (int x = 0; x < v.width(); x++)
				if (v.get(x, y, 1) < -700 && v.get(x, y, 1) > -900) {
					m++;
					my += y;
				}
		return my / m;
	}

	@Test
	void anatomyDoesNotDependOnMatrixSize() {
		Volume small = ThoraxPhantom.render(PhantomFactors.mean(), 32, 9).volume();
		Volume large = ThoraxPhantom.render(PhantomFactors.mean(), 128, 9).volume();
		for (int k : new int[] {2, 4, 7}) assertEquals(mean(small, k), mean(large, k), 15, "slice " + k);
	}

	static double mean(Volume v, int k) {
		double s = 0;
		for (float f : v.plane(k)) s += f;
		return s / v.plane(k).length;
	}

	static Volume mirror(Volume v) {
		float[][] planes = new float[v.depth()][];
		for (int k = 0; k < v.depth(); k++) {
			float[] p = new float[v.width() * v.height()];
			for (int y = 0; y < v.height(); y++)
				for (int x = 0; x < v.width(); x++) p[y * v.width() + x] = v.get(v.width() - 1 - x, y, k);
			planes[k] = p;
		}
		return new Volume("mirror", v.width(), v.height(), planes, v.spacing(), true, v.metadata());
	}

	static double meanAbsDiff(Volume a, Volume b, int k) {
		double s = 0;
		for (int i = 0; i < a.plane(k).length; i++) s += Math.abs(a.plane(k)[i] - b.plane(k)[i]);
		return s / a.plane(k).length;
	}
}
