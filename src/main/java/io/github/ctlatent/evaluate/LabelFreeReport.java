package io.github.ctlatent.evaluate;

import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.picture.Window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static io.github.ctlatent.evaluate.EvaluationReport.cell;

/**
 * Writes a {@link LabelFreeScores.Result} as a report folder, atomically like {@link EvaluationReport}:
 * {@code summary.txt} (the ranking in words), {@code ranking.csv} (every direction, best first),
 * {@code redundancy.csv} (|cos| of every pair's difference fields), {@code walks3d.csv} (the nearest real slice of
 * every frame of every walk) and {@code strips.png} (walks of the top-ranked directions).
 */
public final class LabelFreeReport {

	public static final String SUMMARY = EvaluationReport.SUMMARY, RANKING = "ranking.csv", REDUNDANCY = "redundancy.csv", WALKS = "walks3d.csv",
		STRIPS = EvaluationReport.STRIPS;

	/** Directions listed in the summary and shown in the strips. */
	static final int TOP = 8;

	private LabelFreeReport() {}

	/**
	 * @param data the model's dataset card (strips in HU), or null for model units
	 */
	public static Path write(LabelFreeScores.Result r, Generator g, Directions dirs, DatasetCard data, Path folder, Monitor monitor) {
		String summary = summary(r);
		AtomicFiles.replaceFolderVia(folder, io.github.ctlatent.core.Outputs.replaceable(RANKING, EvaluationReport.SCORES), tmp -> {
			Files.createDirectories(tmp);
			Files.writeString(tmp.resolve(SUMMARY), summary);
			Files.writeString(tmp.resolve(RANKING), rankingCsv(r));
			Files.writeString(tmp.resolve(REDUNDANCY), redundancyCsv(r));
			Files.writeString(tmp.resolve(WALKS), walksCsv(r));
			strips(r, g, dirs, data, tmp.resolve(STRIPS));
		});
		monitor.log("Label-free evaluation report -> " + folder);
		return folder;
	}

	/** The plain-text summary: how the score is made, the ranking, the chance level, redundancy, 3D. */
	public static String summary(LabelFreeScores.Result r) {
		LabelFreeScores.Null nul = r.nul();
		Evaluation.Settings s = r.settings();
		StringBuilder sb = new StringBuilder();
		sb.append(String.format(Locale.ROOT, "Label-free evaluation of %s (M = %d bases%s, %d frames over ±%.1f, null %d random orthonormal directions, seed %d)%n",
			r.name(), s.bases(), r.posteriorBases() > 0 ? ", " + r.posteriorBases() + " of them VAE posterior means of real slices" : "",
			2 * (s.frames3d() / 2) + 1, s.radius(), nul.directions(), s.seed()));
		sb.append(String.format(Locale.ROOT, "Reference: %s, %d real slices; one slice step of the scan changes the image by %.1f %s (median over adjacent slices)%n",
			r.reference(), r.referenceSlices(), r.sliceStep(), r.units()));
		sb.append("No factor oracle: the factor tables (direction × factor scores, clean/leakage, coverage, heat-map) need one (oracle=, e.g. "
			+ "models/phantom-oracle for phantom-like data, or Train Factor Oracle on labelled data).\n");
		sb.append(String.format(Locale.ROOT, "Score = effect × realism × (1 + scroll): effect = mean |pixel change| per unit shift along the walk (%s), "
			+ "realism = mean NCC of the frames with their nearest real slice, scroll = |ρ|·span/max(1, step CV) of that slice's position; "
			+ "significant = above the random directions' 99th percentile (%.2f).%n", r.units(), nul.score99()));
		int significant = (int) Arrays.stream(r.entries()).filter(LabelFreeScores.Entry::significant).count();
		sb.append(String.format(Locale.ROOT, "%nRanking (%d of %d directions significant; top %d):%n", significant, r.entries().length, Math.min(TOP, r.entries().length)));
		for (int i = 0; i < Math.min(TOP, r.ranking().length); i++) sb.append(String.format(Locale.ROOT, "  %d. %s%n", i + 1, describe(r, r.ranking()[i])));
		sb.append(String.format(Locale.ROOT, "Random directions (%d): score 99th pct %.2f, effect 99th pct %.1f %s, median realism %.3f, "
			+ "scroll 99th pct %.2f, |cos| between pairs 99th pct %.2f%n", nul.directions(), nul.score99(), nul.effect99(), r.units(), nul.realismMedian(),
			nul.chance().score99(), nul.redundancy99()));
		StringBuilder red = new StringBuilder();
		for (int k : r.ranking())
			if (r.redundant(k)) red.append(String.format(Locale.ROOT, "  direction %d repeats direction %d (|cos| %.2f)%n", k, r.entries()[k].partner(),
				r.entries()[k].redundancy()));
		sb.append(String.format(Locale.ROOT, "Redundant (|cos| of difference fields ≥ %.1f with a higher-ranked direction):%n", LabelFreeScores.REDUNDANT));
		sb.append(red.isEmpty() ? "  none\n" : red);
		Evaluation.Reading3d d = r.reading3d();
		Structure3d.Track t = d.highlighted();
		Structure3d.Chance ch = d.chance();
		sb.append(String.format(Locale.ROOT, "%n3D (nearest slice): direction %d: |ρ| %.2f, step CV %.2f, span %.0f%% of the body, match NCC %.3f; %d random "
			+ "directions: median |ρ| %.2f, 99th pct |ρ| %.2f, 99th pct span %.0f%%, 1st pct step CV %.2f; scroll score %.2f vs random 99th pct %.2f -> %s%n",
			t.direction(), t.absRho(), t.stepCv(), 100 * t.span(), t.match(), ch.directions(), ch.medianRho(), ch.rho99(), 100 * ch.span99(), ch.stepCv1(),
			t.scrollScore(), ch.score99(), EvaluationReport.verdict(t, ch)));
		r.walks3d().forEach((q, w) -> sb.append(q.line(w)));
		sb.append(walkLines(r, t.direction()));
		return sb.toString();
	}

