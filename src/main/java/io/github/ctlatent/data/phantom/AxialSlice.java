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
 * The anatomy of one axial slice: every shape's position and size is computed once per slice from the factors and
 * {@code z}, then {@link #shade} paints a pixel layer by layer, each layer blended by its partial-volume coverage.
 * <p>
 * Body coordinates (u, v) are in mm from the body centre: +u towards the patient's left (image right, radiological
 * view), +v posterior (image down). Shapes are placed relative to the rib cage (half-axes {@code ac, bc}) so that
 * body size, fat and lung size move every organ consistently. The bones ({@link Skeleton}) and the pulmonary vessels
 * ({@link PulmonaryVessels}) are laid out and painted by their own classes.
 */
final class AxialSlice {

	// Hounsfield units of the tissues
	static final double AIR = -1000, FAT = -100, MEDIASTINAL_FAT = -80, SOFT = 40, GLAND = 10, LUNG = -860,
		LUNG_VESSEL = 40, MYOCARDIUM = 60, LEFT_BLOOD = 240, RIGHT_BLOOD = 200, ARTERY = 250, VEIN = 190, WALL = 40,
		CSF = 15, DISC = 90, MARROW = 300, CORTEX = 1000, BONE = 700, CARTILAGE = 120, LIVER = 90, SPLEEN = 100,
		STOMACH = 20, KIDNEY = 170, ABDOMEN = -40, TABLE = 150;

	private final double px, z;
	private final double a, b, back, dv, ai, bi, backI;
	private final double breastU, breastV, breastA, breastB, glandV, glandA, glandB;
	private final double ac, bc, vc;
	private final Skeleton skeleton;
	private final double vsp, rvb;
	private final double trV, esoU, esoV;
	private final boolean trachea, bronchi, arch, ascending, descending, trunk, leftPa, rightPa, svc, apexVessels, ivc;
	private final double bronchusU, bronchusV, aortaU, aortaV;
	private final double heartU, heartV, heartA, heartB, heartCos = Math.cos(Math.toRadians(-30)), heartSin = Math.sin(Math.toRadians(-30));
	private final double holeRU, holeLU, holeV, holeRA, holeRB, holeLA, holeLB;
	private final boolean liver, stomach, spleen, kidneyL, kidneyR;
	private final double stomachA, stomachB, stomachU, stomachV, spleenA, spleenB, kidneyLS, kidneyRS, gasLevelY;
	private final double lungU, lungV, lungA, lungB;
	private final PulmonaryVessels vessels;
	private final double cosR, sinR, cy;
	/** Lung area rendered so far, mm^2 (the slice's lung-visibility label). */
	double lungAreaMm2;

