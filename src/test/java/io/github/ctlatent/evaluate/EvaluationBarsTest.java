package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.commands.DiscoverDirectionsCommand;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.phantom.PhantomFactors;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.data.phantom.ThoraxPhantom;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.traverse.Directions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The measurement behind docs/results-evaluation.md: every method on the shipped GAN and VAE, scored by the same
 * code with the shipped oracle. Direction sets are discovered into {@code -Dbars.dir} (default target/bars) when
 * missing. Slow-tagged; five parts, run one at a time with {@code -Dtest=EvaluationBarsTest#part}:
 * <ul>
 * <li>{@link #methodByModelCoverageAndThreeDTables}: the default settings (M = 8, 9 frames over ±3, null of 1,000
 * random + axes, 3D vs 200 random); Voynov–Babenko (the README's RCA setting) and random directions over 3 seeds,
 * the supervised ceiling ({@link SupervisedCeiling}) and Voynov–Babenko seed 1 with twice the steps. Reports
 * in {@code bars.dir/reports}. About 30 min (GAN) and 40 min (VAE) on one loaded core.</li>
 * <li>{@link #diagnostics}: the "why" probes at ±3 and ±1.5 with a smaller null (200 random + axes, 3D vs 50) —
 * leakage, effect and monotonicity do not depend on the null, significance is only indicative. Reports in
 * {@code bars.dir/reports-r3.0} and {@code reports-r1.5}.</li>
 * <li>{@link #meanAndSdOverSeeds}: reads the report folders back and writes the per-seed and mean ± sd tables
 * (target/evaluation-bars-summary.md). A set scored only in the diagnostics at ±3 is judged significant against
 * the default null's thresholds, read from the same model's default-settings SeFa report: the null depends only on
 * generator, oracle, settings and seed, so it is the same numbers.</li>
 * <li>{@link #oracleFloorOnRealVolumes}: the leakage the oracle charges perfect directions (minutes).</li>
 * <li>{@link #ceilingLeakageByFactor}: which factor each supervised direction leaks into (minutes).</li>
 * </ul>
 * It asserts what the measurement must satisfy whatever the models do, not the bars themselves.
 */
@Tag("slow")
class EvaluationBarsTest {

	static final Path BARS = Path.of(System.getProperty("bars.dir", "target/bars"));
	static final Path SLICES = Path.of(System.getProperty("bars.slices", "target/bars/slices64"));
	static final String[] MODELS = System.getProperty("bars.models", "gan,vae").split(",");
	static final String VOYNOV = "voynov proj K=8", VOYNOV_X2 = "voynov proj K=8 2000 steps", SUPERVISED = "supervised", NULLED = "supervised nulled";
	/** Codes the supervised ceiling is fitted on, and their seed (apart from the scorer's base codes 1…8). */
	static final int CEILING_CODES = 4096, CEILING_SEED = 11;

	/** A direction set of one model, made when it is scored (so discoveries still running are picked up). */
	interface SetMaker extends BiFunction<Generator, FactorOracle, Directions> {}

	@Test
	void methodByModelCoverageAndThreeDTables() throws Exception {
		StringBuilder md = new StringBuilder("| model | method | seed | coverage (clean + significant) | z | rotation | labelled directions | D | C | best z (oracle): \\|ρ\\|, step CV, span | random 3D p99 \\|ρ\\| / span | nearest slice: best \\|ρ\\|, CV, span, NCC | random p99 \\|ρ\\| / span |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		// -Dbars.only=<methods or method|seed, comma-separated> narrows the run (e.g. leave out the 2,000-step probe)
		String only = System.getProperty("bars.only");
		for (String m : MODELS)
			score(m, sets(m, only == null ? null : List.of(only.split(","))), Evaluation.Settings.defaults(), true, BARS.resolve("reports"), md);
		Files.writeString(Path.of("target/evaluation-bars-" + String.join("-", MODELS) + ".md"), md.toString());
		System.out.println(md);
	}

	@Test
	void diagnostics() throws Exception {
		List<String> atThree = List.of("sefa", "ica", "jacobian", "disco", VOYNOV, VOYNOV_X2, SUPERVISED, NULLED), atHalf = List.of("sefa", VOYNOV + "|1", VOYNOV_X2, SUPERVISED, NULLED, "random|1");
		StringBuilder md = new StringBuilder("| model | method | seed | coverage | z | rotation | labelled directions | D | C | best z (oracle) | random 3D | nearest slice | random |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		// -Dbars.only=<methods or method|seed, comma-separated> and -Dbars.radii=3 narrow a rerun (e.g. one new set)
		String only = System.getProperty("bars.only");
		for (String m : MODELS)
			for (String r : System.getProperty("bars.radii", "3,1.5").split(",")) {
				double radius = Double.parseDouble(r);
				// -Dbars.diag.random / random3d shrink the null further when a new set is judged against the saved default null anyway
				Evaluation.Settings s = Evaluation.Settings.defaults().withRadius(radius).withRandom(Integer.getInteger("bars.diag.random", 200))
					.withRandom3d(Integer.getInteger("bars.diag.random3d", 50));
				Map<String, SetMaker> sets = sets(m, radius == 3 ? atThree : atHalf);
				if (only != null) sets.keySet().removeIf(k -> !List.of(only.split(",")).contains(k) && !List.of(only.split(",")).contains(k.split("\\|")[0]));
				score(m, sets, s, radius == 3, BARS.resolve(String.format(Locale.ROOT, "reports-r%.1f", radius)), md);
			}
		Files.writeString(Path.of("target/evaluation-bars-diagnostics-" + String.join("-", MODELS) + ".md"), md.toString());
		System.out.println(md);
	}

	@Test
	void meanAndSdOverSeeds() throws Exception {
		StringBuilder seeds = new StringBuilder(BarsSummary.SEED_HEADER), means = new StringBuilder(BarsSummary.MEAN_HEADER),
			range = new StringBuilder(BarsSummary.RANGE_HEADER);
		for (String m : MODELS) {
			Path full = BARS.resolve("reports"), diag = BARS.resolve("reports-r3.0"), half = BARS.resolve("reports-r1.5");
			Map<String, Double> nullP99 = BarsSummary.thresholds(full.resolve(folder(m, "sefa", "-")));
			Map<String, List<BarsSummary.Row>> byMethod = new LinkedHashMap<>();
			for (String key : sets(m, null).keySet()) {
				String[] ms = key.split("\\|");
				Path report = full.resolve(folder(m, ms[0], ms[1]));
				String source = "default";
				if (!Files.isRegularFile(report.resolve(EvaluationReport.SCORES))) {
					report = diag.resolve(folder(m, ms[0], ms[1]));
					source = "±3, default null's thresholds";
				}
				if (!Files.isRegularFile(report.resolve(EvaluationReport.SCORES))) continue;
				BarsSummary.Row row = BarsSummary.read(report, nullP99);
				assertTrue(row.coverage() <= row.scored());
				byMethod.computeIfAbsent(ms[0], x -> new ArrayList<>()).add(row);
				seeds.append(row.seedLine(m, ms[0], ms[1], source));
				Path shorter = half.resolve(folder(m, ms[0], ms[1]));
				if (Files.isRegularFile(shorter.resolve(EvaluationReport.SCORES)))
					range.append(BarsSummary.rangeLine(m, ms[0], ms[1], BarsSummary.read(report, null), BarsSummary.read(shorter, null)));
			}
			byMethod.forEach((method, rows) -> means.append(BarsSummary.meanLine(m, method, rows)));
		}
		String md = seeds + "\n" + means + "\n" + range;
		Files.writeString(Path.of("target/evaluation-bars-summary.md"), md);
		System.out.println(md);
	}

	/**
	 * The oracle's own floor under the leakage rule: walks along the body axis of <b>real</b> phantom volumes — 9
	 * slices of one patient around its middle slice, so z changes while every per-patient factor stays put by
	 * construction — read by the oracle and scored by {@link DirectionScores} exactly like a latent walk, each
	 * volume standing for one base code. Leakage on these walks is the oracle's error varying along the body: what
	 * even a perfect `z` direction would be charged. Reported per group of 8 volumes (the scorer's M) and over all.
	 */
	@Test
	void oracleFloorOnRealVolumes() throws Exception {
		SliceSet ref = SliceSet.open(SLICES);
		List<io.github.ctlatent.data.DatasetCard.VolumeEntry> vols = ref.card().volumes;
		StringBuilder md = new StringBuilder("| walk (slices around the middle one) | volumes | z: ρ, Δ (σ) | leakage median / p90 (σ), worst factor | per-factor leakage medians | groups of 8 volumes: z clean / median leakage |\n|---|---|---|---|---|---|\n");
		try (FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
			FactorOracle.Config c = o.config();
			boolean[] scored = c.scoredMask();
			int z = c.indexOf("z");
			for (int half : new int[] {8, 16, 31}) {
				Walks all = realWalks(ref, o, vols, half);
				DirectionScores.Table t = DirectionScores.score(all, scored);
				DirectionScores.Entry e = t.entries()[0][z];
				int worst = -1;
				StringBuilder per = new StringBuilder();
				for (int g = 0; g < scored.length; g++)
					if (g != z && scored[g]) {
						per.append(String.format(Locale.ROOT, "%s %.2f ", c.factors().get(g), t.leakage()[0][g][0]));
						if (worst < 0 || t.leakage()[0][g][0] > t.leakage()[0][worst][0]) worst = g;
					}
				int groups = vols.size() / 8, clean = 0;
				double[] leak = new double[groups];
				for (int gi = 0; gi < groups; gi++) {
					DirectionScores.Entry ge = DirectionScores.score(subset(all, gi * 8, 8), scored).entries()[0][z];
					leak[gi] = ge.leakMedian();
					if (ge.clean()) clean++;
				}
				md.append(String.format(Locale.ROOT, "| ±%d | %d | %.2f, %.2f | %.2f / %.2f, %s | %s| %d of %d / %.2f |%n", half, vols.size(), e.rho(), e.effect(),
					e.leakMedian(), e.leakP90(), c.factors().get(worst), per, clean, groups, Stats.median(leak)));
			}
			// the per-patient factors: the same patient rendered again with one factor swept over its whole range (9
			// values), everything else and the slice position kept; 24 patients, at z 0.25 / 0.5 / 0.75 in turn
			md.append("\n| factor swept over its range (phantom re-rendered) | share of the range | ρ, Δ (σ) | leakage median / p90 (σ), worst factor | per-factor leakage medians | clean |\n|---|---|---|---|---|---|\n");
			assertArrayEquals(ref.slice(vols.get(0).firstSlice() + 21), preprocess(PhantomGenerator.render(7, 0, 128, 64, 10), 21), 2e-3f,
				"in-memory rendering + preprocessing reproduce the reference slice set (phantom seed 7, 128², 64 slices, 10 HU) up to its whole-HU storage");
			for (double share : new double[] {1, 0.5})
			for (PhantomFactors.Factor pf : PhantomFactors.Factor.values()) {
				int f = c.indexOf(pf.key);
				if (f < 0 || !scored[f] || f == z) continue;
				Walks w = sweep(o, pf, share, 24);
				DirectionScores.Table t = DirectionScores.score(w, scored);
				DirectionScores.Entry e = t.entries()[0][f];
				int worst = -1;
				StringBuilder per = new StringBuilder();
				for (int g = 0; g < scored.length; g++)
					if (g != f && scored[g]) {
						per.append(String.format(Locale.ROOT, "%s %.2f ", c.factors().get(g), t.leakage()[0][g][0]));
						if (worst < 0 || t.leakage()[0][g][0] > t.leakage()[0][worst][0]) worst = g;
					}
				md.append(String.format(Locale.ROOT, "| %s | %.0f%% | %.2f, %.2f | %.2f / %.2f, %s | %s| %s |%n", pf.key, 100 * share, e.rho(), e.effect(), e.leakMedian(), e.leakP90(),
					c.factors().get(worst), per, e.clean() ? "yes" : "no"));
			}
		}
		Files.writeString(Path.of("target/evaluation-bars-oracle-floor.md"), md.toString());
		System.out.println(md);
	}

	/** Slice {@code i} of a rendered phantom volume, preprocessed as the slice sets are (HU window, 64², lanczos4). */
	private static float[] preprocess(ThoraxPhantom.Rendered r, int i) {
		return Preprocessing.cpuDefault().apply(r.volume().plane(i), r.volume().width(), r.volume().height());
	}

	/**
	 * One "direction": per patient, factor {@code pf} swept in 9 steps over the middle {@code share} of its range, as
	 * the oracle reads the re-rendered slice.
	 */
	private static Walks sweep(FactorOracle o, PhantomFactors.Factor pf, double share, int patients) {
		double[] shifts = WalkReader.shifts(3, 4);
		int nt = shifts.length;
		float[][] images = new float[patients * nt][];
		for (int b = 0; b < patients; b++) {
			PhantomFactors base = PhantomFactors.draw(PhantomGenerator.volumeSeed(99, b));
			int slice = 1 + b % 3; // of 5 slices: z 0.25, 0.5, 0.75
			for (int t = 0; t < nt; t++) {
				double mid = (pf.min + pf.max) / 2, width = share * (pf.max - pf.min);
				PhantomFactors p = base.with(pf, mid - width / 2 + width * t / (nt - 1));
				images[b * nt + t] = preprocess(ThoraxPhantom.render(b, p, 128, 5, 10, PhantomGenerator.volumeSeed(98, b)), slice);
			}
		}
		return walks(o, shifts, images, patients);
	}

	/** One "direction": per volume (base), 9 slices at offsets −half…+half around its middle slice. */
	private static Walks realWalks(SliceSet ref, FactorOracle o, List<io.github.ctlatent.data.DatasetCard.VolumeEntry> vols, int half) {
		double[] shifts = WalkReader.shifts(3, 4);
		int nb = vols.size(), nt = shifts.length;
		float[][] images = new float[nb * nt][];
		for (int b = 0; b < nb; b++) {
			int mid = vols.get(b).firstSlice() + vols.get(b).slices() / 2;
			assertTrue(half < vols.get(b).slices() / 2 + 1, "the walk fits in the volume");
			for (int t = 0; t < nt; t++) images[b * nt + t] = ref.slice(Math.min(vols.get(b).firstSlice() + vols.get(b).slices() - 1, mid + (int) Math.round(half * shifts[t] / 3)));
		}
		return walks(o, shifts, images, nb);
	}

	/** Oracle readings of {@code nb} walks of {@code shifts.length} images each, as the walks of one direction. */
	private static Walks walks(FactorOracle o, double[] shifts, float[][] images, int nb) {
		return KnownAnswerWalks.read(o, shifts, images, nb);
	}

	private static Walks subset(Walks w, int from, int n) {
		return new Walks(w.shifts(), new double[][][][] {java.util.Arrays.copyOfRange(w.values()[0], from, from + n)},
			new boolean[][][][] {java.util.Arrays.copyOfRange(w.observable()[0], from, from + n)},
			new boolean[][][] {java.util.Arrays.copyOfRange(w.inDistribution()[0], from, from + n)});
	}

	/** Scores every set of {@code sets} on model {@code m} and writes one report per set into {@code reports}. */
	private static void score(String m, Map<String, SetMaker> sets, Evaluation.Settings s, boolean withReference, Path reports, StringBuilder md)
		throws Exception {
		Path model = Path.of("models/phantom-" + m);
		SliceSet ref = SliceSet.open(SLICES);
		float[][] posterior = posterior(m, ref, s);
		try (Generator g = Models.load(model, Device.cpu()); FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
			for (Map.Entry<String, SetMaker> e : sets.entrySet()) {
				String[] ms = e.getKey().split("\\|");
				Directions dirs = e.getValue().apply(g, o);
				if (dirs == null) {
					System.out.println("left out (not discovered yet): " + e.getKey());
					continue;
				}
				Evaluation.Result r = Evaluation.evaluate(g, dirs, ms[0] + " on " + m, o, withReference ? ref : null, posterior, s, Monitor.printing(System.out));
				Path report = reports.resolve(folder(m, ms[0], ms[1]));
				AtomicFiles.deleteRecursively(report);
				EvaluationReport.write(r, g, dirs, null, report, Monitor.NONE);
				md.append(row(m, ms[0], ms[1], r));
				Files.writeString(Path.of("target/evaluation-bars-partial-" + m + ".md"), md.toString());
				assertTrue(r.aggregates().coverage() <= r.aggregates().scoredFactors());
			}
		}
	}

	/** For the VAE, posterior means of M/2 held-out reference slices (the scorer's real base codes); null for the GAN. */
	static float[][] posterior(String m, SliceSet ref, Evaluation.Settings s) {
		if (!m.equals("vae")) return null;
		int[] test = ref.indices(SliceSet.Split.TEST);
		float[][] images = new float[s.bases() / 2][];
		for (int i = 0; i < images.length; i++) images[i] = ref.slice(test[(2 * i + 1) * test.length / (2 * images.length)]);
		try (VaeEncoder enc = VaeEncoder.load(Path.of("models/phantom-" + m), Device.cpu())) {
			return enc.encode(images);
		}
	}

	/**
	 * Which factor a supervised direction leaks into: the median leakage of every nulled ceiling direction into every
	 * other scored factor, at ±3 and ±1.5, from the scorer's base codes (the report's CSV keeps only the worst). It
	 * asserts what docs/results-evaluation.md ("The supervised ceiling") reads off the table: every figure is a number,
	 * and at ±3 the nulled `z` and `rotation` directions move their own factor monotonically (|ρ| 0.83–1.00 measured on
	 * both models, asserted ≥ 0.8), so their leakage, not a failed fit, keeps the ceiling from being clean.
	 */
	@Test
	void ceilingLeakageByFactor() throws Exception {
		StringBuilder md = new StringBuilder();
		SliceSet ref = SliceSet.open(SLICES);
		Evaluation.Settings s = Evaluation.Settings.defaults();
		for (String m : MODELS)
			try (Generator g = Models.load(Path.of("models/phantom-" + m), Device.cpu()); FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
				SupervisedCeiling.Fit fit = ceiling(g, o);
				float[][] bases = WalkReader.bases(g.latentDim(), s.bases(), s.seed());
				float[][] post = posterior(m, ref, s);
				for (int b = 0; post != null && b < post.length; b++) bases[s.bases() - 1 - b] = post[b];
				boolean[] scored = o.config().scoredMask();
				for (double radius : new double[] {3, 1.5}) {
					DirectionScores.Table t = DirectionScores.score(WalkReader.read(g, o, fit.nulledDirections(), bases, WalkReader.shifts(radius, 4), null, Monitor.NONE), scored);
					md.append(String.format(Locale.ROOT, "%n%s, supervised nulled directions at ±%.1f (linear R² of the fit: %s)%n%n| direction | ρ | Δ | ", m, radius,
						fit.summary().replaceAll(".*\\): ", "")));
					for (String f : fit.factors()) md.append("λ ").append(f).append(" | ");
					md.append("\n|---|---|---|").append("---|".repeat(fit.factors().size())).append("\n");
					for (int i = 0; i < fit.factors().size(); i++) {
						DirectionScores.Entry e = t.entries()[i][fit.index()[i]];
						String f = fit.factors().get(i);
						assertTrue(Double.isFinite(e.rho()) && Double.isFinite(e.effect()), m + " " + f + ": " + e);
						if (radius == 3 && (f.equals("z") || f.equals("rotation"))) assertTrue(Math.abs(e.rho()) >= 0.8, m + " nulled " + f + " at ±" + radius + ": ρ " + e.rho());
						md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | ", fit.factors().get(i), e.rho(), e.effect()));
						for (int j = 0; j < fit.factors().size(); j++) {
							double leak = t.leakage()[i][fit.index()[j]][0];
							assertTrue(j == i || Double.isFinite(leak) && leak >= 0, m + " " + f + " leaks into " + fit.factors().get(j) + ": " + leak);
							md.append(j == i ? "— | " : String.format(Locale.ROOT, "%.2f | ", leak));
						}
						md.append("\n");
					}
				}
			}
		Files.writeString(Path.of("target/evaluation-bars-ceiling-leakage.md"), md.toString());
		System.out.println(md);
	}

	static String folder(String model, String method, String seed) {
		return model + "-" + method.replace(' ', '_').replace("=", "") + "-" + seed;
	}

	/**
	 * The sets of model {@code m} as "method|seed" → maker, in scoring order; {@code only} keeps the methods (or
	 * "method|seed" keys) listed, null keeps all.
	 */
	static Map<String, SetMaker> sets(String m, List<String> only) {
		Path model = Path.of("models/phantom-" + m);
		Map<String, SetMaker> sets = new LinkedHashMap<>();
		sets.put("sefa|-", (g, o) -> set(model, m + "-sefa", "method", "sefa"));
		sets.put("pca|-", m.equals("vae") ? (g, o) -> set(model, m + "-pca", "method", "pca", "slices", SLICES)
			: (g, o) -> set(model, m + "-pca", "method", "pca"));
		// issue 24: FastICA (posterior means on the VAE, pooled images on the GAN) and the average Jacobian metric
		sets.put("ica|1", m.equals("vae") ? (g, o) -> set(model, m + "-ica", "method", "ica", "slices", SLICES, "seed", 1)
			: (g, o) -> set(model, m + "-ica", "method", "ica", "seed", 1));
		sets.put("jacobian|1", (g, o) -> set(model, m + "-jacobian", "method", "jacobian", "seed", 1));
		// issue 24: DisCo (contrastive), K = 8 proj as Voynov–Babenko; steps as run under the day's load (docs/results-evaluation.md)
		sets.put("disco|1", (g, o) -> set(model, m + "-disco-1", "method", "disco", "deformator", "proj", "directions", 8, "steps",
			Integer.getInteger("bars.disco.steps." + m, 1000), "batch_size", 16, "learning_rate", 1e-3, "checkpoint_every", 50, "seed", 1));
		for (int i = 1; i <= 3; i++) {
			int seed = i;
			sets.put("random|" + seed, (g, o) -> Directions.of(WalkReader.randomOrthonormal(32, 32, 1000 + seed)));
		}
		sets.put("axes|-", (g, o) -> Directions.of(WalkReader.axes(32)));
		for (int i = 1; i <= 3; i++) {
			int seed = i;
			sets.put(VOYNOV + "|" + seed, (g, o) -> voynov(model, m + "-voynov-" + seed, seed, 1000));
		}
		// the discovery budget probe: seed 1 run to twice the steps
		sets.put(VOYNOV_X2 + "|1", (g, o) -> voynov(model, m + "-voynov-1-x2", 1, 2000));
		sets.put(SUPERVISED + "|-", (g, o) -> ceiling(g, o).regressionDirections());
		sets.put(NULLED + "|-", (g, o) -> ceiling(g, o).nulledDirections());
		if (only != null) sets.keySet().removeIf(k -> !only.contains(k) && !only.contains(k.split("\\|")[0]));
		return sets;
	}

	private static final Map<String, SupervisedCeiling.Fit> CEILINGS = new LinkedHashMap<>();

	private static SupervisedCeiling.Fit ceiling(Generator g, FactorOracle o) {
		return CEILINGS.computeIfAbsent(g.fingerprint(), x -> SupervisedCeiling.fit(g, o, CEILING_CODES, CEILING_SEED, Monitor.printing(System.out)));
	}

	private static Directions voynov(Path model, String name, int seed, int steps) {
		return set(model, name, "method", "voynov", "deformator", "proj", "directions", 8, "steps", steps, "batch_size", 32, "learning_rate", 1e-4,
			"direction_learning_rate", 3e-3, "seed", seed, "no_baselines", true);
	}

	private static String row(String model, String method, String seed, Evaluation.Result r) {
		FactorOracle.Config c = r.oracle();
		DirectionScores.Aggregates a = r.aggregates();
		List<String> cleanFactors = new ArrayList<>();
		for (Evaluation.Label l : r.labels()) cleanFactors.add(l.direction() + "≈" + l.factorName() + (l.clean() ? "" : "(weak)"));
		Structure3d.Track z = r.oracle3d() == null ? null : r.oracle3d().highlighted();
		Structure3d.Chance ch = r.oracle3d() == null ? null : r.oracle3d().chance();
		Structure3d.Track n = r.slices3d() == null ? null : r.slices3d().highlighted();
		Structure3d.Chance nch = r.slices3d() == null ? null : r.slices3d().chance();
		return String.format(Locale.ROOT, "| %s | %s | %s | %d / %d | %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |%n", model, method, seed, a.coverage(), a.scoredFactors(),
			mark(r, c.indexOf("z")), mark(r, c.indexOf("rotation")), String.join(", ", cleanFactors), a.disentanglement(), a.completeness(),
			z == null ? "—" : String.format(Locale.ROOT, "d%d: %.2f, %.2f, %.0f%%", z.direction(), z.absRho(), z.stepCv(), 100 * z.span()),
			ch == null ? "—" : String.format(Locale.ROOT, "%.2f / %.0f%%", ch.rho99(), 100 * ch.span99()),
			n == null ? "—" : String.format(Locale.ROOT, "d%d: %.2f, %.2f, %.0f%%, %.3f", n.direction(), n.absRho(), n.stepCv(), 100 * n.span(), n.match()),
			nch == null ? "—" : String.format(Locale.ROOT, "%.2f / %.0f%%", nch.rho99(), 100 * nch.span99()));
	}

	/** "d4 ✓" when the factor's best direction is clean and significant, else its best |ρ| and effect. */
	private static String mark(Evaluation.Result r, int f) {
		int k = r.aggregates().best()[f];
		if (k < 0) return "—";
		DirectionScores.Entry e = r.table().entries()[k][f];
		boolean ok = e.clean() && r.significant(k, f);
		return String.format(Locale.ROOT, "d%d %s (ρ %.2f, Δ %.1fσ, λ %.2f)", k, ok ? "✓" : "✗", e.rho(), Math.abs(e.effect()), e.leakMedian());
	}

	private static Directions set(Path model, String name, Object... args) {
		Path json = BARS.resolve(name).resolve(DirectionSet.FILE_NAME);
		if (!Files.isRegularFile(json)) {
			// with -Dbars.discover=false a set not discovered yet is left out instead of discovered here
			if (!Boolean.parseBoolean(System.getProperty("bars.discover", "true"))) return null;
			Object[] all = new Object[args.length + 4];
			all[0] = "model";
			all[1] = model;
			all[2] = "output";
			all[3] = BARS.resolve(name);
			System.arraycopy(args, 0, all, 4, args.length);
			Harness.run(DiscoverDirectionsCommand.class, all);
		}
		return Directions.of(DirectionSet.load(json));
	}
}
