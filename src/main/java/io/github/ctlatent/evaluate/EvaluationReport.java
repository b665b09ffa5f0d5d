package io.github.ctlatent.evaluate;

import ij.process.ColorProcessor;
import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.picture.Pictures;
import io.github.ctlatent.picture.Window;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an {@link Evaluation.Result} as a report folder (EVALUATION.md §5), atomically (a temporary sibling moved
 * into place): {@code summary.txt} (the labelled directions in words), {@code scores.csv} (every direction ×
 * factor), {@code structure3d.csv}, {@code heatmap.png} (direction × factor, signed |ρ|·|Δ|; a black frame marks a
 * clean and significant pair, a dot a significant one) and {@code strips.png} (walks of the labelled directions).
 */
public final class EvaluationReport {

	public static final String SUMMARY = "summary.txt", SCORES = "scores.csv", STRUCTURE = "structure3d.csv", HEATMAP = "heatmap.png",
		STRIPS = "strips.png", CARD = "evaluation.json";

	private EvaluationReport() {}

	/**
	 * @param data the model's dataset card (strips in HU, lung window), or null for model units
	 */
	public static Path write(Evaluation.Result r, Generator g, Directions dirs, DatasetCard data, Path folder, Monitor monitor) {
		String summary = summary(r);
		// a folder that appeared at the output while scoring ran (not a report of ours) is never swapped out
		AtomicFiles.replaceFolderVia(folder, io.github.ctlatent.core.Outputs.replaceable(SCORES, LabelFreeReport.RANKING), tmp -> {
			Files.createDirectories(tmp);
			Files.writeString(tmp.resolve(SUMMARY), summary);
			Files.writeString(tmp.resolve(SCORES), scoresCsv(r));
			Files.writeString(tmp.resolve(STRUCTURE), structureCsv(r));
			Files.writeString(tmp.resolve(LabelFreeReport.WALKS), LabelFreeReport.walksCsv(java.util.Arrays.asList(r.oracle3d(), r.slices3d())));
			Files.writeString(tmp.resolve(CARD), io.github.ctlatent.core.Json.toJson(card(r)));
			Pictures.savePng(heatmap(r), tmp.resolve(HEATMAP));
			if (!r.labels().isEmpty()) strips(r, g, dirs, data, tmp.resolve(STRIPS));
		});
		monitor.log("Evaluation report -> " + folder);
		return folder;
	}

	/** The report's card: which evaluator judged what, with which settings, and the set-level figures (no NaN: JSON has none). */
	record Card(int evaluatorVersion, String name, String settings, String oracle, boolean oracleFloor, int coverage, int scoredFactors,
		Double disentanglement, Double completeness, java.util.List<String> labels, Double decoderReach) {}

	static Card card(Evaluation.Result r) {
		DirectionScores.Aggregates a = r.aggregates();
		return new Card(DirectionScores.VERSION, r.name(), r.settings().toString(), OracleTraining.summary(r.oracle()), r.floorMeasured(), a.coverage(),
			a.scoredFactors(), finite(a.disentanglement()), finite(a.completeness()), r.labels().stream().map(Evaluation.Label::describe).toList(),
			r.reach() == null ? null : finite(r.reach().share()));
	}

	private static Double finite(double v) {
		return Double.isFinite(v) ? v : null;
	}

