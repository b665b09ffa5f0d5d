package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;

import java.util.ArrayList;
import java.util.List;
import io.github.ctlatent.core.Limits;
import java.util.Locale;

/**
 * The evaluation stage's entry point: measures what each direction of a set means (EVALUATION.md §3–4) with a
 * factor oracle, against the null of random orthonormal directions and the coordinate axes, and — when a
 * reference slice set is given — the label-free 3D reading. {@link EvaluationReport} writes the result.
 * <pre>
 * Evaluation.Result r = Evaluation.evaluate(generator, Directions.of(set), oracle, referenceOrNull, Evaluation.Settings.defaults(), monitor);
 * </pre>
 * The scoring judges discovery from the outside: it uses the generator and the directions' shift geometry only,
 * and shares no code with the discovery methods.
 */
public final class Evaluation {

	private Evaluation() {}

	/**
	 * @param bases        M base codes z ~ N(0, I) per direction
	 * @param steps        S: walks have 2S+1 frames over −T…+T
	 * @param radius       T, in latent units (the directions are unit vectors, or ‖shift‖ = |ε| for proj)
	 * @param random       random orthonormal directions in the null (the d axes are added)
	 * @param random3d     random directions of the 3D chance level
	 * @param frames3d     frames of a 3D walk over the same −T…+T
	 * @param referenceSlices at most this many reference slices for the nearest-slice reading
	 */
	public record Settings(int bases, int steps, double radius, int random, int random3d, int frames3d, int referenceSlices, long seed, boolean curvedWalks) {
		/** The command's ranges ({@link Limits}), also for Java/Jython callers: radius &gt; 0 and finite, sizes bounded. */
		public Settings {
			Limits.EVAL_BASES.check(bases);
			Limits.EVAL_STEPS.check(steps);
			Limits.EVAL_RADIUS.check(radius);
			Limits.EVAL_RANDOM.check(random);
			Limits.EVAL_RANDOM_3D.check(random3d);
			Limits.EVAL_FRAMES_3D.check(frames3d);
			new Limits.Range("reference slices", 1, 1_000_000, "").check(referenceSlices);
		}

		/** The documented defaults; change any of them by name: {@code Settings.defaults().withBases(4).withRandom(200)}. */
		public static Settings defaults() {
			return new Settings(8, 4, 3, 1000, 200, 17, 1024, 1, false);
		}

