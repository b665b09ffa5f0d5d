package io.github.ctlatent.evaluate;

import io.github.ctlatent.data.phantom.PhantomFactors.Factor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scores of docs/evaluation.md §3 (evaluator version {@value #VERSION}), from oracle readings along walks
 * ({@link Walks}); pure arithmetic, no model. All values are in units of the factor's population standard deviation
 * σ_f (the oracle reads standardised factors), so an effect of 1.2 means "moves the factor by 1.2σ".
 * <ul>
 * <li>monotonicity ρ_kf: median over bases of Spearman(t, f̂(t)), on the frames where f is observable; and the
 * share of walks with |ρ| ≥ 0.9;</li>
 * <li>effect Δ_kf: median over bases of f̂(+T) − f̂(−T) (walks where f is observable at both ends);</li>
 * <li>leakage λ_kg: median and 90th percentile over bases of the <em>fitted</em> change of g — a quadratic
 * least-squares fit of ĝ(t) over the frames showing g (and whose neighbours show it: {@link #settled}), its largest
 * departure from the fit at t = 0 — less what the
 * oracle charges a perfect f direction of the same effect ({@link OracleFloor}), floored at 0 (for a z direction,
 * only the median of leakage into a factor that exists in part of the body: {@link Scoring#net}). Version 1 took the
 * largest single-frame change, which charged the oracle's per-reading error to every direction;</li>
 * <li>selectivity S_kf = |ρ|·|Δ_f| / √(Σ_g λ_kg² + ε²), ε = {@value #LEAK_RESOLUTION}σ: how many times more f
 * changes than everything else together, leakage below the scorer's resolution counted as ε. Version 2 divided by
 * √(Δ² + Σλ²), a share that saturates at 1: a random direction leaking 0.15σ into a few factors came within 0.01 of
 * a perfect one, leaving significance no room;</li>
 * <li>realism: the share of the walk's frames that pass the oracle's realism guard.</li>
 * </ul>
 * Rules: <b>clean</b> for f when |ρ| ≥ 0.9, |Δ| ≥ 0.5, every other scored factor's leakage ≤ 0.2 (median) and ≤ 0.35
 * (90th percentile) and realism ≥ 0.8; <b>weak</b> when |ρ| ≥ 0.7, every leakage median ≤ 0.35 and realism ≥ 0.8;
 * <b>significant</b> when S exceeds the 100·(1 − α/F) percentile of S over the null (random orthonormal directions
 * and the coordinate axes, scored by this same code; α = 1%, F scored factors: a direction is labelled with the best
 * of F factors). Version 2 used the 99th percentile; version 1 judged I = |ρ|·|Δ| instead, which random directions of a
 * generator whose latent is dominated by one factor reach easily (they move z, and everything else with it).
 */
public final class DirectionScores {

	/**
	 * The evaluator's version, written into every report: scores of different versions are not comparable. Version 4
	 * keeps version 3's rules and reads with the blur-trained oracle (issue 24: the first oracle read a VAE's softness as
	 * fat, lung and the middle of the body).
	 */
	public static final int VERSION = 4;

	public static final double CLEAN_RHO = 0.9, CLEAN_EFFECT = 0.5, CLEAN_LEAK = 0.2, CLEAN_LEAK_P90 = 0.35, WEAK_RHO = 0.7, WEAK_LEAK = 0.35,
		MIN_REALISM = 0.8;
	/** The chance a random direction may have of being called significant for the factor it is labelled with. */
	public static final double ALPHA = 0.01;
	/**
	 * The fitted leakage of a walk on which nothing changes is 0.01–0.03σ (the oracle's per-reading error, averaged by
	 * the fit): leakage below this is not resolved, so it bounds the selectivity of a perfect direction.
	 */
	public static final double LEAK_RESOLUTION = 0.05;
	/** A (direction, factor) pair is measured only when at least half of its walks show the factor. */
	private static final double MIN_VALID_SHARE = 0.5;

	/** The scores of one direction for one factor. NaN where the factor is not observable on enough walks. */
	public record Entry(double rho, double monotoneShare, double effect, double leakMedian, double leakP90, double realism, double selectivity) {

		/** I_kf = |ρ|·|Δ|: the importance used for significance, DCI and the heat-map. */
		public double importance() {
			double i = Math.abs(rho) * Math.abs(effect);
			return Double.isNaN(i) ? 0 : i;
		}

		public boolean clean() {
			return Math.abs(rho) >= CLEAN_RHO && Math.abs(effect) >= CLEAN_EFFECT && leakMedian <= CLEAN_LEAK && leakP90 <= CLEAN_LEAK_P90
				&& realism >= MIN_REALISM;
		}

		public boolean weak() {
			return Math.abs(rho) >= WEAK_RHO && leakMedian <= WEAK_LEAK && realism >= MIN_REALISM;
		}
	}

	/**
	 * The scores of a direction set: entries [k][f] (null for factors that are not scored) and leakage [k][g]
	 * {median, 90th pct}.
	 */
	public record Table(Entry[][] entries, double[][][] leakage, boolean[] scored) {

		public int directions() {
			return entries.length;
		}

		public double importance(int k, int f) {
			return entries[k][f] == null ? 0 : entries[k][f].importance();
		}
	}

	private DirectionScores() {}

	/**
	 * What a direction is scored against, from one oracle: the factors it reads well enough to score (the others —
	 * R² &lt; 0.9 — are neither targets nor counted as leakage), its measured floor (null: leakage is scored raw), the
	 * index of {@code z} (−1 if none) and the factors that exist only in part of the body.
	 */
	public record Scoring(boolean[] scored, OracleFloor floor, int z, boolean[] partOfBody) {

		public static Scoring of(FactorOracle oracle) {
			FactorOracle.Config c = oracle.config();
			boolean[] part = new boolean[c.factorCount()];
			for (Factor pf : Factor.values())
				if (pf.partOfBody() && c.indexOf(pf.key) >= 0) part[c.indexOf(pf.key)] = true;
			return new Scoring(c.scoredMask(), oracle.floor(), c.indexOf(Factor.Z.key), part);
		}

		/** Scoring with no body-part rule (hand-made walks in tests). */
		static Scoring of(boolean[] scored, OracleFloor floor) {
			return new Scoring(scored, floor, -1, new boolean[scored.length]);
		}

		/**
		 * {median, p90} of fitted leakage {@code raw} into g, less the floor of a perfect f direction of this effect,
		 * never below 0. The p90 is NaN — not judged — for a {@code z} direction's leakage into a factor that exists
		 * only in part of the body: what is visible of it changes with the slice by construction (breasts taper off
		 * above and below mid-thorax), and the oracle's reading of it wanders with the slice by up to 1.3σ in one
		 * patient in ten (floor.json), against the rule's 0.35σ. The median is judged, net of the floor.
		 */
		public double[] net(double[] raw, int f, int g, double effect) {
			double[] allowance = floor == null ? new double[] {0, 0} : floor.allowance(f, g, effect);
			boolean p90Judged = !(f == z && partOfBody[g]);
			return new double[] {Math.max(0, raw[0] - allowance[0]), p90Judged ? Math.max(0, raw[1] - allowance[1]) : Double.NaN};
		}
	}

	/** Scores every direction of {@code walks} for every factor marked {@code scored}, leakage raw. */
	public static Table score(Walks walks, boolean[] scored) {
		return score(walks, Scoring.of(scored, null));
	}

	/** As {@link #score(Walks, boolean[])}, with leakage counted in excess of the oracle's floor. */
	public static Table score(Walks walks, boolean[] scored, OracleFloor floor) {
		return score(walks, Scoring.of(scored, floor));
	}

	/**
	 * Scores every direction of {@code walks} for every scored factor. The table's leakage [k][g] is the raw fitted
	 * leakage; each entry's leakage is net of the floor for its factor.
	 */
	public static Table score(Walks walks, Scoring s) {
		boolean[] scored = s.scored();
		int nk = walks.directions(), nf = walks.factors();
		Entry[][] entries = new Entry[nk][nf];
		double[][][] leak = new double[nk][nf][];
		for (int k = 0; k < nk; k++) {
			for (int g = 0; g < nf; g++) leak[k][g] = fittedLeakage(walks, k, g);
			double realism = realism(walks, k);
			for (int f = 0; f < nf; f++) {
				if (!scored[f]) continue;
				double effect = effect(walks, k, f), leakMed = 0, leakP90 = 0, leakSquares = 0;
				for (int g = 0; g < nf; g++)
					if (g != f && scored[g]) {
						double[] net = s.net(leak[k][g], f, g, effect);
						double med = net[0], p90 = net[1];
						leakMed = Math.max(leakMed, med);
						if (!Double.isNaN(p90)) leakP90 = Math.max(leakP90, p90); // NaN: not judged (Scoring.net)
						leakSquares += med * med;
					}
				double[] mono = monotonicity(walks, k, f);
				double selectivity = Double.isNaN(effect) || Double.isNaN(mono[0]) ? 0
					: Math.abs(mono[0]) * Math.abs(effect) / Math.sqrt(leakSquares + LEAK_RESOLUTION * LEAK_RESOLUTION);
				entries[k][f] = new Entry(mono[0], mono[1], effect, leakMed, leakP90, realism, selectivity);
			}
		}
		return new Table(entries, leak, scored.clone());
	}

	/** {median ρ, share of walks with |ρ| ≥ 0.9}; NaN when too few walks show the factor on ≥ 3 frames. */
	static double[] monotonicity(Walks w, int k, int f) {
		List<Double> rhos = new ArrayList<>();
		for (int b = 0; b < w.bases(); b++) {
			List<double[]> pts = new ArrayList<>();
			for (int t = 0; t < w.shifts().length; t++)
				if (w.observable()[k][b][t][f]) pts.add(new double[] {w.shifts()[t], w.values()[k][b][t][f]});
			if (pts.size() < 3) continue;
			double rho = Stats.spearman(pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
			rhos.add(Double.isNaN(rho) ? 0 : rho); // a reading that does not move at all is not monotone
		}
		if (rhos.size() < MIN_VALID_SHARE * w.bases()) return new double[] {Double.NaN, Double.NaN};
		double[] r = rhos.stream().mapToDouble(Double::doubleValue).toArray();
		return new double[] {Stats.median(r), Arrays.stream(r).filter(x -> Math.abs(x) >= CLEAN_RHO).count() / (double) r.length};
	}

	static double effect(Walks w, int k, int f) {
		int last = w.shifts().length - 1;
		List<Double> d = new ArrayList<>();
		for (int b = 0; b < w.bases(); b++)
			if (w.observable()[k][b][0][f] && w.observable()[k][b][last][f]) d.add(w.values()[k][b][last][f] - w.values()[k][b][0][f]);
		if (d.size() < MIN_VALID_SHARE * w.bases()) return Double.NaN;
		return Stats.median(d.stream().mapToDouble(Double::doubleValue).toArray());
	}

	/** {median, 90th percentile} over bases of max_t |ĝ(t) − ĝ(0)|, t ranging over frames where g is observable at t and at 0. */
	static double[] leakage(Walks w, int k, int g) {
		int centre = centreFrame(w.shifts());
		double[] m = new double[w.bases()];
		for (int b = 0; b < w.bases(); b++) {
			if (!w.observable()[k][b][centre][g]) continue;
			for (int t = 0; t < w.shifts().length; t++)
				if (w.observable()[k][b][t][g]) m[b] = Math.max(m[b], Math.abs(w.values()[k][b][t][g] - w.values()[k][b][centre][g]));
		}
		return new double[] {Stats.median(m), Stats.percentile(m, 90)};
	}

	/**
	 * {median, 90th percentile} over bases of the fitted change of g: a quadratic least-squares fit p of ĝ(t) over the
	 * frames where g is {@link #settled}, and the largest |p(t) − p(0)| over those frames. Bases showing g settled on
	 * fewer than 4 frames are left out.
	 */
	static double[] fittedLeakage(Walks w, int k, int g) {
		double[] s = w.shifts();
		List<Double> m = new ArrayList<>();
		for (int b = 0; b < w.bases(); b++) {
			List<double[]> pts = new ArrayList<>();
			for (int t = 0; t < s.length; t++)
				if (settled(w.observable()[k][b], t, g)) pts.add(new double[] {s[t], w.values()[k][b][t][g]});
			if (pts.size() < 4) continue;
			double[] c = Stats.quadraticFit(pts); // ≥ 4 distinct shifts: the normal equations are never singular
			double max = 0;
			for (double[] p : pts) max = Math.max(max, Math.abs(c[1] * p[0] + c[2] * p[0] * p[0]));
			m.add(max);
		}
		if (m.isEmpty()) return new double[] {0, 0};
		double[] a = m.stream().mapToDouble(Double::doubleValue).toArray();
		return new double[] {Stats.median(a), Stats.percentile(a, 90)};
	}

	/**
	 * Whether frame t shows g and so do its neighbours along the walk. A factor that exists only in part of the body
	 * (breast, lung) is half-visible on the frame where it appears or vanishes, and the oracle reads a half-visible
	 * breast as a small one: that frame measures the slice, not the factor, and is left out of g's leakage.
	 */
	static boolean settled(boolean[][] observable, int t, int g) {
		for (int u = Math.max(0, t - 1); u <= Math.min(observable.length - 1, t + 1); u++) if (!observable[u][g]) return false;
		return true;
	}

	/** The frame at shift 0 (or the one nearest to it). */
	static int centreFrame(double[] shifts) {
		int c = 0;
		for (int t = 1; t < shifts.length; t++) if (Math.abs(shifts[t]) < Math.abs(shifts[c])) c = t;
		return c;
	}

	static double realism(Walks w, int k) {
		int in = 0, n = 0;
		for (boolean[] walk : w.inDistribution()[k])
			for (boolean frame : walk) {
				n++;
				if (frame) in++;
			}
		return in / (double) n;
	}

	// ---- the null and the aggregates ----

	/**
	 * Per factor, the sorted selectivities S_f of the null directions (random orthonormal + coordinate axes), and the
	 * percentile a direction must beat: 100·(1 − α/F) for F scored factors. A direction is labelled with its best
	 * factor, so it has F chances to beat chance; judged at α each, a random direction would be called significant
	 * for some factor up to F·α of the time.
	 */
	public record Null(double[][] sortedSelectivity, double percentile) {

		public static Null of(Table nullTable) {
			int nf = nullTable.scored().length, scored = 0;
			double[][] s = new double[nf][nullTable.directions()];
			for (int f = 0; f < nf; f++) {
				if (nullTable.scored()[f]) scored++;
				for (int k = 0; k < nullTable.directions(); k++) s[f][k] = nullTable.entries()[k][f] == null ? 0 : nullTable.entries()[k][f].selectivity();
				Arrays.sort(s[f]);
			}
			return new Null(s, 100 * (1 - ALPHA / Math.max(1, scored)));
		}

		public int size() {
			return sortedSelectivity[0].length;
		}

		/** The significance threshold: S_f at {@link #percentile} of the null. */
		public double threshold(int f) {
			return Stats.percentile(sortedSelectivity[f], percentile);
		}

		/** The share of null directions whose S_f is below the entry's ("beats 99.9% of random directions"). */
		public double beats(int f, Entry e) {
			int below = 0;
			for (double v : sortedSelectivity[f]) if (v < e.selectivity()) below++;
			return below / (double) sortedSelectivity[f].length;
		}

		public boolean significant(int f, Entry e) {
			return e != null && e.selectivity() > threshold(f);
		}
	}

	/**
	 * Set-level figures: coverage (scored factors with ≥ 1 clean, significant direction), redundancy (mean number of
	 * clean directions per covered factor), DCI-style disentanglement and completeness of the importance matrix
	 * I_kf (Eastwood &amp; Williams 2018: 1 − entropy of each direction's / factor's normalised importances,
	 * disentanglement weighted by the directions' total importance), and per factor the gap between the best and
	 * the second-best direction's I.
	 */
	public record Aggregates(int coverage, int scoredFactors, double redundancy, double disentanglement, double completeness, double[] gap,
		int[] best) {}

	public static Aggregates aggregate(Table t, Null nul) {
		int nk = t.directions(), nf = t.scored().length, covered = 0, cleanCount = 0, scoredFactors = 0;
		double[] gap = new double[nf];
		int[] best = new int[nf];
		Arrays.fill(best, -1);
		for (int f = 0; f < nf; f++) {
			if (!t.scored()[f]) {
				gap[f] = Double.NaN;
				continue;
			}
			scoredFactors++;
			int clean = 0;
			double first = -1, second = 0;
			for (int k = 0; k < nk; k++) {
				Entry e = t.entries()[k][f];
				if (e.clean() && nul.significant(f, e)) clean++;
				double i = e.importance();
				if (i > first) {
					second = Math.max(first, 0);
					first = i;
					best[f] = k;
				} else if (i > second) second = i;
			}
			gap[f] = first - second;
			if (clean > 0) {
				covered++;
				cleanCount += clean;
			}
		}
		return new Aggregates(covered, scoredFactors, covered == 0 ? 0 : cleanCount / (double) covered, disentanglement(t), completeness(t), gap, best);
	}

	static double disentanglement(Table t) {
		int nk = t.directions(), nf = t.scored().length;
		double total = 0, weighted = 0;
		int m = (int) java.util.stream.IntStream.range(0, nf).filter(f -> t.scored()[f]).count();
		if (m < 2) return Double.NaN;
		for (int k = 0; k < nk; k++) {
			double[] p = new double[nf];
			double sum = 0;
			for (int f = 0; f < nf; f++) sum += p[f] = t.scored()[f] ? t.importance(k, f) : 0;
			if (sum == 0) continue;
			weighted += sum * (1 - entropy(p, sum, m));
			total += sum;
		}
		return total == 0 ? 0 : weighted / total;
	}

	static double completeness(Table t) {
		int nk = t.directions(), nf = t.scored().length, n = 0;
		if (nk < 2) return Double.NaN;
		double c = 0;
		for (int f = 0; f < nf; f++) {
			if (!t.scored()[f]) continue;
			double[] p = new double[nk];
			double sum = 0;
			for (int k = 0; k < nk; k++) sum += p[k] = t.importance(k, f);
			c += sum == 0 ? 0 : 1 - entropy(p, sum, nk);
			n++;
		}
		return n == 0 ? Double.NaN : c / n;
	}

	/** Entropy of p / sum with logarithms to base {@code base} (so 1 = uniform over {@code base} outcomes). */
	private static double entropy(double[] p, double sum, int base) {
		double h = 0;
		for (double v : p)
			if (v > 0) h -= v / sum * Math.log(v / sum);
		return h / Math.log(base);
	}
}
