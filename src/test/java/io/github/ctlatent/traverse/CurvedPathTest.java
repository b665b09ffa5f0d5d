package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.SymmetricEigen;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Known answers of path=curved: it follows a generator's turning axis of change, and is the straight line where nothing turns. */
class CurvedPathTest {

	static final float[] ON_CIRCLE = {2, 0};
	static final Directions TANGENT = Directions.of(new float[][] {{0, 1}});

	@Test
	void theCurvedWalkFollowsTheCircleAlongWhichTheBlobOnlyScrolls() {
		Traversal.Range range = new Traversal.Range(2, 9);
		try (RotatingBlobGenerator g = new RotatingBlobGenerator()) {
			TraversalVolume straight = Traversal.walk(g, TANGENT, new int[] {0}, ON_CIRCLE, range, Spacing.LINEAR, WalkPath.straight(), Monitor.NONE);
			TraversalVolume curved = Traversal.walk(g, TANGENT, new int[] {0}, ON_CIRCLE, range, Spacing.LINEAR, WalkPath.curved(2), Monitor.NONE);
			CurvedPath path = CurvedPath.follow(g, TANGENT, 0, ON_CIRCLE, 2, 2, Monitor.NONE);
			for (int f = 0; f < range.frames(); f++) {
				double s = range.shift(f);
				float[] z = path.at(s);
				assertEquals(2, Math.hypot(z[0], z[1]), 0.01, "the code stays on the circle ρ = 2 at shift " + s);
				assertEquals(s / 2, Math.atan2(z[1], z[0]), 0.01, "arc length |s| along the circle at shift " + s);
				double[] c = RotatingBlobGenerator.centroid(curved.plane(0, f));
				assertEquals(RotatingBlobGenerator.CENTRE, c[1], 0.05, "the blob does not move down (frame " + f + ")");
				assertEquals(RotatingBlobGenerator.CENTRE + RotatingBlobGenerator.A * s / 2, c[0], 0.15, "the blob scrolls evenly (frame " + f + ")");
			}
			// the straight line through the same frames leaves the circle: the blob also moves down, by B·(√8 − 2) ≈ 1.7 px at the ends
			double[] end = RotatingBlobGenerator.centroid(straight.plane(0, range.frames() - 1));
			assertTrue(end[1] - RotatingBlobGenerator.CENTRE > 1.5, "straight walk's drift " + (end[1] - RotatingBlobGenerator.CENTRE));
			assertEquals(WalkPath.curved(2), curved.path());
			// the last heading is the tangent at the last step's midpoint, arc 2 − 0.125: (1.875 / ρ) rad
			assertEquals(Math.toDegrees(1.875 / 2), path.turn(0), 0.5, "the + half turns by the angle it walks round the circle");
			assertArrayEquals(straight.shifts(0), curved.shifts(0), "frames keep the straight walk's shifts");
		}
	}

	@Test
	void curvedAndEvenCombine() {
		Traversal.Range range = new Traversal.Range(2, 9);
		try (RotatingBlobGenerator g = new RotatingBlobGenerator()) {
			TraversalVolume v = Traversal.walk(g, TANGENT, new int[] {0}, ON_CIRCLE, range, Spacing.EVEN, WalkPath.curved(1), Monitor.NONE);
			// along the circle the blob moves A/ρ pixels per unit everywhere: equal image change is equal shift steps
			double[] s = v.shifts(0);
			for (int f = 0; f < s.length; f++) assertEquals(range.shift(f), s[f], 0.03, "frame " + f);
			assertEquals(Spacing.EVEN, v.spacing());
			assertTrue(v.path().curved());
		}
	}

