package io.github.ctlatent.train;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code metrics.csv}: one row per iteration (losses) or evaluation (figures), the union of all keys as
 * columns, empty cells where a row has no value. Read back on resume, so the file of a resumed run is that of an
 * uninterrupted one.
 */
final class MetricsCsv {

	private MetricsCsv() {}

	/** Replaces {@code file} atomically by the {@code rows}. */
	static void write(List<Map<String, Double>> rows, Path file) {
		Set<String> cols = new LinkedHashSet<>();
		for (Map<String, Double> r : rows) cols.addAll(r.keySet());
		StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
		for (Map<String, Double> r : rows) {
			List<String> cells = new ArrayList<>();
			for (String c : cols) {
				Double v = r.get(c);
				cells.add(v == null ? "" : c.equals("iteration") ? String.valueOf(v.longValue()) : String.valueOf(v));
			}
			sb.append(String.join(",", cells)).append('\n');
		}
		AtomicFiles.writeString(file, sb.toString());
	}

	/** The rows up to the checkpoint's iteration {@code upTo} (later ones belong to the interrupted tail); none without a file. */
	static List<Map<String, Double>> read(Path file, long upTo) {
		List<Map<String, Double>> rows = new ArrayList<>();
		if (!Files.isRegularFile(file)) return rows;
		try {
			List<String> lines = Files.readAllLines(file);
			String[] cols = lines.isEmpty() ? new String[0] : lines.get(0).split(",", -1);
			// a damaged file is refused, never read partly: a row dropped here would be missing from the resumed run
			if (!java.util.Arrays.asList(cols).contains("iteration"))
				throw new ExplorerException(file + " has no 'iteration' column in its first line: it is damaged");
			for (int n = 1; n < lines.size(); n++) {
				String line = lines.get(n);
				if (line.isBlank()) continue;
				String[] cells = line.split(",", -1);
				if (cells.length != cols.length || cells[java.util.Arrays.asList(cols).indexOf("iteration")].isEmpty())
					throw new ExplorerException(file + " line " + (n + 1) + " has " + cells.length + " cells for " + cols.length
						+ " columns or no iteration: it is damaged");
				Map<String, Double> row = new LinkedHashMap<>();
				for (int i = 0; i < cols.length && i < cells.length; i++) if (!cells[i].isEmpty()) row.put(cols[i], Double.valueOf(cells[i]));
				if (row.getOrDefault("iteration", Double.MAX_VALUE) <= upTo) rows.add(row);
			}
		} catch (IOException | RuntimeException e) {
			throw new ExplorerException("Cannot read " + file + " to resume: " + e.getMessage() + ". Restore the file, or start a new run folder "
				+ "(the checkpoint alone would give a run with missing metrics rows).", e);
		}
		return rows;
	}
}
