package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A curved walk (issue 24): from the base code, each half of the walk starts along the direction (towards its end
 * frame, base + shift(±r)) and at every step re-estimates the generator's {@link LocalBasis} and moves along the
 * local singular vector closest to its previous heading. Where a direction changes the picture by one thing near the
 * base but the generator's axes of change turn further out, the straight line drifts into other changes while this
 * path keeps following the same kind of change. On a generator whose Jacobian does not change (a linear one) and a
 * direction that is one of its singular vectors, the path is the straight line.
 * <p>
 * Frames keep the straight walk's shift values: frame s lies at latent arc length ‖shift(s)‖ from the base along its
 * half of the curve (s &lt; 0 on the negative half), so curved and straight walks of the same range move the code by
 * the same distance. Steps are midpoint (second-order) steps of at most {@value #STEP} latent units, each costing two
 * local bases (2·(d + 1) images); codes between steps are interpolated linearly.
 */
public final class CurvedPath {

	/** Largest step between local bases (latent units): 12 steps per side for the evaluation's ±3. */
	public static final double STEP = 0.25;

	private final Directions dirs;
	private final int k;
	private final float[] base;
	private final float[][][] nodes; // [side 0 = +, 1 = −][step] codes after each step (the base is step 0)
	private final double[] stepLength;
	private final double[] minCos, turn;

	private CurvedPath(Directions dirs, int k, float[] base, float[][][] nodes, double[] stepLength, double[] minCos, double[] turn) {
		this.dirs = dirs;
		this.k = k;
		this.base = base;
		this.nodes = nodes;
		this.stepLength = stepLength;
		this.minCos = minCos;
		this.turn = turn;
	}

	/** Follows direction {@code k} from {@code base} to latent arc length ‖shift(±radius)‖ on either side, snapping to the closest local vector. */
	public static CurvedPath follow(Generator g, Directions dirs, int k, float[] base, double radius, int rank, Monitor monitor) {
		return follow(g, dirs, k, base, radius, WalkPath.curved(rank), monitor);
	}

	/** The same along {@code path}: {@link WalkPath#projected()} steps along the heading projected onto the local basis. */
	public static CurvedPath follow(Generator g, Directions dirs, int k, float[] base, double radius, WalkPath path, Monitor monitor) {
		int rank = path.rank();
		boolean project = path.projected();
		float[][][] nodes = new float[2][][];
		double[] step = new double[2], minCos = new double[2], turn = new double[2];
		for (int side = 0; side < 2; side++) {
			monitor.checkCanceled();
			double[] start = toDouble(dirs.shift(k, (float) (side == 0 ? radius : -radius)));
			double length = norm(start);
			if (!(length > 0)) throw new ExplorerException(dirs.label(k) + " has no length at shift " + (side == 0 ? "+" : "-") + radius + ": a curved walk needs a direction to start along.");
			scale(start, 1 / length);
			int n = (int) Math.ceil(length / STEP);
			step[side] = length / n;
			nodes[side] = new float[n + 1][];
			nodes[side][0] = base.clone();
			double[] z = toDouble(base), heading = start;
			minCos[side] = 1;
			for (int i = 0; i < n; i++) {
				monitor.checkCanceled();
				double[] v1 = LocalBasis.at(g, toFloat(z), rank).step(heading, project);
				double[] mid = z.clone();
				for (int c = 0; c < z.length; c++) mid[c] += step[side] / 2 * v1[c];
				double[] v2 = LocalBasis.at(g, toFloat(mid), rank).step(v1, project);
				minCos[side] = Math.min(minCos[side], Math.min(LocalBasis.dot(v1, heading), LocalBasis.dot(v2, v1)));
				for (int c = 0; c < z.length; c++) z[c] += step[side] * v2[c];
				heading = v2;
				nodes[side][i + 1] = toFloat(z);
			}
			turn[side] = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, LocalBasis.dot(start, heading)))));
		}
		return new CurvedPath(dirs, k, base.clone(), nodes, step, minCos, turn);
	}

	/** The code of the frame at shift {@code s}: latent arc length ‖shift(s)‖ along the half of sign s. */
	public float[] at(double s) {
		if (s == 0) return base.clone();
		int side = s > 0 ? 0 : 1;
		double t = norm(toDouble(dirs.shift(k, (float) s))) / stepLength[side];
		float[][] n = nodes[side];
		if (t > n.length - 1 + 1e-6) throw new IllegalArgumentException("shift " + s + " lies beyond the curve's end");
		int i = Math.min((int) Math.floor(t), n.length - 2);
		double w = Math.min(1, t - i);
		float[] z = new float[base.length];
		for (int c = 0; c < z.length; c++) z[c] = (float) (n[i][c] + w * (n[i + 1][c] - n[i][c]));
		return z;
	}

	/** The path as a function of shift, what walks render from. */
	public DoubleFunction<float[]> codes() {
		return this::at;
	}

	/** Local bases this path estimated (two per step). */
	public int bases() {
		return 2 * (nodes[0].length - 1 + nodes[1].length - 1);
	}

	/** One line for the log: how far each half turned away from the straight direction, and the sharpest single turn. */
	public String describe() {
		return String.format(Locale.ROOT, "curved path of %s: %d local bases; the + half turned %.0f° from the straight direction, the − half %.0f°; "
			+ "smallest |cos| between consecutive headings %.2f", dirs.label(k), bases(), turn[0], turn[1], Math.min(minCos[0], minCos[1]));
	}

	/** Degrees between the start heading and the last step's heading (taken at its midpoint) of the + (side 0) or − (side 1) half. */
	public double turn(int side) {
		return turn[side];
	}

	private static double norm(double[] v) {
		return Math.sqrt(LocalBasis.dot(v, v));
	}

	private static void scale(double[] v, double f) {
		for (int i = 0; i < v.length; i++) v[i] *= f;
	}

	private static double[] toDouble(float[] v) {
		double[] out = new double[v.length];
		for (int i = 0; i < v.length; i++) out[i] = v[i];
		return out;
	}

	private static float[] toFloat(double[] v) {
		float[] out = new float[v.length];
		for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
		return out;
	}
}
