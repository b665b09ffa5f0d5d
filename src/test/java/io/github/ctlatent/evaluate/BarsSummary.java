package io.github.ctlatent.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Reads an evaluation report folder (scores.csv, structure3d.csv, as {@link EvaluationReport} writes them) back into
 * the figures of docs/results-evaluation.md, for {@link EvaluationBarsTest}'s per-seed and mean ± sd tables. The
 * aggregates are recomputed with {@link DirectionScores}'s own code from the table the CSV holds.
 */
final class BarsSummary {

	static final String SEED_HEADER = "| model | method | seed | scored with | coverage | #weak | D | C | mean gap | z: best λ of a monotone direction | rotation: same | best z (oracle): \\|ρ\\|, step CV, span | nearest slice: \\|ρ\\|, CV, span, NCC |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
	static final String MEAN_HEADER = "| model | method | n | coverage | #weak | D | C | mean gap | best z (oracle): \\|ρ\\| | step CV | span | nearest slice: step CV | span |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
	static final String RANGE_HEADER = "| model | method | seed | factor: best direction at ±3, ρ / Δ / λ at ±3 → at ±1.5 (λ/\\|Δ\\|) | clean at ±3 → ±1.5 |\n|---|---|---|---|---|\n";

	/** A (direction, factor) row of scores.csv. */
	record Score(int direction, String factor, DirectionScores.Entry entry, double nullP99, boolean significant) {}

