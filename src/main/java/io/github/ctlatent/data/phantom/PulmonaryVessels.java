package io.github.ctlatent.data.phantom;

import java.util.SplittableRandom;

import static io.github.ctlatent.data.phantom.Shapes.blend;
import static io.github.ctlatent.data.phantom.Shapes.circle;
import static io.github.ctlatent.data.phantom.Shapes.cover;
import static io.github.ctlatent.data.phantom.Shapes.outside;
import static io.github.ctlatent.data.phantom.Shapes.smoothstep;

/**
 * The pulmonary vessels of one axial slice: fixed tracks (anatomy, the same in every patient, not a factor) that fan
 * out from the hilum, medial at mid-thorax, towards apex, base and periphery, and thin out as they go.
 */
final class PulmonaryVessels {

	private static final int TRACKS_PER_LUNG = 18;
	/** Per track: angle, radial fraction, radius, twist along z. */
	private static final double[][] TRACKS = tracks();

	/** Per vessel (both lungs): centre u, centre v, radius (mm). */
	private final double[][] vessels = new double[2 * TRACKS_PER_LUNG][3];

	/** The vessels at height {@code z} of lungs centred at (±lungU, lungV) with half-axes lungA, lungB. */
	PulmonaryVessels(double z, double lungU, double lungV, double lungA, double lungB) {
		double spread = 0.25 + 0.75 * smoothstep(0, 0.3, Math.abs(z - 0.45));
		for (int s = 0; s < 2; s++)
			for (int k = 0; k < TRACKS_PER_LUNG; k++) {
				double[] t = TRACKS[k], out = vessels[s * TRACKS_PER_LUNG + k];
				double angle = t[0] + t[3] * z, rho = t[1] * spread;
				out[0] = (s == 0 ? -1 : 1) * (lungU - 0.6 * lungA + 1.5 * rho * lungA * Math.cos(angle));
				out[1] = lungV + rho * lungB * Math.sin(angle);
				out[2] = t[2] * (1.4 - 0.6 * spread);
			}
	}

	/** Paints the vessels over lung parenchyma {@code hu} that covers {@code lungCover} of the pixel at (u, v). */
	double shade(double hu, double u, double v, double lungCover, double px) {
		for (double[] w : vessels)
			if (!outside(u, v, w[0], w[1], w[2], w[2], px)) hu = blend(hu, AxialSlice.LUNG_VESSEL, lungCover * cover(circle(u, v, w[0], w[1], w[2]), px));
		return hu;
	}

	private static double[][] tracks() {
		SplittableRandom r = new SplittableRandom(20240611L);
		double[][] t = new double[TRACKS_PER_LUNG][];
		for (int k = 0; k < TRACKS_PER_LUNG; k++) {
			double rho = 0.2 + 0.75 * r.nextDouble();
			t[k] = new double[] {Math.PI * (-0.45 + 0.9 * (k + r.nextDouble()) / TRACKS_PER_LUNG), rho, 3.5 - 2.6 * rho, 2 * (r.nextDouble() - 0.5)};
		}
		return t;
	}
}