	/**
	 * @param px   pixel size, mm
	 * @param dzMm slice spacing, mm (partial volume of ribs and vertebrae along z)
	 * @param cosR cosine of the rotation (body to image); {@code sinR} its sine; {@code cy} the body centre's image y
	 */
	AxialSlice(PhantomFactors f, double z, double lengthMm, double px, double dzMm, double cosR, double sinR, double cy) {
		this.px = px;
		this.z = z;
		this.cosR = cosR;
		this.sinR = sinR;
		this.cy = cy;
		// body: narrower and flatter towards the neck; the back stays on the table
		a = f.width() / 2 * (0.86 + 0.14 * smoothstep(0, 0.35, z));
		b = f.height() / 2 * (0.88 + 0.12 * smoothstep(0, 0.4, z));
		back = 0.92 * b;
		dv = 0.92 * f.height() / 2 - back;
		ai = a - f.fat();
		bi = b - f.fat();
		backI = back - f.fat();
		// breasts: present around mid-thorax, protruding anteriorly by breast * envelope
		double bust = f.breast() * breastEnvelope(z);
		breastU = 0.42 * a;
		breastV = -0.84 * b;
		breastA = 0.26 * a + 0.2 * bust;
		breastB = 0.05 * b + 0.8 * bust;
		glandV = breastV - 0.35 * bust;
		glandA = 0.5 * breastA;
		glandB = 0.4 * bust;
		// rib cage: inside the muscles, with thick paraspinal muscles behind; smaller at the thoracic inlet
		double top = -bi + 10, bottom = backI - 32;
		vc = (top + bottom) / 2;
		ac = (ai - 10) * (0.6 + 0.4 * smoothstep(-0.1, 0.4, z)) * f.lung();
		bc = (bottom - top) / 2 * (0.8 + 0.2 * smoothstep(-0.1, 0.4, z)) * f.lung();
		skeleton = new Skeleton(z, z * lengthMm, px, Math.max(dzMm, px), a, b, backI, vc, ac, bc);
		vsp = skeleton.vsp;
		rvb = skeleton.rvb;
		// airways and great vessels
		trV = vsp - rvb - 26;
		esoU = 8;
		esoV = vsp - rvb - 8;
		trachea = z < 0.40;
		bronchi = z >= 0.36 && z < 0.50;
		double tb = clamp((z - 0.36) / 0.14, 0, 1);
		bronchusU = 9 + 38 * tb;
		bronchusV = trV + 10 * tb;
		apexVessels = z < 0.22;
		arch = z >= 0.20 && z < 0.28;
		ascending = z >= 0.26 && z < 0.52;
		descending = z >= 0.23;
		double abd = smoothstep(0.7, 1.0, z);
		aortaU = 24 - 16 * abd;
		aortaV = vsp - rvb + 4 - 14 * abd;
		trunk = z >= 0.34 && z < 0.47;
		leftPa = z >= 0.35 && z < 0.41;
		rightPa = z >= 0.40 && z < 0.44;
		svc = z >= 0.10 && z < 0.48;
		ivc = z >= 0.72;
		// heart: an ellipsoid resting on the diaphragm, long axis turned towards the left front
		double hs = Math.sqrt(Math.max(0, 1 - Math.pow((z - 0.66) / 0.22, 2)));
		heartU = 0.16 * ac + 0.1 * ac * (z - 0.66) / 0.22;
		heartV = vc - 0.2 * bc;
		heartA = 0.48 * ac * hs;
		heartB = 0.52 * bc * hs;
		// diaphragm: two paraboloid domes, the right one higher; larger lungs push them down
		double zRight = 0.58 + 0.5 * (f.lung() - 0.9), zLeft = zRight + 0.04;
		double hr = Math.sqrt(Math.max(0, (z - zRight) / 0.25)), hl = Math.sqrt(Math.max(0, (z - zLeft) / 0.25));
		holeRU = -0.42 * ac;
		holeLU = 0.42 * ac;
		holeV = vc - 0.2 * bc;
		holeRA = hr * 0.62 * ac;
		holeRB = hr * 0.98 * bc;
		holeLA = hl * 0.62 * ac;
		holeLB = hl * 0.98 * bc;
		liver = z > zRight;
		double st = smoothstep(zLeft, zLeft + 0.12, z);
		stomach = z > zLeft;
		stomachU = 0.45 * ac;
		stomachV = vc - 0.2 * bc;
		stomachA = 0.34 * ac * st;
		stomachB = 0.42 * bc * st;
		double sp = smoothstep(zLeft + 0.04, zLeft + 0.14, z);
		spleen = sp > 0;
		spleenA = 0.22 * ac * sp;
		spleenB = 0.35 * bc * sp;
		kidneyLS = smoothstep(0.86, 0.98, z);
		kidneyRS = smoothstep(0.90, 1.02, z);
		kidneyL = kidneyLS > 0;
		kidneyR = kidneyRS > 0;
		// gas rises to the top of the stomach: a level that is horizontal in the image, whatever the patient's roll
		gasLevelY = cy + sinR * stomachU + cosR * (stomachV + dv) - 0.45 * stomachB;
		// lungs: paraboloid apices, otherwise filling the cage around the mediastinum
		double sl = Math.sqrt(clamp((z + 0.03) / 0.2, 0, 1));
		lungU = 0.5 * ac;
		lungV = vc + 0.02 * bc;
		lungA = 0.56 * ac * sl;
		lungB = 1.05 * bc * sl;
		vessels = new PulmonaryVessels(z, lungU, lungV, lungA, lungB);
	}

	/** How much breast tissue exists at {@code z}: 1 around mid-thorax, 0 at the apex and in the abdomen. */
	static double breastEnvelope(double z) {
		return 1 - smoothstep(0.10, 0.24, Math.abs(z - 0.47));
	}