	@Test
	void onALinearGeneratorTheCurvedPathIsTheStraightLine() {
		float[][] w = {{3, 0.5f, 0, 0.2f}, {0.1f, 2, 0.4f, 0}, {0, 0.3f, 1, 0.6f}, {0.5f, 0, 0.2f, 0.4f}, {1, 1, 0, 0}, {0, 0.2f, 0.7f, 0.1f}};
		try (MatrixGenerator g = new MatrixGenerator(w)) {
			double[][] wtw = new double[4][4];
			for (float[] row : w) for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) wtw[i][j] += row[i] * row[j];
			double[][] v = SymmetricEigen.of(wtw).vectors();
			float[][] rows = new float[4][4];
			for (int c = 0; c < 4; c++) for (int i = 0; i < 4; i++) rows[c][i] = (float) v[c][i];
			Directions singular = Directions.of(rows);
			float[] base = {0.3f, -1.2f, 0.5f, 0.8f};
			Traversal.Range range = new Traversal.Range(3, 7);
			int[] all = {0, 1, 2, 3};
			TraversalVolume straight = Traversal.walk(g, singular, all, base, range, Spacing.LINEAR, WalkPath.straight(), Monitor.NONE);
			TraversalVolume curved = Traversal.walk(g, singular, all, base, range, Spacing.LINEAR, WalkPath.curved(4), Monitor.NONE);
			for (int j = 0; j < all.length; j++)
				for (int f = 0; f < range.frames(); f++) assertArrayEquals(straight.plane(j, f), curved.plane(j, f), 1e-3f, "direction " + j + ", frame " + f);

			// a direction between two singular vectors snaps to the closer one and goes straight along it
			float[] between = new float[4];
			for (int i = 0; i < 4; i++) between[i] = (float) (0.8 * v[1][i] + 0.6 * v[2][i]);
			CurvedPath p = CurvedPath.follow(g, Directions.of(new float[][] {between}), 0, base, 3, 4, Monitor.NONE);
			float[] end = p.at(3);
			for (int i = 0; i < 4; i++) assertEquals(base[i] + 3 * v[1][i], end[i], 1e-3, "coordinate " + i);

			// projected instead: the heading stays inside the span of the top 3, so the path is the straight line along it
			float[] projectedEnd = CurvedPath.follow(g, Directions.of(new float[][] {between}), 0, base, 3, WalkPath.projected(3), Monitor.NONE).at(3);
			for (int i = 0; i < 4; i++) assertEquals(base[i] + 3 * between[i], projectedEnd[i], 1e-3, "coordinate " + i);
			// and with only the top vector, a direction leaning on it goes along that vector
			float[] leaning = new float[4];
			for (int i = 0; i < 4; i++) leaning[i] = (float) (0.6 * v[0][i] + 0.8 * v[3][i]);
			float[] topEnd = CurvedPath.follow(g, Directions.of(new float[][] {leaning}), 0, base, 3, WalkPath.projected(1), Monitor.NONE).at(3);
			for (int i = 0; i < 4; i++) assertEquals(base[i] + 3 * v[0][i], topEnd[i], 1e-3, "coordinate " + i);
		}
	}

	@Test
	void theProjectedWalkAlsoFollowsTheCircle() {
		try (RotatingBlobGenerator g = new RotatingBlobGenerator()) {
			CurvedPath path = CurvedPath.follow(g, TANGENT, 0, ON_CIRCLE, 2, WalkPath.projected(1), Monitor.NONE);
			for (double s : new double[] {-2, -1, 1, 2}) {
				float[] z = path.at(s);
				assertEquals(2, Math.hypot(z[0], z[1]), 0.01, "shift " + s);
				assertEquals(s / 2, Math.atan2(z[1], z[0]), 0.01, "shift " + s);
			}
		}
	}

	@Test
	void badPathsAreNamed() {
		ExplorerException e = assertThrows(ExplorerException.class, () -> WalkPath.parse("wiggly", 8));
		assertTrue(e.getMessage().contains("path=straight") && e.getMessage().contains("path=curved"), e.getMessage());
		assertThrows(ExplorerException.class, () -> WalkPath.parse("curved", 0));
		assertEquals(WalkPath.straight(), WalkPath.parse(" ", 3));
		assertEquals(WalkPath.projected(3), WalkPath.parse("Projected", 3));
		assertEquals("projected", WalkPath.projected(3).key());
	}
}