	/** The plain-text summary: labelled directions, coverage and aggregates, best direction per factor, 3D. */
	public static String summary(Evaluation.Result r) {
		FactorOracle.Config c = r.oracle();
		StringBuilder sb = new StringBuilder();
		sb.append("Evaluation of ").append(r.name()).append(" (").append(r.settings()).append(")\n");
		sb.append("Evaluator version ").append(DirectionScores.VERSION).append(r.floorMeasured() ? "; leakage net of the oracle's measured floor (floor.json)" : "; leakage raw (this oracle has no floor.json)").append('\n');
		sb.append("Oracle: ").append(OracleTraining.summary(c)).append('\n');
		sb.append("\nLabelled directions (clean or weak, and significant against the null):\n");
		if (r.labels().isEmpty()) sb.append("  none\n");
		for (Evaluation.Label l : r.labels()) sb.append("  ").append(l.describe()).append('\n');
		DirectionScores.Aggregates a = r.aggregates();
		sb.append(String.format(Locale.ROOT, "%nCoverage: %d of %d scored factors have a clean, significant direction; redundancy %.2f clean directions per covered factor; "
			+ "DCI disentanglement %.2f, completeness %.2f%n", a.coverage(), a.scoredFactors(), a.redundancy(), a.disentanglement(), a.completeness()));
		sb.append(String.format(Locale.ROOT, "Best direction per factor (I = |ρ|·|Δ|, gap to the second best; selectivity S = f's change over the rest's, against the null's %.2fth percentile):%n",
			r.nul().percentile()));
		for (int f = 0; f < c.factorCount(); f++) {
			if (!c.scored(f)) {
				sb.append(String.format(Locale.ROOT, "  %-8s oracle-limited (R² %.2f), not scored%n", c.factors().get(f), c.r2()[f]));
				continue;
			}
			int k = a.best()[f];
			DirectionScores.Entry e = r.table().entries()[k][f];
			if (!measurable(e)) { // the factor exists only in part of the body (breast, lung) and too few walks showed it
				sb.append(String.format(Locale.ROOT, "  %-8s not measurable: %s%n", c.factors().get(f), UNMEASURABLE));
				continue;
			}
			sb.append(String.format(Locale.ROOT, "  %-8s direction %d: ρ %+.2f, Δ %+.2fσ, I %.2f, gap %.2f, leakage %.2fσ, S %.2f vs null %.2f (beats %.1f%%)%s%n", c.factors().get(f), k,
				e.rho(), e.effect(), e.importance(), a.gap()[f], e.leakMedian(), e.selectivity(), r.nul().threshold(f), 100 * r.nul().beats(f, e),
				e.clean() && r.significant(k, f) ? ", clean" : ""));
		}
		for (Evaluation.Reading3d d : new Evaluation.Reading3d[] {r.oracle3d(), r.slices3d()}) {
			if (d == null) continue;
			Structure3d.Track t = d.highlighted();
			Structure3d.Chance ch = d.chance();
			sb.append(String.format(Locale.ROOT, "%n3D (%s): direction %d: |ρ| %.2f, step CV %.2f, span %.0f%% of the body%s; %d random directions: median |ρ| %.2f, "
				+ "99th pct |ρ| %.2f, 99th pct span %.0f%%, 1st pct step CV %.2f; scroll score |ρ|·span/max(1, CV) %.2f vs random 99th pct %.2f -> %s%n", d.name(),
				t.direction(), t.absRho(), t.stepCv(), 100 * t.span(), Double.isNaN(t.match()) ? "" : String.format(Locale.ROOT, ", match NCC %.3f", t.match()),
				ch.directions(), ch.medianRho(), ch.rho99(), 100 * ch.span99(), ch.stepCv1(), t.scrollScore(), ch.score99(), verdict(t, ch)));
			for (EvenWalks.Kind q : r.walks3d().keySet()) sb.append(q.line(track(r, d, q)));
			if (d == r.oracle3d() && r.reach() != null) sb.append("  ").append(r.reach().describe("z"));
		}
		return sb.toString();
	}

	/** The track of a 3D reading's highlighted direction walked the other way {@code q}, or null. */
	static Structure3d.Track track(Evaluation.Result r, Evaluation.Reading3d d, EvenWalks.Kind q) {
		EvenWalks.Tracks t = r.walks3d().get(q);
		if (t == null) return null;
		return d == r.oracle3d() ? t.oracle() : t.slices();
	}

	/**
	 * Which scroll bars ({@link Structure3d.Bar}) the track meets and what it misses of the others, e.g. "scrolls:
	 * meets the even (…) and one-scan (…) bars; misses strict (…): step CV > 0.3". Every bar asks for a scroll score
	 * above chance as well.
	 */
	static String verdict(Structure3d.Track t, Structure3d.Chance ch) {
		List<String> met = new ArrayList<>(), missed = new ArrayList<>();
		for (Structure3d.Bar b : Structure3d.Bar.values()) {
			String why = b.misses(t, ch);
			if (why.isEmpty()) met.add(b.describe());
			else missed.add(b.describe() + ": " + why);
		}
		if (met.isEmpty()) return "does not scroll by any 3D bar (each also asks for a scroll score above chance); misses " + String.join("; ", missed);
		String bars = met.size() == 1 ? met.get(0) + " bar" : String.join(", ", met.subList(0, met.size() - 1)) + " and " + met.get(met.size() - 1) + " bars";
		return "scrolls: meets the " + bars + (missed.isEmpty() ? "" : "; misses " + String.join("; ", missed));
	}

