package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SlicePairs;
import io.github.ctlatent.data.phantom.PhantomFactors.Factor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scorer's known answers (docs/evaluation.md §6): before it judges any discovery method, the evaluator must
 * <ul>
 * <li>call a <b>perfect</b> direction of every factor the oracle reads clean and significant — the phantom patient
 * re-rendered with only that factor changed ({@code z}: the patient's own slices), at effects of 1–3σ;</li>
 * <li>call every <b>two-factor</b> walk (both factors changed together, each by effect/√2) not clean for either;</li>
 * <li>call at most 1% of <b>random</b> directions of a generator clean (and significant) for any factor;</li>
 * <li>call the same perfect walks <b>drawn softly</b> — every frame blurred by σ = {@value #SOFT_BLUR} pixel, about as
 * sharp as a 64² VAE draws — clean and significant, with an effect within {@value #SOFT_EFFECT_TOLERANCE} of the
 * sharp walk's, at every effect: generated images are softer than real ones, and the factors must not change with the
 * softness.</li>
 * </ul>
 * Significance is judged, as for any direction set, against the null of that generator (random orthonormal
 * directions and the axes from the evaluator's base codes). The rendered walks use phantom seeds of their own, apart
 * from the patients the oracle's floor was measured on ({@link OracleFloor#SEED}). The same walks are also scored
 * by evaluator version 1's rule (largest single-frame leakage, significance on |ρ|·|Δ|), for the before/after table.
 */
public final class KnownAnswers {

	/** Phantom seeds of the suite's perfect and two-factor walks (the floor is measured on {@link OracleFloor#SEED}). */
	static final long PERFECT_SEED = 5050, MIX_SEED = 6060, CHANGE_SEED = 8080;
	/**
	 * Half-ranges of the known-change walks, as shares of each change's range (1 = the phantom factor's whole
	 * half-range). 2/3 is what the evaluator's ±3-unit walk along a geometric axis covers at the default
	 * {@code order_span=9} (the hinge puts 9 units on a change of f = 1/2 · share, so 3 units are 2/3 of the range).
	 */
	static final double[] CHANGE_AMOUNTS = {0.5, 2.0 / 3, 1};
	/** The random directions judged come from this seed; the null from the evaluator's own. */
	static final long RANDOM_SEED = 7070;
	/** The soft walks' blur (pixels); their measured effect may differ from the sharp walk's by this share. */
	static final double SOFT_BLUR = 1.0, SOFT_EFFECT_TOLERANCE = 0.2;

	/**
	 * @param patients  patients per walk (they play the role of the evaluator's base codes)
	 * @param effects   effects of the perfect walks (σ)
	 * @param mixEffect effect of the two-factor walks (σ; each factor moves by mixEffect/√2)
	 * @param random    random directions judged (the null has evaluation().random() of its own)
	 */
	public record Settings(int patients, double[] effects, double mixEffect, int random, Evaluation.Settings evaluation) {

		/** The full suite (the bench entry): 48 patients, 1–3σ, 1,000 random directions against a null of 1,000. */
		public static Settings full() {
			return new Settings(48, new double[] {1, 1.5, 2, 3}, 2, 1000, Evaluation.Settings.defaults());
		}

		/** The fast suite of the default tests: fewer patients, effects and random directions. */
		public static Settings fast() {
			return new Settings(12, new double[] {1.5, 3}, 2, 200, Evaluation.Settings.defaults().withRandom(200));
		}
	}

	/** One judged walk: what was walked, the factor it was scored for, the entry and verdicts (now and by version 1). */
	public record Row(String kind, String walk, double effect, String target, DirectionScores.Entry entry, boolean clean, boolean significant,
		String worstLeak, boolean cleanV1, boolean significantV1) {}

	/** Per factor, how many random directions were called clean (and clean + significant), of {@code random}. */
	public record RandomTally(String factor, int clean, int cleanSignificant, int cleanV1, int random) {}

	/** A perfect walk drawn softly beside the same walk drawn sharp (same patients, same frames). */
	public record SoftRow(Row soft, Row sharp) {
		/** The soft walk's effect over the sharp one's. */
		public double effectRatio() {
			return soft.entry().effect() / sharp.entry().effect();
		}

		public boolean passes() {
			return soft.clean() && soft.significant() && Math.abs(effectRatio() - 1) <= SOFT_EFFECT_TOLERANCE;
		}
	}

	public record Report(List<Row> perfect, List<Row> mixes, List<RandomTally> random, List<Row> randomCalledClean, List<SoftRow> soft, List<Row> changes,
		int scoredFactors, String generator) {

		/** Scored factors whose perfect walks drawn softly are clean, significant and as large as the sharp ones at every effect. */
		public int softFactorsPassed() {
			return (int) soft.stream().map(x -> x.soft().target()).distinct()
				.filter(f -> soft.stream().filter(x -> x.soft().target().equals(f)).allMatch(SoftRow::passes)).count();
		}

		/** Scored factors whose perfect walks are clean and significant at every effect. */
		public int perfectFactorsPassed() {
			return (int) perfect.stream().map(Row::target).distinct()
				.filter(f -> perfect.stream().filter(r -> r.target().equals(f)).allMatch(r -> r.clean() && r.significant())).count();
		}

		public long mixesCalledClean() {
			return mixes.stream().filter(Row::clean).count();
		}

		/**
		 * The largest share, over factors, of random directions the evaluator calls clean: clean and significant, as
		 * in every report's labels and coverage. (Clean by the leakage rule alone is tallied beside it.)
		 */
		public double worstRandomCleanShare() {
			return worstShare(RandomTally::cleanSignificant);
		}

		/** The largest share, over factors, of random directions clean by the leakage rule alone (before significance). */
		public double worstRandomRuleCleanShare() {
			return worstShare(RandomTally::clean);
		}

		private double worstShare(java.util.function.ToIntFunction<RandomTally> count) {
			return random.stream().mapToDouble(t -> count.applyAsInt(t) / (double) t.random()).max().orElse(0);
		}

		/** The three known-answer bars of issue 22, and the soft walks of issue 24. */
		public boolean passes() {
			return perfectFactorsPassed() == scoredFactors && mixesCalledClean() == 0 && worstRandomCleanShare() <= 0.01 && softFactorsPassed() == scoredFactors;
		}
	}

	private KnownAnswers() {}

	/** Runs the suite with {@code oracle} (and its floor, if measured), significance against {@code g}'s null. */
	public static Report run(FactorOracle oracle, Generator g, Settings s, Monitor monitor) {
		FactorOracle.Config c = oracle.config();
		DirectionScores.Scoring scoring = DirectionScores.Scoring.of(oracle);
		boolean[] scored = scoring.scored();
		Evaluation.Settings e = s.evaluation();
		float[][] bases = WalkReader.bases(g.latentDim(), e.bases(), e.seed());
		double[] shifts = WalkReader.shifts(e.radius(), e.steps());
		monitor.log("Known answers: the null (" + e.random() + " random orthonormal directions + " + g.latentDim() + " axes) on " + g.fingerprint());
		Walks nullWalks = WalkReader.read(g, oracle, Evaluation.nullDirections(g.latentDim(), e), bases, shifts, null, monitor);
		DirectionScores.Null nul = DirectionScores.Null.of(DirectionScores.score(nullWalks, scoring));
		LegacyRule v1 = new LegacyRule(nullWalks, scored);

		KnownAnswerWalks render = new KnownAnswerWalks(oracle, e.steps());
		List<Row> perfect = new ArrayList<>(), mixes = new ArrayList<>();
		List<SoftRow> soft = new ArrayList<>();
		for (Factor pf : Factor.values()) {
			int f = c.indexOf(pf.key);
			if (f < 0 || !scored[f]) continue;
			for (double effect : s.effects()) {
				monitor.log(String.format(Locale.ROOT, "Known answers: perfect %s walks, %.1fσ, sharp and blurred by σ %.1f px", pf.key, effect, SOFT_BLUR));
				float[][] frames = render.render(new Factor[] {pf}, new double[] {1}, effect, s.patients(), PERFECT_SEED, monitor);
				Row sharp = row("perfect", pf.key, effect, f, render.read(frames, s.patients()), scoring, nul, v1, c);
				perfect.add(sharp);
				// the same frames, blurred
				float[][] blurred = new float[frames.length][];
				for (int i = 0; i < frames.length; i++) blurred[i] = GaussianBlur.blur(frames[i], c.size(), SOFT_BLUR);
				soft.add(new SoftRow(row("soft", pf.key, effect, f, render.read(blurred, s.patients()), scoring, nul, v1, c), sharp));
			}
		}
		Factor[] all = Factor.values();
		for (int i = 0; i < all.length; i++)
			for (int j = i + 1; j < all.length; j++) {
				int fi = c.indexOf(all[i].key), fj = c.indexOf(all[j].key);
				if (fi < 0 || fj < 0 || !scored[fi] || !scored[fj]) continue; // leakage into an unscored factor is invisible to the scorer
				monitor.log("Known answers: " + all[i].key + " + " + all[j].key + " walks");
				double w = Math.sqrt(0.5);
				Walks walk = render.walk(new Factor[] {all[i], all[j]}, new double[] {w, w}, s.mixEffect(), s.patients(), MIX_SEED + 31L * i + j, monitor);
				String name = all[i].key + " + " + all[j].key;
				Row a = row("two-factor", name, s.mixEffect(), fi, walk, scoring, nul, v1, c), b = row("two-factor", name, s.mixEffect(), fj, walk, scoring, nul, v1, c);
				mixes.add(a);
				mixes.add(b);
			}

		monitor.log("Known answers: " + s.random() + " random directions judged against the null");
		Walks randomWalks = WalkReader.read(g, oracle, Directions.of(WalkReader.randomOrthonormal(g.latentDim(), s.random(), RANDOM_SEED)), bases, shifts, null, monitor);
		DirectionScores.Table rt = DirectionScores.score(randomWalks, scoring);
		List<RandomTally> random = new ArrayList<>();
		List<Row> calledClean = new ArrayList<>();
		int nScored = 0;
		for (int f = 0; f < scored.length; f++) {
			if (!scored[f]) continue;
			nScored++;
			int clean = 0, cleanSig = 0, cleanV1 = 0;
			for (int k = 0; k < rt.directions(); k++) {
				DirectionScores.Entry en = rt.entries()[k][f];
				if (en.clean()) {
					clean++;
					calledClean.add(row("random", "direction " + k + " for " + c.factors().get(f), Math.abs(en.effect()), k, f, rt, scoring, nul, v1, randomWalks, c));
				}
				if (en.clean() && nul.significant(f, en)) cleanSig++;
				if (v1.clean(randomWalks, k, f)) cleanV1++;
			}
			random.add(new RandomTally(c.factors().get(f), clean, cleanSig, cleanV1, rt.directions()));
		}
		List<Row> changes = knownChanges(render, s, scoring, nul, v1, c, monitor);
		return new Report(perfect, mixes, random, calledClean, soft, changes, nScored, g.fingerprint());
	}

	/** The factor each geometric known change of {@code pairs=slices+geometry} stands for. */
	static Factor factorOf(SlicePairs.Change change) {
		return switch (change) {
			case ROTATION -> Factor.ROTATION;
			case Y_SHIFT -> Factor.Y_SHIFT;
			case X_SCALE -> Factor.WIDTH;
			case Y_SCALE -> Factor.HEIGHT;
		};
	}

	/**
	 * The training's geometric known changes ({@link SlicePairs#warp}) judged as walks: each patient's slice warped
	 * from −a to +a of the change's range, scored for the factor it stands for. Not a bar of the scorer: what it
	 * measures is the ceiling of the geometric-axes training, since an axis that draws its change exactly is only
	 * as clean as the change itself.
	 */
	private static List<Row> knownChanges(KnownAnswerWalks render, Settings s, DirectionScores.Scoring scoring, DirectionScores.Null nul, LegacyRule v1,
		FactorOracle.Config c, Monitor monitor) {
		List<Row> rows = new ArrayList<>();
		int nt = render.shifts().length;
		for (SlicePairs.Change change : SlicePairs.Change.values()) {
			int f = c.indexOf(factorOf(change).key);
			if (f < 0 || !scoring.scored()[f]) continue;
			for (double a : CHANGE_AMOUNTS) {
				monitor.log(String.format(Locale.ROOT, "Known answers: %s known change, ±%.2f of its range", change.key(), a));
				float[][] frames = new float[s.patients() * nt][];
				for (int b = 0; b < s.patients(); b++) {
					monitor.checkCanceled();
					float[][] still = render.frames(new Factor[0], new double[0], 0, CHANGE_SEED, b);
					for (int t = 0; t < nt; t++) {
						int size = (int) Math.round(Math.sqrt(still[t].length)); // the frames are square, at the size the oracle reads
						float[] out = new float[size * size];
						SlicePairs.warp(change, a * (2.0 * t / (nt - 1) - 1), still[t], size, out, 0);
						frames[b * nt + t] = out;
					}
				}
				rows.add(row("known change", change.key(), a, f, render.read(frames, s.patients()), scoring, nul, v1, c));
			}
		}
		return rows;
	}

	private static Row row(String kind, String walk, double effect, int f, Walks w, DirectionScores.Scoring scoring, DirectionScores.Null nul, LegacyRule v1,
		FactorOracle.Config c) {
		return row(kind, walk, effect, 0, f, DirectionScores.score(w, scoring), scoring, nul, v1, w, c);
	}

	/** The row of direction k of table t (scored from walks w) for factor f. */
	private static Row row(String kind, String walk, double effect, int k, int f, DirectionScores.Table t, DirectionScores.Scoring scoring, DirectionScores.Null nul,
		LegacyRule v1, Walks w, FactorOracle.Config c) {
		boolean[] scored = scoring.scored();
		DirectionScores.Entry e = t.entries()[k][f];
		int worst = -1;
		double worstLeak = -1;
		for (int g = 0; g < scored.length; g++) {
			if (g == f || !scored[g]) continue;
			double net = scoring.net(t.leakage()[k][g], f, g, e.effect())[0];
			if (net > worstLeak) {
				worstLeak = net;
				worst = g;
			}
		}
		String worstName = worst < 0 ? "—" : String.format(Locale.ROOT, "%s %.2f", c.factors().get(worst), worstLeak);
		return new Row(kind, walk, effect, c.factors().get(f), e, e.clean(), nul.significant(f, e), worstName, v1.clean(w, k, f), v1.significant(w, k, f));
	}

	/** Markdown tables of a report: perfect walks, two-factor walks, random directions. */
	public static String markdown(Report r) {
		StringBuilder sb = new StringBuilder();
		sb.append("| perfect walk | effect | ρ | Δ (σ) | leakage median / p90 (σ, net of floor) | worst other factor | S vs null | clean + significant | version 1 |\n|---|---|---|---|---|---|---|---|---|\n");
		for (Row x : r.perfect()) sb.append(line(x));
		sb.append("\n| two-factor walk | scored for | ρ | Δ (σ) | leakage median / p90 | worst other factor | S | called clean | version 1 clean |\n|---|---|---|---|---|---|---|---|---|\n");
		for (Row x : r.mixes())
			sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f / %.2f | %s | %.2f | %s | %s |%n", x.walk(), x.target(), x.entry().rho(), x.entry().effect(),
				x.entry().leakMedian(), x.entry().leakP90(), x.worstLeak(), x.entry().selectivity(), x.clean() ? "**yes**" : "no", x.cleanV1() ? "yes" : "no"));
		sb.append("\n| factor | random directions clean by the leakage rule | called clean (clean + significant) | version 1: clean + significant |\n|---|---|---|---|\n");
		for (RandomTally t : r.random())
			sb.append(String.format(Locale.ROOT, "| %s | %d of %d (%.1f%%) | %d (%.1f%%) | %d |%n", t.factor(), t.clean(), t.random(), 100.0 * t.clean() / t.random(), t.cleanSignificant(),
				100.0 * t.cleanSignificant() / t.random(), t.cleanV1()));
		sb.append(String.format(Locale.ROOT, "%n| perfect walk drawn softly (σ %.1f px) | effect | ρ | Δ (σ) | Δ sharp (σ) | Δ soft / sharp | leakage median / p90 | worst other factor "
			+ "| sharp: leakage median / p90, worst | S vs null | passes |%n|---|---|---|---|---|---|---|---|---|---|---|%n", SOFT_BLUR));
		for (SoftRow x : r.soft()) {
			DirectionScores.Entry e = x.soft().entry();
			DirectionScores.Entry h = x.sharp().entry();
			sb.append(String.format(Locale.ROOT, "| %s | %.1fσ | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %s | %.2f / %.2f, %s | %.2f | %s |%n", x.soft().walk(), x.soft().effect(), e.rho(),
				e.effect(), h.effect(), x.effectRatio(), e.leakMedian(), e.leakP90(), x.soft().worstLeak(), h.leakMedian(), h.leakP90(), x.sharp().worstLeak(), e.selectivity(),
				x.passes() ? "**yes**" : !x.soft().clean() ? "no (not clean)" : !x.soft().significant() ? "no (not significant)" : "no (effect changed)"));
		}
		if (!r.changes().isEmpty()) {
			sb.append("\n| known change (training's geometric pairs; not a bar) | ± share of range | ρ | Δ (σ) | leakage median / p90 (σ, net of floor) | worst other factor | S vs null "
				+ "| clean + significant | version 1 |\n|---|---|---|---|---|---|---|---|---|\n");
			for (Row x : r.changes()) {
				DirectionScores.Entry e = x.entry();
				sb.append(String.format(Locale.ROOT, "| %s → %s | %.2f | %.2f | %.2f | %.2f / %.2f | %s | %.2f | %s | %s |%n", x.walk(), x.target(), x.effect(), e.rho(), e.effect(),
					e.leakMedian(), e.leakP90(), x.worstLeak(), e.selectivity(), verdict(x), verdictV1(x)));
			}
		}
		if (!r.randomCalledClean().isEmpty()) {
			sb.append("\n| random direction called clean | effect | ρ | Δ (σ) | leakage median / p90 (σ, net of floor) | worst other factor | S vs null | clean + significant | version 1 |\n|---|---|---|---|---|---|---|---|---|\n");
			for (Row x : r.randomCalledClean()) sb.append(line(x));
		}
		sb.append(String.format(Locale.ROOT, "%nPerfect: %d of %d scored factors clean and significant at every effect; two-factor walks called clean: %d of %d; "
			+ "worst share of random directions called clean (clean + significant): %.1f%%; drawn softly: %d of %d -> %s%n", r.perfectFactorsPassed(), r.scoredFactors(),
			r.mixesCalledClean(), r.mixes().size(), 100 * r.worstRandomCleanShare(), r.softFactorsPassed(), r.scoredFactors(), r.passes() ? "PASSES" : "FAILS"));
		return sb.toString();
	}

	private static String line(Row x) {
		DirectionScores.Entry e = x.entry();
		return String.format(Locale.ROOT, "| %s | %.1fσ | %.2f | %.2f | %.2f / %.2f | %s | %.2f | %s | %s |%n", x.walk(), x.effect(), e.rho(), e.effect(), e.leakMedian(),
			e.leakP90(), x.worstLeak(), e.selectivity(), verdict(x), verdictV1(x));
	}

	private static String verdict(Row x) {
		return x.clean() && x.significant() ? "**yes**" : x.clean() ? "clean, not significant" : "no";
	}

	private static String verdictV1(Row x) {
		return x.cleanV1() && x.significantV1() ? "clean + significant" : x.cleanV1() ? "clean, not significant" : x.significantV1() ? "significant, not clean" : "no";
	}

	/**
	 * Evaluator version 1's verdict, kept only for the before/after table: leakage as the largest change of any
	 * single frame from the centre, significance of I = |ρ|·|Δ| against the null's 99th percentile.
	 */
	private static final class LegacyRule {
		private final double[] threshold;
		private final boolean[] scored;

		LegacyRule(Walks nullWalks, boolean[] scored) {
			this.scored = scored;
			threshold = new double[scored.length];
			for (int f = 0; f < scored.length; f++) {
				if (!scored[f]) continue;
				double[] i = new double[nullWalks.directions()];
				for (int k = 0; k < i.length; k++) i[k] = importance(nullWalks, k, f);
				threshold[f] = Stats.percentile(i, 100 * (1 - DirectionScores.ALPHA));
			}
		}

		static double importance(Walks w, int k, int f) {
			double v = Math.abs(DirectionScores.monotonicity(w, k, f)[0]) * Math.abs(DirectionScores.effect(w, k, f));
			return Double.isNaN(v) ? 0 : v;
		}

		boolean significant(Walks w, int k, int f) {
			return importance(w, k, f) > threshold[f];
		}

		boolean clean(Walks w, int k, int f) {
			double rho = DirectionScores.monotonicity(w, k, f)[0], effect = DirectionScores.effect(w, k, f), med = 0, p90 = 0;
			for (int g = 0; g < scored.length; g++)
				if (g != f && scored[g]) {
					double[] l = DirectionScores.leakage(w, k, g);
					med = Math.max(med, l[0]);
					p90 = Math.max(p90, l[1]);
				}
			return Math.abs(rho) >= DirectionScores.CLEAN_RHO && Math.abs(effect) >= DirectionScores.CLEAN_EFFECT && med <= DirectionScores.CLEAN_LEAK
				&& p90 <= DirectionScores.CLEAN_LEAK_P90 && DirectionScores.realism(w, k) >= DirectionScores.MIN_REALISM;
		}
	}
}
