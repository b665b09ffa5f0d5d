package io.github.ctlatent.data.phantom;

import static io.github.ctlatent.data.phantom.Shapes.blend;
import static io.github.ctlatent.data.phantom.Shapes.capsule;
import static io.github.ctlatent.data.phantom.Shapes.circle;
import static io.github.ctlatent.data.phantom.Shapes.clamp;
import static io.github.ctlatent.data.phantom.Shapes.cover;
import static io.github.ctlatent.data.phantom.Shapes.ellipse;
import static io.github.ctlatent.data.phantom.Shapes.outside;
import static io.github.ctlatent.data.phantom.Shapes.smoothstep;

/**
 * The bones of one axial slice: spine (vertebral body, arches, canal, a disc between levels), twelve ribs that drop
 * towards the front and end in costal cartilage, sternum and scapulae. Bones repeat along z per vertebral level, so
 * unlike the soft organs they are partial-volumed along z too (slice spacing {@code dzMm}).
 */
final class Skeleton {

	/** Distance between vertebral levels (and ribs), mm. */
	static final double LEVEL_MM = 24;
	/** How much lower (mm) a rib's anterior end lies than its posterior end. */
	static final double RIB_DROP_MM = 60;
	private static final int RIB_COUNT = 12;

	/** Centre v and radius of the vertebral body (the mediastinum is placed in front of it). */
	final double vsp, rvb;
	private final double px, zMm, dzMm, a, b, backI, vc, bc, ribA, ribB, canalV;
	private final double vertebraCover, sternumCover, sternumHalfWidth, scapula;

	/**
	 * @param a    body half-width; {@code b} half-height, {@code backI} the back's inner (muscle) edge
	 * @param vc   centre v of the rib cage, {@code ac, bc} its half-axes
	 */
	Skeleton(double z, double zMm, double px, double dzMm, double a, double b, double backI, double vc, double ac, double bc) {
		this.px = px;
		this.zMm = zMm;
		this.dzMm = dzMm;
		this.a = a;
		this.b = b;
		this.backI = backI;
		this.vc = vc;
		this.bc = bc;
		ribA = ac + 7;
		ribB = bc + 7;
		// the vertebral body bulges into the cage; levels separated by discs
		rvb = 13 + 5 * z;
		vsp = vc + bc - rvb - 6;
		canalV = vsp + rvb + 7;
		vertebraCover = band(zMm, 0, LEVEL_MM, (LEVEL_MM - 6) / 2);
		sternumCover = smoothstep(0.10, 0.13, z) * (1 - smoothstep(0.68, 0.72, z));
		sternumHalfWidth = z < 0.3 ? 17 : 11;
		scapula = 1 - smoothstep(0.38, 0.44, z);
	}

	/** The shoulder blades behind the rib cage (painted over the back muscles). */
	double scapulae(double hu, double u, double v) {
		if (scapula <= 0) return hu;
		double sc = Math.min(capsule(u, v, -0.30 * a, backI - 12, -0.70 * a, backI - 0.45 * b, 3),
			capsule(u, v, 0.30 * a, backI - 12, 0.70 * a, backI - 0.45 * b, 3));
		return blend(hu, AxialSlice.BONE, cover(sc, px) * scapula);
	}

	/** Spine, ribs and sternum, painted over everything else. */
	double shade(double hu, double u, double v) {
		if (!outside(u, v, 0, vsp + 20, 40, rvb + 40, px)) {
			double vb = circle(u, v, 0, vsp, rvb);
			hu = blend(hu, AxialSlice.DISC, cover(vb, px));
			hu = blend(hu, AxialSlice.CORTEX, cover(vb, px) * vertebraCover);
			hu = blend(hu, AxialSlice.MARROW, cover(vb + 2.5, px) * vertebraCover);
			double arches = Math.min(circle(u, v, 0, canalV, 13), capsule(u, v, 0, canalV, 0, canalV + 26, 4));
			arches = Math.min(arches, Math.min(capsule(u, v, -8, canalV - 6, -24, canalV - 2, 4), capsule(u, v, 8, canalV - 6, 24, canalV - 2, 4)));
			hu = blend(hu, AxialSlice.BONE, cover(arches, px) * vertebraCover);
			hu = blend(hu, AxialSlice.CSF, cover(circle(u, v, 0, canalV, 7.5), px));
		}
		double ring = Math.abs(ellipse(u, v, 0, vc, ribA, ribB)) - 5;
		if (ring < px && Math.abs(u) > 20) {
			double t = clamp((v - vc) / ribB, -1, 1);
			double along = zMm - RIB_DROP_MM * (1 - t) / 2 + LEVEL_MM / 2 - 8;
			int k = (int) Math.floor(along / LEVEL_MM);
			if (k >= 0 && k < RIB_COUNT) {
				double c = cover(ring, px) * band(along, 0, LEVEL_MM, 5.5) * smoothstep(20, 26, Math.abs(u));
				boolean cartilage = t < -0.3 && Math.abs(u) < 0.45 * ribA;
				hu = blend(hu, cartilage ? AxialSlice.CARTILAGE : AxialSlice.BONE, c);
			}
		}
		if (sternumCover > 0)
			hu = blend(hu, AxialSlice.BONE, cover(ellipse(u, v, 0, vc - bc - 8, sternumHalfWidth, 6), px) * sternumCover);
		return hu;
	}

	/** Coverage along z of a repeating band (bones per vertebral level) of half-thickness {@code half}. */
	private double band(double zmm, double origin, double period, double half) {
		double x = zmm - origin;
		double dist = Math.abs(x - period * Math.floor(x / period) - period / 2);
		return clamp((half - dist) / dzMm + 0.5, 0, 1);
	}
}