	/** Why a (direction, factor) pair has no ρ or Δ: the reason written in place of numbers. */
	static final String UNMEASURABLE = "the factor is visible at both ends of fewer than half of the walks (it exists only in part of the body)";

	static boolean measurable(DirectionScores.Entry e) {
		return !Double.isNaN(e.rho()) && !Double.isNaN(e.effect());
	}

	/**
	 * Every direction × scored factor; a pair that cannot be measured has empty number cells and says why in
	 * {@code note} (a CSV of NaNs reads like a broken run).
	 */
	static String scoresCsv(Evaluation.Result r) {
		StringBuilder sb = new StringBuilder("direction,factor,rho,monotone_share,effect_sd,leak_median_sd,leak_p90_sd,realism,importance,selectivity,null_threshold_selectivity,beats_random,clean,weak,significant,evaluator_version,note\n");
		FactorOracle.Config c = r.oracle();
		for (int k = 0; k < r.table().directions(); k++)
			for (int f = 0; f < c.factorCount(); f++) {
				DirectionScores.Entry e = r.table().entries()[k][f];
				if (e == null) continue;
				if (!measurable(e)) {
					sb.append(String.format(Locale.ROOT, "%d,%s,,,,,,,,,,,false,false,false,%d,not measurable: %s%n", k, c.factors().get(f), DirectionScores.VERSION,
						UNMEASURABLE));
					continue;
				}
				String row = String.join(",", String.valueOf(k), c.factors().get(f), cell(e.rho(), 4), cell(e.monotoneShare(), 3), cell(e.effect(), 4),
					cell(e.leakMedian(), 4), cell(e.leakP90(), 4), cell(e.realism(), 3), cell(e.importance(), 4), cell(e.selectivity(), 4),
					cell(r.nul().threshold(f), 4), cell(r.nul().beats(f, e), 4), String.valueOf(e.clean()), String.valueOf(e.weak()),
					String.valueOf(r.significant(k, f)), String.valueOf(DirectionScores.VERSION));
				sb.append(row).append(row.contains(",,") ? ",empty cells: not measurable on enough walks" : ",").append('\n');
			}
		return sb.toString();
	}

	/**
	 * One row per direction and reading, plus the random chance rows. A figure that does not exist is an empty cell
	 * with the reason in {@code note}, never NaN or Infinity: the oracle reading matches no slice (match_ncc), the
	 * chance rows summarise only some figures, and a walk without net movement has no step CV.
	 */
	static String structureCsv(Evaluation.Result r) {
		StringBuilder sb = new StringBuilder("reading,direction,abs_rho,step_cv,span,match_ncc,note\n");
		for (Evaluation.Reading3d d : new Evaluation.Reading3d[] {r.oracle3d(), r.slices3d()}) {
			if (d == null) continue;
			for (Structure3d.Track t : d.tracks()) sb.append(row(d.name(), String.valueOf(t.direction()), t.absRho(), t.stepCv(), t.span(), t.match()));
			Structure3d.Chance ch = d.chance();
			sb.append(row(d.name(), "random median (" + ch.directions() + ")", ch.medianRho(), Double.NaN, ch.medianSpan(), Double.NaN));
			sb.append(row(d.name(), "random p99 (p1 for step_cv)", ch.rho99(), ch.stepCv1(), ch.span99(), Double.NaN));
			for (EvenWalks.Kind q : r.walks3d().keySet()) {
				Structure3d.Track e = track(r, d, q);
				if (e != null) sb.append(row(d.name() + " (" + q.label + ")", String.valueOf(e.direction()), e.absRho(), e.stepCv(), e.span(), e.match()));
			}
		}
		return sb.toString();
	}

	private static String row(String reading, String dir, double rho, double cv, double span, double match) {
		boolean chance = dir.startsWith("random");
		List<String> why = new java.util.ArrayList<>();
		if (!Double.isFinite(cv)) why.add("step_cv: " + (chance ? "not summarised for random directions" : "the walk does not move"));
		if (!Double.isFinite(match)) why.add("match_ncc: " + (chance ? "not summarised for random directions" : "the oracle reading matches no slice"));
		return String.join(",", reading, dir, cell(rho), cell(cv), cell(span), cell(match), String.join("; ", why)) + "\n";
	}

