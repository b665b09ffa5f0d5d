package io.github.ctlatent.evaluate;

import java.util.Arrays;
import java.util.Locale;

/**
 * Does a direction scroll through the body (EVALUATION.md §4)? From a position along the body read on every frame of
 * every walk — the oracle's ẑ as a fraction of the labelled z range, or the nearest real slice's position
 * ({@link NearestSlice}) — each walk gives |ρ| (Spearman of position vs shift), the step coefficient of variation
 * (std / |mean| of the position steps: one jump ≈ 3, a smooth scroll ≲ 1, the bar 0.3), the span (max − min
 * position: the share of the body covered) and, for the nearest-slice reading, the match quality (mean NCC).
 * A direction's figures are the medians over its walks; the same figures for random directions are the chance
 * level every claim is reported next to.
 */
public final class Structure3d {

	private Structure3d() {}

	/** Median figures of one direction's walks (match NaN for the oracle reading). */
	public record Track(int direction, double absRho, double stepCv, double span, double match) {

		/**
		 * What ranks directions as "scrolling": a monotone walk that covers much of the body, discounted when it
		 * moves in jumps (step CV above 1) rather than smoothly.
		 */
		public double scrollScore() {
			return absRho * span / Math.max(1, stepCv);
		}
	}

	/**
	 * The chance level: the same figures over random directions. Random walks are often perfectly monotone in
	 * position (|ρ| = 1 at the 99th percentile when one factor dominates the latent), so "above chance" is judged on
	 * the scroll score, which also weighs span and smoothness.
	 */
	public record Chance(int directions, double medianRho, double rho99, double span99, double stepCv1, double medianSpan, double score99) {

		public static Chance of(Track[] random) {
			double[] rho = Arrays.stream(random).mapToDouble(Track::absRho).toArray();
			double[] span = Arrays.stream(random).mapToDouble(Track::span).toArray();
			double[] cv = Arrays.stream(random).mapToDouble(Track::stepCv).toArray();
			double[] score = Arrays.stream(random).mapToDouble(Track::scrollScore).toArray();
			return new Chance(random.length, Stats.median(rho), Stats.percentile(rho, 99), Stats.percentile(span, 99), Stats.percentile(cv, 1),
				Stats.median(span), Stats.percentile(score, 99));
		}

		/** Above chance: a scroll score beyond the random 99th percentile. */
		public boolean beaten(Track t) {
			return t.scrollScore() > score99;
		}
	}

	/**
	 * The bars a scrolling direction is held to, strictest first; every one also asks for a scroll score above the
	 * random directions' 99th percentile. A report names each bar a walk meets, so a direction that scrolls evenly
	 * through most of the body is not reported only as missing the strictest bar.
	 */
	public enum Bar {
		/** Issue 13's: smooth steps over half the body. */
		STRICT("strict", 0, 0.3, 0.5),
		/** Issue 24's phantom bar: monotone, even steps, most of the body. */
		EVEN("even", 0.95, 0.5, 0.7),
		/** Issue 24's bar for a user with one scan: monotone, no jumps, half the body. */
		ONE_SCAN("one-scan", 0.9, 1, 0.5);

		public final String key;
		public final double minRho, maxStepCv, minSpan;

		Bar(String key, double minRho, double maxStepCv, double minSpan) {
			this.key = key;
			this.minRho = minRho;
			this.maxStepCv = maxStepCv;
			this.minSpan = minSpan;
		}

		/** What the track misses of this bar, "" when it meets it (NaN figures miss). */
		public String misses(Track t, Chance ch) {
			StringBuilder m = new StringBuilder();
			if (minRho > 0 && !(t.absRho() >= minRho)) m.append(String.format(Locale.ROOT, ", |ρ| < %.2f", minRho));
			if (!(t.stepCv() <= maxStepCv)) m.append(String.format(Locale.ROOT, ", step CV > %.1f", maxStepCv));
			if (!(t.span() >= minSpan)) m.append(String.format(Locale.ROOT, ", span < %.0f%%", 100 * minSpan));
			if (!ch.beaten(t)) m.append(", scroll score not above the random 99th percentile");
			return m.isEmpty() ? "" : m.substring(2);
		}

		/** "even (|ρ| ≥ 0.95, step CV ≤ 0.5, span ≥ 70%)". */
		public String describe() {
			return String.format(Locale.ROOT, "%s (%sstep CV ≤ %.1f, span ≥ %.0f%%)", key, minRho > 0 ? String.format(Locale.ROOT, "|ρ| ≥ %.2f, ", minRho) : "",
				maxStepCv, 100 * minSpan);
		}
	}

	/**
	 * @param position [k][b][t] position along the body (0…1) per frame; NaN where it cannot be read (e.g. z not
	 *                 observable)
	 * @param match    [k][b][t] match quality per frame, or null
	 */
	public static Track[] tracks(double[] shifts, double[][][] position, double[][][] match) {
		Track[] out = new Track[position.length];
		for (int k = 0; k < position.length; k++) {
			int nb = position[k].length;
			double[] rho = new double[nb], cv = new double[nb], span = new double[nb], q = new double[nb];
			for (int b = 0; b < nb; b++) {
				double[] p = position[k][b];
				rho[b] = Math.abs(Stats.spearman(shifts, p));
				if (Double.isNaN(rho[b])) rho[b] = 0;
				cv[b] = Stats.stepCv(p);
				span[b] = Arrays.stream(p).max().orElse(0) - Arrays.stream(p).min().orElse(0);
				q[b] = match == null ? Double.NaN : Stats.mean(match[k][b]);
			}
			out[k] = new Track(k, Stats.median(rho), Stats.median(cv), Stats.median(span), match == null ? Double.NaN : Stats.median(q));
		}
		return out;
	}

	/** ẑ as a fraction of the oracle's labelled range of factor {@code z}, per frame, from oracle walks. */
	public static double[][][] oraclePosition(Walks w, FactorOracle.Config c, int z) {
		double[][][] p = new double[w.directions()][w.bases()][w.shifts().length];
		double lo = c.min()[z], range = c.max()[z] - c.min()[z];
		for (int k = 0; k < p.length; k++)
			for (int b = 0; b < p[k].length; b++)
				for (int t = 0; t < p[k][b].length; t++)
					p[k][b][t] = (c.mean()[z] + w.values()[k][b][t][z] * c.std()[z] - lo) / range;
		return p;
	}

	/**
	 * The direction with the highest {@link Track#scrollScore()}. A direction whose position never moves has no step
	 * CV and so no score (NaN); it is chosen only when no direction has one.
	 */
	public static Track best(Track[] tracks) {
		Track best = tracks[0];
		for (Track t : tracks)
			if (t.scrollScore() > best.scrollScore() || Double.isNaN(best.scrollScore()) && !Double.isNaN(t.scrollScore())) best = t;
		return best;
	}
}