	/**
	 * Where each walk of direction {@code k} goes, frame by frame: the nearest real slice's position in % of its volume.
	 * A median step CV cannot tell a walk that pauses at a few slices from one that jumps across the body; these lines
	 * can (a jump over a third of the body between two frames is what first showed where position hid in a VAE).
	 */
	static String walkLines(LabelFreeScores.Result r, int k) {
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
			"  nearest real slice per frame along direction %d (%% of the body from its first slice; all walks in %s):%n", k, WALKS));
		double[][] walks = r.positions()[k];
		for (int b = 0; b < walks.length; b++) {
			sb.append(String.format(Locale.ROOT, "    base %d:", b));
			for (double p : walks[b]) sb.append(' ').append(Math.round(100 * p));
			sb.append('\n');
		}
		return sb.toString();
	}

	static String walksCsv(LabelFreeScores.Result r) {
		return walksCsv(java.util.Arrays.asList(r.reading3d()));
	}

	/**
	 * Every frame of every walk of every direction, per 3D reading: where the frame lies along the body (the nearest
	 * real slice's position, or the oracle's z, as a fraction of the body). The reading column names which.
	 */
	static String walksCsv(java.util.List<Evaluation.Reading3d> readings) {
		StringBuilder sb = new StringBuilder("reading,direction,base,frame,shift,position\n");
		for (Evaluation.Reading3d reading : readings) {
			if (reading == null) continue;
			double[][][] pos = reading.positions();
			for (int k = 0; k < pos.length; k++)
				for (int b = 0; b < pos[k].length; b++)
					for (int t = 0; t < pos[k][b].length; t++)
						sb.append(reading.name()).append(',').append(k).append(',').append(b).append(',').append(t).append(',')
							.append(cell(reading.shifts()[t])).append(',').append(cell(pos[k][b][t])).append('\n');
		}
		return sb.toString();
	}

	/** One ranked direction in words. */
	static String describe(LabelFreeScores.Result r, int k) {
		LabelFreeScores.Entry e = r.entries()[k];
		Structure3d.Track t = e.track();
		return String.format(Locale.ROOT, "direction %d: score %.2f (%s, beats %.1f%% of random), effect %.1f %s per unit shift (%.1f slice steps), "
			+ "realism %.3f, scroll %.2f (|ρ| %.2f, step CV %.2f, span %.0f%%)%s", k, e.score(), e.significant() ? "significant" : "not significant",
			100 * e.beats(), e.effect(), r.units(), e.effect() / r.sliceStep(), e.realism(), e.scroll(), t.absRho(), t.stepCv(), 100 * t.span(),
			r.redundant(k) ? String.format(Locale.ROOT, "; repeats direction %d (|cos| %.2f)", e.partner(), e.redundancy()) : "");
	}

	static String rankingCsv(LabelFreeScores.Result r) {
		StringBuilder sb = new StringBuilder("rank,direction,score,significant,beats_random,null_p99,effect_" + r.units().toLowerCase(Locale.ROOT)
			+ "_per_unit,effect_slice_steps,realism_ncc,scroll,abs_rho,step_cv,span,closest_direction,closest_abs_cos,redundant\n");
		for (int i = 0; i < r.ranking().length; i++) {
			int k = r.ranking()[i];
			LabelFreeScores.Entry e = r.entries()[k];
			Structure3d.Track t = e.track();
			// a figure that does not exist (the step CV of a walk without net movement) is an empty cell, never NaN/Infinity
			sb.append(String.join(",", String.valueOf(i + 1), String.valueOf(k), cell(e.score()), String.valueOf(e.significant()), cell(e.beats()),
				cell(r.nul().score99()), cell(e.effect()), cell(e.effect() / r.sliceStep()), cell(e.realism()), cell(e.scroll()), cell(t.absRho()),
				cell(t.stepCv()), cell(t.span()), String.valueOf(e.partner()), cell(e.redundancy()), String.valueOf(r.redundant(k)))).append('\n');
		}
		return sb.toString();
	}

	static String redundancyCsv(LabelFreeScores.Result r) {
		int n = r.redundancy().length;
		StringBuilder sb = new StringBuilder("direction");
		for (int j = 0; j < n; j++) sb.append(",d").append(j);
		sb.append('\n');
		for (int k = 0; k < n; k++) {
			sb.append(k);
			for (int j = 0; j < n; j++) sb.append(',').append(cell(r.redundancy()[k][j]));
			sb.append('\n');
		}
		return sb.toString();
	}

	/** One row per top-ranked direction, 9 frames over ±T from the first base code. */
	private static void strips(LabelFreeScores.Result r, Generator g, Directions dirs, DatasetCard data, Path file) throws IOException {
		int[] ks = Arrays.copyOf(r.ranking(), Math.min(TOP, r.ranking().length));
		Directions labelled = dirs.labelled(k -> "#" + r.rank(k) + " d" + k);
		TraversalVolume v = Traversal.walk(g, labelled, ks, WalkReader.bases(g.latentDim(), 1, r.settings().seed())[0],
			new Traversal.Range(r.settings().radius(), 9), Monitor.NONE);
		if (data != null) v = v.toHounsfield(data.preprocessing, data.pixelSizeMm);
		WalkPictures.png(v, Window.LUNG, file);
	}
}
