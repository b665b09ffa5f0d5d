package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.EvenSteps;
import io.github.ctlatent.traverse.Traversal;

/**
 * The 3D reading of one direction with its frames at equal image change (spacing=even, {@link EvenSteps}), beside
 * the plain walk's (issue 24): the same direction, base codes, ±T and frame count as the plain 3D walk, read by the
 * oracle's ẑ and, with a reference, the nearest real slice. Additional figures: the scores of evaluator version
 * {@value DirectionScores#VERSION} are untouched. Only the highlighted direction(s) are walked this way: the fine walk
 * renders {@value EvenSteps#OVERSAMPLING}× the frames, too many for the 200 random directions of the chance level,
 * so these figures have no chance level of their own.
 */
public final class EvenWalks {

	/** The even-step tracks of one direction (null where the reading is not available). */
	public record Tracks(Structure3d.Track oracle, Structure3d.Track slices) {}

	private EvenWalks() {}

	/**
	 * @param shifts the plain 3D walk's shifts (−T…+T): each even walk has its own, but they rise with the frame as
	 *               these do, so Spearman's ρ, which needs only their order, is the same with either
	 * @param oracle the factor oracle, or null (label-free: nearest slice only, then {@code z} = −1)
	 * @param z      the oracle's index of factor z, or −1 to skip the oracle reading
	 */
	static Tracks read(Generator g, FactorOracle oracle, Directions dirs, int k, float[][] bases, double[] shifts, int z, SliceSet reference,
		Evaluation.Settings s, Monitor monitor) {
		int nb = bases.length, nt = shifts.length, d = g.latentDim();
		Traversal.Range range = new Traversal.Range(-shifts[0], nt);
		double[][][][] values = new double[1][nb][nt][];
		boolean[][][][] observable = new boolean[1][nb][nt][];
		boolean[][][] in = new boolean[1][nb][nt];
		try (NearestSlice near = reference == null ? null : new NearestSlice(reference, s.referenceSlices(), 1, nb, nt)) {
			for (int b = 0; b < nb; b++) {
				monitor.checkCanceled();
				monitor.progress(b, nb, "even-step walks of direction " + k);
				double[] at = EvenSteps.shifts(g, dirs, k, bases[b], range, monitor);
				if (at == null) at = range.shifts();
				float[] latents = new float[nt * d];
				for (int t = 0; t < nt; t++) {
					float[] sh = dirs.shift(k, (float) at[t]);
					for (int i = 0; i < d; i++) latents[t * d + i] = bases[b][i] + sh[i];
				}
				float[][] images = g.images(latents);
				FactorOracle.Reading r = z >= 0 ? oracle.read(images) : null;
				for (int t = 0; t < nt; t++) {
					if (r != null) {
						values[0][b][t] = r.values()[t];
						observable[0][b][t] = r.observable()[t];
						in[0][b][t] = oracle.inDistribution(images[t], r.values()[t]);
					}
					if (near != null) near.accept(0, b, t, images[t]);
				}
			}
			Structure3d.Track o = null, n = null;
			if (z >= 0) o = Structure3d.tracks(shifts, Structure3d.oraclePosition(new Walks(shifts, values, observable, in), oracle.config(), z), null)[0];
			if (near != null) n = Structure3d.tracks(shifts, near.positions(), near.correlations())[0];
			return new Tracks(relabel(o, k), relabel(n, k));
		}
	}

	/** Tracks are numbered by their place in the walked set (here 0); the report names the direction. */
	private static Structure3d.Track relabel(Structure3d.Track t, int k) {
		return t == null ? null : new Structure3d.Track(k, t.absRho(), t.stepCv(), t.span(), t.match());
	}
}