	/** The Hounsfield value of the pixel at body coordinates (u, v), image position (x, y) in mm. */
	double shade(double u, double v, double x, double y, double tableTop) {
		double hu = AIR;
		// the table stays level: image coordinates
		double t1 = Math.max(Math.abs(x) - 210, Math.abs(y - tableTop - 4) - 4);
		double t2 = Math.max(Math.abs(x) - 130, Math.abs(y - tableTop - 42) - 4);
		hu = blend(hu, TABLE, Math.max(cover(t1, px), cover(t2, px)));
		v -= dv;
		if (Math.abs(u) > a + breastA + 2 * px || v > back + 2 * px || v < -b - breastB - 2 * px) return hu;

		// body outline (fat), breasts, glands, muscle
		double body = Math.max(ellipse(u, v, 0, 0, a, b), v - back);
		double breast = Math.min(ellipse(u, v, -breastU, breastV, breastA, breastB), ellipse(u, v, breastU, breastV, breastA, breastB));
		hu = blend(hu, FAT, cover(Math.min(body, breast), px));
		if (glandB > 1.5) {
			double gland = Math.min(ellipse(u, v, -breastU, glandV, glandA, glandB), ellipse(u, v, breastU, glandV, glandA, glandB));
			hu = blend(hu, GLAND, cover(gland + 2, px) * 0.6);
		}
		double muscle = Math.max(ellipse(u, v, 0, 0, ai, bi), v - backI);
		if (muscle > px) return hu;
		hu = blend(hu, SOFT, cover(muscle, px));
		hu = skeleton.scapulae(hu, u, v);

		// thoracic / abdominal cavity: mediastinal fat above the diaphragm, abdomen below
		double cage = ellipse(u, v, 0, vc, ac, bc);
		double abdomen = Math.min(hole(u, v, holeRU, holeRA, holeRB), hole(u, v, holeLU, holeLA, holeLB));
		if (cage < 12) {
			hu = blend(hu, MEDIASTINAL_FAT, cover(cage, px));
			hu = blend(hu, ABDOMEN, cover(Math.max(cage, abdomen), px));
			if (liver) hu = blend(hu, LIVER, cover(Math.max(Math.max(ellipse(u, v, -0.25 * ac, vc, 0.8 * ac, 0.95 * bc), cage + 2), abdomen), px));
			if (spleen && !outside(u, v, 0.66 * ac, vc + 0.5 * bc, spleenA, spleenB, px))
				hu = blend(hu, SPLEEN, cover(Math.max(Math.max(ellipse(u, v, 0.66 * ac, vc + 0.5 * bc, spleenA, spleenB), cage + 2), abdomen), px));
			if (stomach && stomachA > 1 && !outside(u, v, stomachU, stomachV, stomachA, stomachB, px)) {
				double wall = Math.max(Math.max(ellipse(u, v, stomachU, stomachV, stomachA, stomachB), cage + 2), abdomen);
				hu = blend(hu, STOMACH, cover(wall, px));
				hu = blend(hu, AIR, cover(Math.max(wall + 3, y - gasLevelY), px));
			}
		}
		if (kidneyL) hu = blend(hu, KIDNEY, cover(ellipse(u, v, 0.36 * ac, vsp + 4, 24 * kidneyLS, 30 * kidneyLS), px));
		if (kidneyR) hu = blend(hu, KIDNEY, cover(ellipse(u, v, -0.36 * ac, vsp + 4, 24 * kidneyRS, 30 * kidneyRS), px));
		if (ivc) hu = blend(hu, VEIN, cover(circle(u, v, -20, vsp - rvb - 14, 12), px));

		// mediastinum: heart above the diaphragm, great vessels, airways, oesophagus
		double envelope = Math.min(ellipse(u, v, 0, vc - 0.05 * bc, 0.17 * ac + 8, 0.9 * bc), circle(u, v, 0, vsp, rvb + 6));
		if (heartA > 1 && !outside(u, v, heartU, heartV, Math.max(heartA, heartB), Math.max(heartA, heartB), 8)) {
			double du = u - heartU, dw = v - heartV;
			double hu2 = heartCos * du + heartSin * dw, hv2 = -heartSin * du + heartCos * dw;
			double heart = Math.max(ellipse(hu2, hv2, 0, 0, heartA, heartB), -abdomen);
			envelope = Math.min(envelope, heart - 4);
			hu = blend(hu, MYOCARDIUM, cover(heart, px));
			double lv = Math.max(ellipse(hu2, hv2, 0.28 * heartA, 0.12 * heartB, 0.36 * heartA, 0.42 * heartB), -abdomen);
			double rv = Math.max(ellipse(hu2, hv2, -0.36 * heartA, -0.08 * heartB, 0.40 * heartA, 0.62 * heartB), -abdomen);
			hu = blend(hu, LEFT_BLOOD, cover(lv, px));
			hu = blend(hu, RIGHT_BLOOD, cover(rv, px));
		}
		if (descending) {
			double d = circle(u, v, aortaU, aortaV, 12);
			envelope = Math.min(envelope, d - 4);
			hu = blend(hu, ARTERY, cover(d, px));
		}
		if (arch) {
			double d = capsule(u, v, -14, vc - 0.42 * bc, aortaU, aortaV, 13);
			envelope = Math.min(envelope, d - 4);
			hu = blend(hu, ARTERY, cover(d, px));
		}
		if (ascending) hu = blend(hu, ARTERY, cover(circle(u, v, -14, vc - 0.42 * bc, 15), px));
		if (trunk) {
			double d = circle(u, v, 20, vc - 0.5 * bc, 14);
			envelope = Math.min(envelope, d - 4);
			hu = blend(hu, RIGHT_BLOOD, cover(d, px));
		}
		if (leftPa) {
			double d = capsule(u, v, 20, vc - 0.5 * bc, 50, trV + 5, 10);
			envelope = Math.min(envelope, d - 3);
			hu = blend(hu, RIGHT_BLOOD, cover(d, px));
		}
		if (rightPa) {
			double d = capsule(u, v, 10, vc - 0.35 * bc, -50, trV + 2, 8);
			envelope = Math.min(envelope, d - 3);
			hu = blend(hu, RIGHT_BLOOD, cover(d, px));
		}
		if (svc) hu = blend(hu, VEIN, cover(circle(u, v, -36, vc - 0.35 * bc, 10), px));
		if (apexVessels && !outside(u, v, 0, trV - 20, 45, 20, px)) {
			hu = blend(hu, ARTERY, cover(Math.min(circle(u, v, -10, trV - 20, 7), Math.min(circle(u, v, 6, trV - 21, 5.5), circle(u, v, 18, trV - 8, 6))), px));
			double veins = Math.min(circle(u, v, -30, trV - 22, 8), circle(u, v, 28, trV - 28, 7));
			if (z > 0.16) veins = Math.min(veins, capsule(u, v, 28, trV - 28, -30, trV - 24, 6));
			hu = blend(hu, VEIN, cover(veins, px));
		}
		hu = blend(hu, WALL, cover(circle(u, v, esoU, esoV, 7), px));
		if (trachea) {
			hu = blend(hu, WALL, cover(circle(u, v, 0, trV, 12), px));
			hu = blend(hu, AIR, cover(circle(u, v, 0, trV, 10), px));
		}
		if (bronchi) {
			double d = Math.min(circle(u, v, -bronchusU, bronchusV, 9), circle(u, v, bronchusU, bronchusV, 9));
			hu = blend(hu, WALL, cover(d, px));
			hu = blend(hu, AIR, cover(d + 2, px));
		}

		// lungs: cage minus mediastinum minus abdomen, denser where gravity pulls (image down), with vessels
		if (lungA > 0 && cage < px) {
			double lung = Math.min(ellipse(u, v, -lungU, lungV, lungA, lungB), ellipse(u, v, lungU, lungV, lungA, lungB));
			lung = Math.max(Math.max(lung, cage + 1.5), Math.max(-abdomen, -envelope));
			double c = cover(lung, px);
			if (c > 0) {
				lungAreaMm2 += c * px * px;
				double dependent = clamp((y - cy - cosR * vc) / (2 * bc) + 0.5, 0, 1);
				hu = blend(hu, LUNG + 80 * dependent * dependent, c);
				hu = vessels.shade(hu, u, v, c, px);
			}
		}

		// bones: spine, ribs with costal cartilage, sternum
		return skeleton.shade(hu, u, v);
	}

	/** Signed distance to the cross-section of a diaphragm dome (or +infinity above its top). */
	private double hole(double u, double v, double cu, double ha, double hb) {
		if (ha <= 0.5) return Double.POSITIVE_INFINITY;
		return ellipse(u, v, cu, holeV, ha, hb);
	}
}
