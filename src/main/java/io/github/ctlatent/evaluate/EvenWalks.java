package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.CurvedPath;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.EvenSteps;
import io.github.ctlatent.traverse.Spacing;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.WalkPath;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The 3D reading of one direction walked in other ways than the plain walk, beside it (issue 24): with frames at
 * equal image change (spacing=even, {@link EvenSteps}), along a curved path that re-estimates the generator's local
 * basis as it goes (path=curved, {@link CurvedPath}), or both. Each kind uses the same direction, base codes, ±T and
 * frame count as the plain 3D walk, read by the oracle's ẑ and, with a reference, the nearest real slice. Additional
 * figures: the scores of evaluator version {@value DirectionScores#VERSION} are untouched. Only the highlighted
 * direction(s) are walked this way: the fine walk renders {@value EvenSteps#OVERSAMPLING}× the frames and a curved path
 * 2(d + 1) images per step, too many for the 200 random directions of the chance level, so these figures have no chance
 * level of their own.
 */
public final class EvenWalks {

	/** The tracks of one direction walked one way (null where the reading is not available). */
	public record Tracks(Structure3d.Track oracle, Structure3d.Track slices) {}

	/** The other ways to walk a highlighted direction; the reports list them in this order. */
	public enum Kind {
		EVEN("even steps", "with even steps", "spacing=even: the same direction, bases and ±T, frames at equal image change", false, Spacing.EVEN),
		CURVED("curved path", "along a curved path", "path=curved: the same direction, bases and ±T, along the local singular vector closest to the heading, "
			+ "re-estimated at every step", true, Spacing.LINEAR),
		CURVED_EVEN("curved path, even steps", "along a curved path with even steps", "path=curved spacing=even: the curved path with frames at equal image change",
			true, Spacing.EVEN);

		/** Short name (the CSV's reading suffix). */
		public final String label;
		/** How the summary line starts. */
		final String phrase;
		/** What the walk is, for the summary line. */
		public final String how;
		final boolean curved;
		final Spacing spacing;

		Kind(String label, String phrase, String how, boolean curved, Spacing spacing) {
			this.label = label;
			this.phrase = phrase;
			this.how = how;
			this.curved = curved;
			this.spacing = spacing;
		}

		/** The summary's line for a highlighted direction walked this way; empty without a track. */
		public String line(Structure3d.Track e) {
			if (e == null) return "";
			// a walk whose position never moves has no step CV (0/0): said in words, a NaN reads like a broken run
			String cv = Double.isFinite(e.stepCv()) ? String.format(Locale.ROOT, "%.2f", e.stepCv()) : "none (the position does not move)";
			return String.format(Locale.ROOT, "  %s (%s): |ρ| %.2f, step CV %s, span %.0f%%%s (no chance level: random directions are not walked this way)%n", phrase, how,
				e.absRho(), cv, 100 * e.span(), Double.isNaN(e.match()) ? "" : String.format(Locale.ROOT, ", match NCC %.3f", e.match()));
		}
	}

	/** The walk kinds an evaluation reads: even steps always, the curved paths only when asked (they cost latent-size + 1 images a step). */
	static java.util.List<Kind> kinds(boolean curved) {
		return java.util.Arrays.stream(Kind.values()).filter(k -> curved || !k.curved).toList();
	}

	private EvenWalks() {}

	/** The even-step tracks alone ({@link Kind#EVEN}). */
	static Tracks read(Generator g, FactorOracle oracle, Directions dirs, int k, float[][] bases, double[] shifts, int z, SliceSet reference,
		Evaluation.Settings s, Monitor monitor) {
		return read(g, oracle, dirs, k, bases, shifts, z, reference, s, List.of(Kind.EVEN), monitor).get(Kind.EVEN);
	}

	/**
	 * @param shifts the plain 3D walk's shifts (−T…+T): each even walk has its own, but they rise with the frame as
	 *               these do, so Spearman's ρ, which needs only their order, is the same with either
	 * @param oracle the factor oracle, or null (label-free: nearest slice only, then {@code z} = −1)
	 * @param z      the oracle's index of factor z, or −1 to skip the oracle reading
	 * @param kinds  the ways to walk; a curved path is followed once per base and shared by the curved kinds
	 */
	static Map<Kind, Tracks> read(Generator g, FactorOracle oracle, Directions dirs, int k, float[][] bases, double[] shifts, int z, SliceSet reference,
		Evaluation.Settings s, List<Kind> kinds, Monitor monitor) {
		return read(g, oracle, dirs, k, bases, shifts, z, reference, s, kinds, WalkPath.curved(WalkPath.DEFAULT_RANK), monitor);
	}

	/** The same with the curved kinds along {@code path} (the reports use {@code WalkPath.curved(DEFAULT_RANK)}). */
	static Map<Kind, Tracks> read(Generator g, FactorOracle oracle, Directions dirs, int k, float[][] bases, double[] shifts, int z, SliceSet reference,
		Evaluation.Settings s, List<Kind> kinds, WalkPath path, Monitor monitor) {
		int nq = kinds.size(), nb = bases.length, nt = shifts.length, d = g.latentDim();
		Traversal.Range range = new Traversal.Range(-shifts[0], nt);
		double[][][][] values = new double[nq][nb][nt][];
		boolean[][][][] observable = new boolean[nq][nb][nt][];
		boolean[][][] in = new boolean[nq][nb][nt];
		try (NearestSlice near = reference == null ? null : new NearestSlice(reference, s.referenceSlices(), nq, nb, nt)) {
			for (int b = 0; b < nb; b++) {
				monitor.checkCanceled();
				monitor.progress(b, nb, "other walks (" + String.join(", ", kinds.stream().map(q -> q.label).toList()) + ") of direction " + k);
				DoubleFunction<float[]> straight = EvenSteps.straight(dirs, k, bases[b]), curved = null;
				if (kinds.stream().anyMatch(q -> q.curved)) {
					CurvedPath c = CurvedPath.follow(g, dirs, k, bases[b], range.radius(), path, monitor);
					if (b == 0) monitor.log("base 1: " + c.describe());
					curved = c.codes();
				}
				for (int q = 0; q < nq; q++) {
					DoubleFunction<float[]> code = kinds.get(q).curved ? curved : straight;
					double[] at = kinds.get(q).spacing == Spacing.EVEN ? EvenSteps.shifts(g, code, dirs.label(k), range, monitor) : null;
					if (at == null) at = range.shifts();
					float[] latents = new float[nt * d];
					for (int t = 0; t < nt; t++) System.arraycopy(code.apply(at[t]), 0, latents, t * d, d);
					float[][] images = g.images(latents);
					FactorOracle.Reading r = z >= 0 ? oracle.read(images) : null;
					for (int t = 0; t < nt; t++) {
						if (r != null) {
							values[q][b][t] = r.values()[t];
							observable[q][b][t] = r.observable()[t];
							in[q][b][t] = oracle.inDistribution(images[t], r.values()[t]);
						}
						if (near != null) near.accept(q, b, t, images[t]);
					}
				}
			}
			Structure3d.Track[] o = z < 0 ? null : Structure3d.tracks(shifts, Structure3d.oraclePosition(new Walks(shifts, values, observable, in), oracle.config(), z), null);
			Structure3d.Track[] n = near == null ? null : Structure3d.tracks(shifts, near.positions(), near.correlations());
			Map<Kind, Tracks> out = new EnumMap<>(Kind.class);
			for (int q = 0; q < nq; q++) out.put(kinds.get(q), new Tracks(relabel(o == null ? null : o[q], k), relabel(n == null ? null : n[q], k)));
			return out;
		}
	}

	/** Tracks are numbered by their place in the walked set; the report names the direction. */
	private static Structure3d.Track relabel(Structure3d.Track t, int k) {
		return t == null ? null : new Structure3d.Track(k, t.absRho(), t.stepCv(), t.span(), t.match());
	}
}