	/**
	 * One report's figures. coverage / weak: factors with a clean / at least weak direction that is significant;
	 * leakFloor: per factor, the smallest median leakage of any direction with |ρ| ≥ 0.9 and |Δ| ≥ 0.5 (NaN when none);
	 * zTrack / nearTrack: the best-scored z direction's oracle track and the best nearest-slice track (null if absent).
	 */
	record Row(List<String> factors, Score[][] scores, int coverage, int weak, int scored, double disentanglement, double completeness,
		double meanGap, int[] best, Map<String, Double> leakFloor, Structure3d.Track zTrack, Structure3d.Track nearTrack) {

		String seedLine(String model, String method, String seed, String source) {
			return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d / %d | %d | %.2f | %.2f | %.2f | %s | %s | %s | %s |%n", model, method, seed, source, coverage,
				scored, weak, disentanglement, completeness, meanGap, fmt(leakFloor.get("z")), fmt(leakFloor.get("rotation")),
				zTrack == null ? "—" : String.format(Locale.ROOT, "d%d: %.2f, %.2f, %.0f%%", zTrack.direction(), zTrack.absRho(), zTrack.stepCv(), 100 * zTrack.span()),
				nearTrack == null ? "—" : String.format(Locale.ROOT, "d%d: %.2f, %.2f, %.0f%%, %.3f", nearTrack.direction(), nearTrack.absRho(), nearTrack.stepCv(),
					100 * nearTrack.span(), nearTrack.match()));
		}
	}

	private BarsSummary() {}

	/** Per factor, the null's 99th percentile as a report recorded it. */
	static Map<String, Double> thresholds(Path report) throws IOException {
		Map<String, Double> t = new LinkedHashMap<>();
		if (!Files.isRegularFile(report.resolve(EvaluationReport.SCORES))) return null;
		for (Score s : scores(report, null)) t.putIfAbsent(s.factor(), s.nullP99());
		return t;
	}

	/** @param nullP99 per factor, the significance threshold to judge by, or null for the report's own */
	static Row read(Path report, Map<String, Double> nullP99) throws IOException {
		List<Score> all = scores(report, nullP99);
		List<String> factors = new ArrayList<>();
		int nk = 0;
		for (Score s : all) {
			if (!factors.contains(s.factor())) factors.add(s.factor());
			nk = Math.max(nk, s.direction() + 1);
		}
		int nf = factors.size();
		Score[][] grid = new Score[nk][nf];
		DirectionScores.Entry[][] entries = new DirectionScores.Entry[nk][nf];
		for (Score s : all) {
			grid[s.direction()][factors.indexOf(s.factor())] = s;
			entries[s.direction()][factors.indexOf(s.factor())] = s.entry();
		}
		boolean[] scored = new boolean[nf];
		java.util.Arrays.fill(scored, true);
		DirectionScores.Table table = new DirectionScores.Table(entries, null, scored);
		int coverage = 0, weak = 0;
		double gapSum = 0;
		int gapCount = 0;
		int[] best = new int[nf];
		Map<String, Double> floor = new LinkedHashMap<>();
		for (int f = 0; f < nf; f++) {
			boolean clean = false, anyWeak = false;
			double first = 0, second = 0, leak = Double.NaN;
			best[f] = -1;
			for (int k = 0; k < nk; k++) {
				Score s = grid[k][f];
				DirectionScores.Entry e = s.entry();
				clean |= e.clean() && s.significant();
				anyWeak |= e.weak() && s.significant();
				double i = e.importance();
				if (i > first) {
					second = first;
					first = i;
					best[f] = k;
				} else if (i > second) second = i;
				if (Math.abs(e.rho()) >= DirectionScores.CLEAN_RHO && Math.abs(e.effect()) >= DirectionScores.CLEAN_EFFECT && !(e.leakMedian() >= leak))
					leak = e.leakMedian();
			}
			if (clean) coverage++;
			if (anyWeak) weak++;
			if (first > 0) {
				gapSum += first - second;
				gapCount++;
			}
			floor.put(factors.get(f), leak);
		}
		Structure3d.Track z = null, near = null;
		List<Structure3d.Track> nearTracks = new ArrayList<>();
		int zBest = factors.contains("z") ? best[factors.indexOf("z")] : -1;
		for (String line : Files.readAllLines(report.resolve(EvaluationReport.STRUCTURE)).subList(1, Files.readAllLines(report.resolve(EvaluationReport.STRUCTURE)).size())) {
			String[] c = line.split(",");
			if (!c[1].matches("\\d+")) continue;
			Structure3d.Track t = new Structure3d.Track(Integer.parseInt(c[1]), num(c[2]), num(c[3]), num(c[4]), num(c[5]));
			if (c[0].equals("oracle z") && t.direction() == zBest) z = t;
			if (c[0].equals("nearest slice")) nearTracks.add(t);
		}
		if (!nearTracks.isEmpty()) near = Structure3d.best(nearTracks.toArray(new Structure3d.Track[0]));
		return new Row(factors, grid, coverage, weak, nf, DirectionScores.disentanglement(table), DirectionScores.completeness(table),
			gapCount == 0 ? Double.NaN : gapSum / gapCount, best, floor, z, near);
	}

	private static List<Score> scores(Path report, Map<String, Double> nullP99) throws IOException {
		List<String> lines = Files.readAllLines(report.resolve(EvaluationReport.SCORES));
		List<Score> out = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] c = line.split(",");
			boolean v2 = c.length > 15; // evaluator version 2 judges significance on the selectivity (column 9)
			DirectionScores.Entry e = new DirectionScores.Entry(num(c[2]), num(c[3]), num(c[4]), num(c[5]), num(c[6]), num(c[7]), v2 ? num(c[9]) : Double.NaN);
			double thr = nullP99 != null && nullP99.containsKey(c[1]) ? nullP99.get(c[1]) : num(c[v2 ? 10 : 9]);
			out.add(new Score(Integer.parseInt(c[0]), c[1], e, thr, (v2 ? e.selectivity() : e.importance()) > thr));
		}
		return out;
	}

	/** "mean ± sd" lines of one method over its seeds (sample sd; "—" for one seed). */
	static String meanLine(String model, String method, List<Row> rows) {
		return String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", model, method, rows.size(),
			ms(rows, r -> r.coverage()), ms(rows, r -> r.weak()), ms(rows, Row::disentanglement), ms(rows, Row::completeness), ms(rows, Row::meanGap),
			ms(rows, r -> r.zTrack() == null ? Double.NaN : r.zTrack().absRho()), ms(rows, r -> r.zTrack() == null ? Double.NaN : r.zTrack().stepCv()),
			pct(rows, r -> r.zTrack() == null ? Double.NaN : r.zTrack().span()), ms(rows, r -> r.nearTrack() == null ? Double.NaN : r.nearTrack().stepCv()),
			pct(rows, r -> r.nearTrack() == null ? Double.NaN : r.nearTrack().span()));
	}

	/** The shift-range probe: each factor's best direction at ±3, read again at ±1.5. */
	static String rangeLine(String model, String method, String seed, Row three, Row half) {
		StringBuilder s = new StringBuilder();
		for (int f = 0; f < three.factors().size(); f++) {
			int k = three.best()[f];
			if (k < 0) continue;
			DirectionScores.Entry a = three.scores()[k][f].entry(), b = half.scores()[k][half.factors().indexOf(three.factors().get(f))].entry();
			s.append(String.format(Locale.ROOT, "%s d%d: %.2f / %.2f / %.2f (%.2f) → %.2f / %.2f / %.2f (%.2f); ", three.factors().get(f), k, a.rho(), Math.abs(a.effect()),
				a.leakMedian(), a.leakMedian() / Math.abs(a.effect()), b.rho(), Math.abs(b.effect()), b.leakMedian(), b.leakMedian() / Math.abs(b.effect())));
		}
		return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d → %d |%n", model, method, seed, s, cleanCount(three), cleanCount(half));
	}

	private static int cleanCount(Row r) {
		int n = 0;
		for (Score[] row : r.scores()) for (Score s : row) if (s.entry().clean()) n++;
		return n;
	}

	private static String ms(List<Row> rows, ToDoubleFunction<Row> v) {
		return ms(rows, v, "%.2f");
	}

	private static String ms(List<Row> rows, ToDoubleFunction<Row> v, String format) {
		double[] x = rows.stream().mapToDouble(v).filter(d -> !Double.isNaN(d)).toArray();
		if (x.length == 0) return "—";
		double m = java.util.Arrays.stream(x).average().orElse(Double.NaN);
		if (x.length == 1) return String.format(Locale.ROOT, format, m);
		double ss = 0;
		for (double d : x) ss += (d - m) * (d - m);
		return String.format(Locale.ROOT, format + " ± " + format, m, Math.sqrt(ss / (x.length - 1)));
	}

	private static String pct(List<Row> rows, ToDoubleFunction<Row> v) {
		return ms(rows, r -> 100 * v.applyAsDouble(r), "%.0f") + " %";
	}

	private static String fmt(Double d) {
		return d == null || d.isNaN() ? "—" : String.format(Locale.ROOT, "%.2f", d);
	}

	private static double num(String s) {
		return s.equals("NaN") || s.isEmpty() ? Double.NaN : Double.parseDouble(s); // version 2 leaves unmeasurable cells empty
	}
}
