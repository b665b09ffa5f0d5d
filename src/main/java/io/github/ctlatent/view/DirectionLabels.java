package io.github.ctlatent.view;

import io.github.ctlatent.core.ExplorerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names for directions from an evaluation report ('Evaluate Directions' writes {@code scores.csv}, one row per
 * direction × factor): a direction is named after the factor it changes cleanly (or weakly) and significantly,
 * the most important one when several qualify, with the sign of the correlation: "z+" walks up the body.
 * Columns are found by name, so added columns do not break reading.
 */
public final class DirectionLabels {

	public static final String SCORES = "scores.csv";

	private DirectionLabels() {}

	/** direction index → label, for the directions the report labels; {@code report} is the report folder or its scores.csv. */
	public static Map<Integer, String> fromReport(Path report) {
		Path csv = Files.isDirectory(report) ? report.resolve(SCORES) : report;
		List<String> lines;
		try {
			lines = Files.readAllLines(csv);
		} catch (IOException e) {
			throw new ExplorerException("No evaluation scores at " + csv + " (" + e.getMessage() + "): give the folder 'Evaluate Directions' wrote, or leave report empty.");
		}
		if (lines.isEmpty()) throw new ExplorerException("The evaluation scores " + csv + " are empty. Run 'Evaluate Directions' again.");
		List<String> header = Arrays.asList(lines.get(0).trim().split(","));
		int dir = column(header, "direction", csv), factor = column(header, "factor", csv), rho = column(header, "rho", csv),
			importance = column(header, "importance", csv), clean = column(header, "clean", csv), weak = column(header, "weak", csv),
			significant = column(header, "significant", csv);
		Map<Integer, String> labels = new HashMap<>();
		Map<Integer, Double> best = new HashMap<>();
		for (String line : lines.subList(1, lines.size())) {
			if (line.isBlank()) continue;
			String[] c = line.split(",", -1);
			try {
				if (!Boolean.parseBoolean(c[significant]) || !(Boolean.parseBoolean(c[clean]) || Boolean.parseBoolean(c[weak]))) continue;
				int k = Integer.parseInt(c[dir].trim());
				double imp = Double.parseDouble(c[importance]);
				if (best.containsKey(k) && best.get(k) >= imp) continue;
				best.put(k, imp);
				labels.put(k, c[factor].trim() + (Double.parseDouble(c[rho]) >= 0 ? "+" : "−") + (Boolean.parseBoolean(c[clean]) ? "" : " (weak)"));
			} catch (RuntimeException e) {
				throw new ExplorerException("The evaluation scores " + csv + " have a malformed row: '" + line + "'. Run 'Evaluate Directions' again.");
			}
		}
		return labels;
	}

	private static int column(List<String> header, String name, Path csv) {
		int i = header.indexOf(name);
		if (i < 0) throw new ExplorerException("The evaluation scores " + csv + " have no '" + name + "' column; they were not written by 'Evaluate Directions'.");
		return i;
	}

	/** "direction 3 · z+" when labelled, else "direction 3". */
	public static String name(int k, Map<Integer, String> labels) {
		String l = labels.get(k);
		return l == null ? "direction " + k : String.format(Locale.ROOT, "direction %d · %s", k, l);
	}
}