	/** A CSV number: four decimals, or an empty cell when it is not finite (the row's note says why). */
	static String cell(double v) {
		return cell(v, 4);
	}

	static String cell(double v, int decimals) {
		return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "";
	}

	/** Direction × factor map of sign(ρ)·|ρ|·|Δ| (red +, blue −), oracle-limited factors hatched grey. */
	public static ColorProcessor heatmap(Evaluation.Result r) {
		FactorOracle.Config c = r.oracle();
		int nk = r.table().directions(), nf = c.factorCount(), cell = 46, row = 22, left = 84, top = 24, bottom = 40;
		double scale = 1;
		for (int k = 0; k < nk; k++) for (int f = 0; f < nf; f++) scale = Math.max(scale, r.table().importance(k, f));
		ColorProcessor cp = new ColorProcessor(Math.max(left + nf * cell + 10, 420), top + nk * row + bottom);
		cp.setColor(Color.WHITE);
		cp.fill();
		cp.setAntialiasedText(true);
		cp.setFont(new Font("SansSerif", Font.PLAIN, 11));
		cp.setColor(Color.BLACK);
		for (int f = 0; f < nf; f++) cp.drawString(shortName(c.factors().get(f)), left + f * cell + 1, top - 6);
		for (int k = 0; k < nk; k++) {
			cp.setColor(Color.BLACK);
			cp.drawString("direction " + k, 4, top + k * row + row / 2 + 5);
			for (int f = 0; f < nf; f++) {
				DirectionScores.Entry e = r.table().entries()[k][f];
				int x = left + f * cell, y = top + k * row;
				if (e == null || Double.isNaN(e.rho()) || Double.isNaN(e.effect())) { // not scored / not measurable on enough walks
					cp.setColor(e == null ? new Color(200, 200, 200) : new Color(235, 235, 235));
					cp.fillRect(x, y, cell - 1, row - 1);
					continue;
				}
				double v = Math.signum(e.rho()) * e.importance() / scale;
				int fade = (int) Math.round(255 * (1 - Math.min(1, Math.abs(v))));
				cp.setColor(v >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255));
				cp.fillRect(x, y, cell - 1, row - 1);
				cp.setColor(Color.BLACK);
				if (e.clean() && r.significant(k, f)) {
					cp.drawRect(x, y, cell - 1, row - 1);
					cp.drawRect(x + 1, y + 1, cell - 3, row - 3);
				} else if (r.significant(k, f)) cp.fillOval(x + cell / 2 - 3, y + row / 2 - 3, 6, 6);
			}
		}
		cp.setColor(Color.BLACK);
		cp.drawString(String.format(Locale.ROOT, "colour: sign(ρ)·|ρ|·|Δ|, full = %.2f; grey: not scored / not measurable", scale), 4, top + nk * row + 16);
		cp.drawString("frame: clean + significant; dot: significant only", 4, top + nk * row + 32);
		return cp;
	}

	private static String shortName(String s) {
		return s.length() <= 7 ? s : s.substring(0, 7);
	}

	/** One row per labelled direction, 9 frames over ±T from the first base code. */
	private static void strips(Evaluation.Result r, Generator g, Directions dirs, DatasetCard data, Path file) throws IOException {
		int[] ks = r.labels().stream().mapToInt(Evaluation.Label::direction).toArray();
		String[] names = new String[dirs.count()];
		for (Evaluation.Label l : r.labels()) names[l.direction()] = "d" + l.direction() + " " + (l.clean() ? "" : "~") + shortName(l.factorName());
		Directions labelled = dirs.labelled(k -> names[k] == null ? "direction " + k : names[k]);
		TraversalVolume v = Traversal.walk(g, labelled, ks, WalkReader.bases(g.latentDim(), 1, r.settings().seed())[0],
			new Traversal.Range(r.settings().radius(), 9), Monitor.NONE);
		if (data != null) v = v.toHounsfield(data.preprocessing, data.pixelSizeMm);
		WalkPictures.png(v, Window.LUNG, file);
	}
}