		/** M, the number of base codes the directions are walked from. */
		public Settings withBases(int m) { return new Settings(m, steps, radius, random, random3d, frames3d, referenceSlices, seed, curvedWalks); }
		/** Frames on each side of the base (2·steps + 1 per walk). */
		public Settings withSteps(int n) { return new Settings(bases, n, radius, random, random3d, frames3d, referenceSlices, seed, curvedWalks); }
		/** The walk's reach ±radius in latent units. */
		public Settings withRadius(double r) { return new Settings(bases, steps, r, random, random3d, frames3d, referenceSlices, seed, curvedWalks); }
		/** Random orthonormal directions in the significance null (the axes are added). */
		public Settings withRandom(int n) { return new Settings(bases, steps, radius, n, random3d, frames3d, referenceSlices, seed, curvedWalks); }
		/** Random directions of the 3D chance level. */
		public Settings withRandom3d(int n) { return new Settings(bases, steps, radius, random, n, frames3d, referenceSlices, seed, curvedWalks); }
		/** Frames of a 3D walk. */
		public Settings withFrames3d(int n) { return new Settings(bases, steps, radius, random, random3d, n, referenceSlices, seed, curvedWalks); }
		/** Reference slices the nearest-slice reading compares with. */
		public Settings withReferenceSlices(int n) { return new Settings(bases, steps, radius, random, random3d, frames3d, n, seed, curvedWalks); }
		public Settings withSeed(long s) { return new Settings(bases, steps, radius, random, random3d, frames3d, referenceSlices, s, curvedWalks); }
		/**
		 * Also walk the highlighted 3D direction(s) along a curved path (path=curved, with and without even steps):
		 * off by default — each step renders latent-size + 1 images, and on the phantom models it made every walk worse
		 * (docs/results-evaluation.md, "Curved walks").
		 */
		public Settings withCurvedWalks(boolean on) { return new Settings(bases, steps, radius, random, random3d, frames3d, referenceSlices, seed, on); }

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "M = %d bases, %d frames over ±%.1f, null %d random + axes, 3D %d frames vs %d random, seed %d%s", bases,
				2 * steps + 1, radius, random, 2 * (frames3d / 2) + 1, random3d, seed, curvedWalks ? ", curved walks" : "");
		}
	}

	/** A direction the scores can name: its best factor and the numbers behind it. */
	public record Label(int direction, int factor, String factorName, DirectionScores.Entry entry, double beats, boolean clean) {

		public String describe() {
			return String.format(Locale.ROOT, "direction %d %s %s, ρ = %.2f, effect %.2fσ, leakage %.2fσ (90th pct %.2fσ), realism %.0f%%, beats %.1f%% of random directions",
				direction, clean ? "≈" : "weakly ≈", factorName, entry.rho(), Math.abs(entry.effect()), entry.leakMedian(), entry.leakP90(),
				100 * entry.realism(), 100 * beats);
		}
	}

	/** 3D figures of one reading (oracle ẑ or nearest slice): every direction, the highlighted one, the chance level. */
	public record Reading3d(String name, Structure3d.Track[] tracks, Structure3d.Track highlighted, Structure3d.Chance chance, double[] shifts,
		double[][][] positions) {
		/** This reading with the direction to show and the chance level of random directions. */
		Reading3d judged(Structure3d.Track highlighted, Structure3d.Chance chance) {
			return new Reading3d(name, tracks, highlighted, chance, shifts, positions);
		}
	}

	public record Result(String name, Settings settings, FactorOracle.Config oracle, DirectionScores.Table table, DirectionScores.Null nul,
		DirectionScores.Aggregates aggregates, List<Label> labels, Reading3d oracle3d, Reading3d slices3d, boolean floorMeasured,
		java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> walks3d, DecoderReach.Result reach) {

		public boolean significant(int k, int f) {
			return nul.significant(f, table.entries()[k][f]);
		}

		/** This result with the decoder's reach ({@link DecoderReach}; a VAE's, null for other models). */
		public Result withReach(DecoderReach.Result r) {
			return new Result(name, settings, oracle, table, nul, aggregates, labels, oracle3d, slices3d, floorMeasured, walks3d, r);
		}
	}

	/**
	 * @param name      what is evaluated ("sefa on phantom-gan"), for the report
	 * @param reference slices for the label-free 3D reading, or null to skip it
	 */
	public static Result evaluate(Generator g, Directions dirs, String name, FactorOracle oracle, SliceSet reference, Settings s, Monitor monitor) {
		return evaluate(g, dirs, name, oracle, reference, null, s, monitor);
	}

	/**
	 * @param posterior for a VAE, posterior means of real held-out slices: they replace the last half of the M
	 *                  prior base codes (EVALUATION.md §3), or null
	 */
	public static Result evaluate(Generator g, Directions dirs, String name, FactorOracle oracle, SliceSet reference, float[][] posterior, Settings s,
		Monitor monitor) {
		FactorOracle.Config c = oracle.config();
		DirectionScores.Scoring scoring = DirectionScores.Scoring.of(oracle);
		monitor.log("Evaluating " + name + ": " + dirs.count() + " directions; " + s + "; scored factors " + scoredNames(c, scoring.scored()));
		requireSize(dirs.count(), g, c.factorCount(), s, false, monitor);
		long t0 = System.nanoTime();
		float[][] bases = WalkReader.bases(g.latentDim(), s.bases(), s.seed());
		int fromPosterior = posterior == null ? 0 : Math.min(posterior.length, s.bases() / 2);
		for (int b = 0; b < fromPosterior; b++) bases[s.bases() - 1 - b] = posterior[b];
		if (fromPosterior > 0) monitor.log(fromPosterior + " of " + s.bases() + " base codes are VAE posterior means of real slices");
		double[] shifts = WalkReader.shifts(s.radius(), s.steps());
		if (scoring.floor() == null) monitor.log("This oracle has no measured floor (" + OracleFloor.FILE + "): leakage is scored raw, perfect directions may be charged the oracle's own errors");
		DirectionScores.Table table = DirectionScores.score(WalkReader.read(g, oracle, dirs, bases, shifts, null, monitor), scoring);
		String key = cacheKey(g, oracle, reference, s);
		if (key != null && fromPosterior > 0) key += "|posterior " + java.util.Arrays.deepHashCode(posterior);
		DirectionScores.Null nul = key == null ? null : (DirectionScores.Null) CACHE.get(key + "|null");
		if (nul == null) {
			monitor.log("Scoring the null: " + s.random() + " random orthonormal directions + " + g.latentDim() + " axes");
			Directions nullDirs = nullDirections(g.latentDim(), s);
			nul = DirectionScores.Null.of(DirectionScores.score(WalkReader.read(g, oracle, nullDirs, bases, shifts, null, monitor), scoring));
			if (key != null) CACHE.put(key + "|null", nul);
		} else monitor.log("The null of this generator, oracle and settings was scored before in this session: reused");
		DirectionScores.Aggregates agg = DirectionScores.aggregate(table, nul);
		monitor.log(String.format(Locale.ROOT, "Scores and null: %.1f s", (System.nanoTime() - t0) / 1e9));
		List<Label> labels = labels(table, nul, c);
		monitor.log("3D structure: " + s.frames3d() + "-frame walks of every direction and of " + s.random3d() + " random directions");
		double[] shifts3d = WalkReader.shifts(s.radius(), s.frames3d() / 2);
		Directions random3d = Directions.of(WalkReader.randomOrthonormal(g.latentDim(), s.random3d(), s.seed() + 202));
		int z = c.indexOf("z");
		Reading3d[] set = reading3d(g, oracle, dirs, bases, shifts3d, reference, s, z, monitor);
		Reading3d[] chance = key == null ? null : (Reading3d[]) CACHE.get(key + "|3d");
		if (chance == null) chance = reading3d(g, oracle, random3d, bases, shifts3d, reference, s, z, monitor);
		if (key != null) CACHE.put(key + "|3d", chance);
		Reading3d oracle3d = null, slices3d = null;
		if (set[0] != null) {
			Structure3d.Track bestZ = agg.best()[z] >= 0 ? set[0].tracks()[agg.best()[z]] : Structure3d.best(set[0].tracks());
			oracle3d = set[0].judged(bestZ, Structure3d.Chance.of(chance[0].tracks()));
		}
		if (set[1] != null)
			slices3d = set[1].judged(Structure3d.best(set[1].tracks()), Structure3d.Chance.of(chance[1].tracks()));
		java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> walks3d = otherWalks(g, oracle, dirs, bases, shifts3d, reference, s, z, oracle3d, slices3d, monitor);
		monitor.log(String.format(Locale.ROOT, "Evaluation done: %.1f s", (System.nanoTime() - t0) / 1e9));
		return new Result(name, s, c, table, nul, agg, labels, oracle3d, slices3d, scoring.floor() != null, walks3d, null);
	}

	/**
	 * The highlighted 3D direction(s) walked again in every other way ({@link EvenWalks.Kind}: even steps, a curved
	 * path, both): the oracle's best z direction and the best-scrolling one by nearest slice, once each (once in all
	 * when they are the same); an empty map without a 3D reading.
	 */
	private static java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> otherWalks(Generator g, FactorOracle oracle, Directions dirs, float[][] bases, double[] shifts3d,
		SliceSet reference, Settings s, int z, Reading3d oracle3d, Reading3d slices3d, Monitor monitor) {
		java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> out = new java.util.EnumMap<>(EvenWalks.Kind.class);
		if (oracle3d == null && slices3d == null) return out;
		List<EvenWalks.Kind> kinds = EvenWalks.kinds(s.curvedWalks());
		int ko = oracle3d == null ? -1 : oracle3d.highlighted().direction(), kn = slices3d == null ? -1 : slices3d.highlighted().direction();
		monitor.log("3D with even steps (spacing=even)" + (s.curvedWalks() ? ", a curved path (path=curved) and both" : "") + ": direction(s) " + (ko == kn || ko < 0 ? kn : kn < 0 ? ko : ko + ", " + kn)
			+ " walked again from the same bases");
		java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> first = EvenWalks.read(g, oracle, dirs, ko >= 0 ? ko : kn, bases, shifts3d, ko >= 0 ? z : -1,
			ko == kn || ko < 0 ? reference : null, s, kinds, monitor);
		if (ko < 0 || kn < 0 || ko == kn) return first;
		java.util.Map<EvenWalks.Kind, EvenWalks.Tracks> second = EvenWalks.read(g, oracle, dirs, kn, bases, shifts3d, -1, reference, s, kinds, monitor);
		for (EvenWalks.Kind q : kinds) out.put(q, new EvenWalks.Tracks(first.get(q).oracle(), second.get(q).slices()));
		return out;
	}

	/**
	 * Sizes known up front: the frames an evaluation renders and the largest table it holds, logged before the first
	 * walk, and refused with the limit when the table cannot fit the heap (bases × steps × random directions grow it).
	 * With an oracle the null's readings (a double and a flag per factor and frame) are the largest; without, the
	 * difference fields kept per walk for the redundancy of at most {@code max(directions, 32)} directions.
	 */
	static void requireSize(int directions, Generator g, int factors, Settings s, boolean labelFree, Monitor monitor) {
		long nb = s.bases(), nt = 2L * s.steps() + 1, n3 = 2L * (s.frames3d() / 2) + 1, d = g.latentDim();
		long frames = labelFree ? (directions + (long) s.random3d()) * nb * n3
			: (directions + s.random() + d) * nb * nt + (directions + (long) s.random3d()) * nb * n3;
		double bytes = labelFree ? Math.max(directions, Math.min(32, s.random3d())) * nb * 4.0 * g.imageSize() * g.imageSize()
			: (s.random() + d) * nb * nt * (9.0 * factors + 48);
		io.github.ctlatent.core.Checks.requireMemory("This evaluation (" + s + ")", bytes, "Use fewer bases, steps or random directions (bases=, steps=, "
			+ (labelFree ? "random_3d=" : "random=") + ").");
		monitor.log(String.format(Locale.ROOT, "About %,d frames to render; the largest table holds about %s", frames, io.github.ctlatent.core.Checks.size(bytes)));
	}

	/**
	 * The null and the 3D chance level depend only on generator, oracle, reference and settings, not on the
	 * directions judged: computed once per session (the demo and a comparison of methods score several sets).
	 */
	private static final java.util.Map<String, Object> CACHE = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(java.util.Map.Entry<String, Object> eldest) {
			return size() > 16;
		}
	});

	private static String cacheKey(Generator g, FactorOracle oracle, SliceSet reference, Settings s) {
		if (g.fingerprint() == null || oracle.source() == null) return null;
		return g.fingerprint() + "|v" + DirectionScores.VERSION + "|" + oracle.source() + "|" + (reference == null ? "-" : reference.folder().toAbsolutePath().normalize()) + "|" + s + "|" + s.referenceSlices();
	}

	/** {oracle-z tracks or null, nearest-slice tracks or null} of every direction of {@code dirs}. */
	private static Reading3d[] reading3d(Generator g, FactorOracle oracle, Directions dirs, float[][] bases, double[] shifts, SliceSet reference,
		Settings s, int z, Monitor monitor) {
		Reading3d[] r = new Reading3d[2];
		NearestSlice near = reference == null ? null : new NearestSlice(reference, s.referenceSlices(), dirs.count(), bases.length, shifts.length);
		try {
			Walks w = WalkReader.read(g, oracle, dirs, bases, shifts, near, monitor);
			if (z >= 0 && oracle.config().scored(z)) {
				double[][][] p = Structure3d.oraclePosition(w, oracle.config(), z);
				r[0] = new Reading3d("oracle z", Structure3d.tracks(shifts, p, null), null, null, shifts, p);
			}
			if (near != null)
				r[1] = new Reading3d("nearest slice", Structure3d.tracks(shifts, near.positions(), near.correlations()), null, null, shifts, near.positions());
		} finally {
			if (near != null) near.close();
		}
		return r;
	}

	/** Each direction's best factor, when the direction is clean or weak for it and significant. */
	static List<Label> labels(DirectionScores.Table t, DirectionScores.Null nul, FactorOracle.Config c) {
		List<Label> out = new ArrayList<>();
		for (int k = 0; k < t.directions(); k++) {
			int best = -1;
			for (int f = 0; f < c.factorCount(); f++)
				if (t.entries()[k][f] != null && (best < 0 || t.importance(k, f) > t.importance(k, best))) best = f;
			if (best < 0) continue;
			DirectionScores.Entry e = t.entries()[k][best];
			if ((e.clean() || e.weak()) && nul.significant(best, e))
				out.add(new Label(k, best, c.factors().get(best), e, nul.beats(best, e), e.clean()));
		}
		return out;
	}

	static String scoredNames(FactorOracle.Config c, boolean[] scored) {
		List<String> s = new ArrayList<>(), limited = new ArrayList<>();
		for (int f = 0; f < scored.length; f++) (scored[f] ? s : limited).add(c.factors().get(f));
		return s + (limited.isEmpty() ? "" : " (oracle-limited, not scored: " + limited + ")");
	}

	/** The null of docs/evaluation.md §3: {@code s.random()} random orthonormal directions (seed + 101) and the d axes. */
	static Directions nullDirections(int d, Settings s) {
		return Directions.of(concat(WalkReader.randomOrthonormal(d, s.random(), s.seed() + 101), WalkReader.axes(d)));
	}

	private static float[][] concat(float[][] a, float[][] b) {
		float[][] c = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}
}
