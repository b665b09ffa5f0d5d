package io.github.ctlatent.data.phantom;

/**
 * 2D signed distances (negative inside, in mm) and the partial-volume coverage of a pixel, the only geometry the
 * phantom needs. Distances away from the boundary are approximate, which is enough: only the band of about one
 * pixel around an edge is ever turned into a grey level.
 */
final class Shapes {

	private Shapes() {}

	/** Approximate signed distance to the ellipse centred at (cu, cv) with half-axes a, b (exact on the boundary). */
	static double ellipse(double u, double v, double cu, double cv, double a, double b) {
		double x = u - cu, y = v - cv;
		double k0 = Math.sqrt(x * x / (a * a) + y * y / (b * b));
		if (k0 < 1e-9) return -Math.min(a, b);
		double k1 = Math.sqrt(x * x / (a * a * a * a) + y * y / (b * b * b * b));
		return k0 * (k0 - 1) / k1;
	}

	static double circle(double u, double v, double cu, double cv, double r) {
		double x = u - cu, y = v - cv;
		return Math.sqrt(x * x + y * y) - r;
	}

	/** Signed distance to a capsule: the segment (au, av)–(bu, bv) thickened by radius r. */
	static double capsule(double u, double v, double au, double av, double bu, double bv, double r) {
		double px = u - au, py = v - av, dx = bu - au, dy = bv - av;
		double t = clamp((px * dx + py * dy) / (dx * dx + dy * dy), 0, 1);
		double ex = px - t * dx, ey = py - t * dy;
		return Math.sqrt(ex * ex + ey * ey) - r;
	}

	/** True when (u, v) is farther than {@code margin} outside the axis-aligned box of half-size (a, b) around (cu, cv). */
	static boolean outside(double u, double v, double cu, double cv, double a, double b, double margin) {
		return Math.abs(u - cu) > a + margin || Math.abs(v - cv) > b + margin;
	}

	/**
	 * Share of a pixel of size {@code px} covered by the inside of a shape whose signed distance at the pixel centre is
	 * {@code d}: exact for a straight edge crossing a square pixel along an axis, a linear ramp over one pixel.
	 */
	static double cover(double d, double px) {
		return clamp(0.5 - d / px, 0, 1);
	}

	/** Hermite smooth step from 0 at {@code e0} to 1 at {@code e1}. */
	static double smoothstep(double e0, double e1, double x) {
		double t = clamp((x - e0) / (e1 - e0), 0, 1);
		return t * t * (3 - 2 * t);
	}

	/** {@code over} painted on {@code under} where it covers {@code coverage} of the pixel. */
	static double blend(double under, double over, double coverage) {
		return under + (over - under) * coverage;
	}

	static double clamp(double x, double lo, double hi) {
		return x < lo ? lo : Math.min(x, hi);
	}
}
