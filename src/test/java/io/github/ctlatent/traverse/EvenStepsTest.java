package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.evaluate.Stats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Known answers of spacing=even: a stripe that moves as shift³ is shown at an even pace; a flat direction is named. */
class EvenStepsTest {

	static CubicBlobGenerator g;
	static final Directions AXES = Directions.of(new float[][] {{1, 0}, {0, 1}});
	static final float[] ORIGIN = {0, 0};

	@BeforeAll
	static void generator() {
		g = new CubicBlobGenerator();
	}

	@AfterAll
	static void close() {
		g.close();
	}

	/** The stripe's x centroid in every frame: the "position along the body" of this toy. */
	private static double[] centroids(TraversalVolume v) {
		double[] c = new double[v.frames()];
		for (int f = 0; f < v.frames(); f++) {
			float[] p = v.plane(0, f);
			double sw = 0, sx = 0;
			for (int i = 0; i < p.length; i++) {
				double w = (p[i] + 1) / 2;
				sw += w;
				sx += w * (i % v.size());
			}
			c[f] = sx / sw;
		}
		return c;
	}

	@Test
	void aStripeMovingAsShiftCubedAdvancesEvenlyWithEvenSpacing() {
		Traversal.Range range = new Traversal.Range(2, 17);
		TraversalVolume linear = Traversal.walk(g, AXES, new int[] {0}, ORIGIN, range, Spacing.LINEAR, Monitor.NONE);
		TraversalVolume even = Traversal.walk(g, AXES, new int[] {0}, ORIGIN, range, Spacing.EVEN, Monitor.NONE);

		double cvLinear = Stats.stepCv(centroids(linear)), cvEven = Stats.stepCv(centroids(even));
		assertTrue(cvLinear > 0.5, "linear step CV " + cvLinear);
		assertTrue(cvEven < 0.2, "even step CV " + cvEven);
		// the ends stay at ±r; the stripe's position is known, so each even shift moves it by 1/16 of the span
		double[] s = even.shifts(0);
		assertEquals(-2, s[0], 1e-12);
		assertEquals(2, s[16], 1e-12);
		for (int f = 0; f < 17; f++)
			assertEquals(CubicBlobGenerator.position(-2) + f * (CubicBlobGenerator.position(2) - CubicBlobGenerator.position(-2)) / 16,
				CubicBlobGenerator.position(s[f]), 0.25, "frame " + f);
		assertEquals(Spacing.EVEN, even.spacing());
		assertTrue(Double.isNaN(even.shiftStep()));
		assertEquals(0.25, linear.shiftStep(), 1e-12);
	}

	@Test
	void unevenShiftsAreStatedNotCalibrated() {
		TraversalVolume even = Traversal.walk(g, AXES, new int[] {0}, ORIGIN, new Traversal.Range(2, 9), Spacing.EVEN, Monitor.NONE);
		ij.ImagePlus imp = even.imagePlus("t", false);
		assertEquals("frame", imp.getCalibration().getZUnit());
		assertEquals(1.0, imp.getCalibration().pixelDepth);
		String info = (String) imp.getProperty("Info");
		assertTrue(info.contains("spacing=even") && info.contains(String.format(java.util.Locale.ROOT, "%+.4f", even.shifts(0)[3])), info);
		assertTrue(imp.getStack().getSliceLabel(4).endsWith(String.format("shift %+.2f", even.shifts(0)[3])), imp.getStack().getSliceLabel(4));
	}

	@Test
	void placeInvertsTheArcLengthBetweenFineSamples() {
		double[] fine = new double[101], cum = new double[101];
		for (int i = 0; i <= 100; i++) {
			fine[i] = i / 100.0;
			cum[i] = fine[i] * fine[i];
		}
		double[] at = EvenSteps.place(fine, cum, 3);
		assertEquals(0, at[0]);
		assertEquals(Math.sqrt(0.5), at[1], 1e-4);
		assertEquals(1, at[2]);
	}

	@Test
	void aDirectionThatChangesNothingIsNamedNotNaN() {
		ExplorerException zero = assertThrows(ExplorerException.class, () -> EvenSteps.place(new double[] {-1, 0, 1}, new double[3], 3));
		assertTrue(zero.getMessage().contains("image arc length 0.0") && zero.getMessage().contains("spacing=linear"), zero.getMessage());

		List<String> log = new ArrayList<>();
		Monitor m = new Monitor() {
			@Override public void progress(long done, long total, String status) {}
			@Override public void log(String line) { log.add(line); }
			@Override public boolean isCanceled() { return false; }
		};
		TraversalVolume v = Traversal.walk(g, AXES, new int[] {0, 1}, ORIGIN, new Traversal.Range(2, 5), Spacing.EVEN, m);
		assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, v.shifts(1), 1e-12);
		assertTrue(log.stream().anyMatch(l -> l.contains("spacing=even: direction 1 does not change the image") && l.contains("arc length 0")), log.toString());
		for (int f = 0; f < 5; f++) for (float p : v.plane(1, f)) assertFalse(Float.isNaN(p));

		ExplorerException flat = assertThrows(ExplorerException.class, () -> Traversal.walk(g, AXES, new int[] {1}, ORIGIN, new Traversal.Range(2, 5), Spacing.EVEN, Monitor.NONE));
		assertTrue(flat.getMessage().startsWith("The traversal is constant"), flat.getMessage());
	}

	@Test
	void spacingKeysAreCheckedWithTheChoices() {
		assertEquals(Spacing.LINEAR, Spacing.parse(""));
		assertEquals(Spacing.EVEN, Spacing.parse("Even"));
		ExplorerException e = assertThrows(ExplorerException.class, () -> Spacing.parse("log"));
		assertTrue(e.getMessage().contains("spacing=linear") && e.getMessage().contains("spacing=even"), e.getMessage());
	}
}
