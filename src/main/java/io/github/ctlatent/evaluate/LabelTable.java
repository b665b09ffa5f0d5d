package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-slice labels of a slice set, read from a CSV: what the factor oracle learns from. One row per slice, found
 * either by {@code index} (the slice's index in the set) or by {@code volume} + {@code slice} (the volume's id in the
 * set's card, or the number at the end of it — the phantom's {@code factors.csv} says {@code 0} for
 * {@code phantom_000} — and the slice within that volume). Every other column is a factor, except
 * {@code obs_<factor>} columns, which mark a factor (un)observable on that slice (0/1). An empty or NaN value also
 * means "unobservable". Slices without a row are left out.
 *
 * @param factors  factor names, in column order
 * @param slices   slice-set indices of the labelled slices
 * @param values   per labelled slice, one value per factor (NaN where unobservable)
 */
public record LabelTable(List<String> factors, int[] slices, double[][] values) {

	private static final List<String> KEYS = List.of("index", "volume", "slice");

	/** Reads {@code csv} against the slices of {@code set}. */
	public static LabelTable read(Path csv, SliceSet set) {
		List<String> lines;
		try {
			lines = Files.readAllLines(csv);
		} catch (IOException e) {
			throw new ExplorerException("Cannot read the label table " + csv + ": " + e.getMessage() + ".", e);
		}
		if (lines.size() < 2) throw new ExplorerException("The label table " + csv + " has no rows. Give a CSV with a header and one row per slice.");
		List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
		boolean byIndex = header.contains("index");
		if (!byIndex && !(header.contains("volume") && header.contains("slice")))
			throw new ExplorerException("The label table " + csv + " needs an 'index' column (slice index in the set) or 'volume' and 'slice' columns; "
				+ "its header is " + header + ".");
		List<String> factors = new ArrayList<>();
		List<Integer> valueCol = new ArrayList<>();
		for (int c = 0; c < header.size(); c++)
			if (!KEYS.contains(header.get(c)) && !header.get(c).startsWith("obs_")) {
				factors.add(header.get(c));
				valueCol.add(c);
			}
		if (factors.isEmpty()) throw new ExplorerException("The label table " + csv + " has no factor columns (only " + header + ").");
		int[] obsCol = new int[factors.size()];
		for (int f = 0; f < factors.size(); f++) obsCol[f] = header.indexOf("obs_" + factors.get(f));
		Map<String, Integer> firstSlice = volumeStarts(set.card());
		List<Integer> idx = new ArrayList<>();
		List<double[]> vals = new ArrayList<>();
		for (int r = 1; r < lines.size(); r++) {
			String line = lines.get(r).trim();
			if (line.isEmpty()) continue;
			String[] cells = line.split(",", -1);
			if (cells.length != header.size())
				throw new ExplorerException("Row " + (r + 1) + " of " + csv + " has " + cells.length + " cells; the header has " + header.size() + ".");
			int index = byIndex ? parseInt(cells[header.indexOf("index")], csv, r)
				: sliceOf(firstSlice, cells[header.indexOf("volume")].trim(), parseInt(cells[header.indexOf("slice")], csv, r), csv, r);
			if (index < 0 || index >= set.count())
				throw new ExplorerException("Row " + (r + 1) + " of " + csv + " names slice " + index + ", but the slice set has " + set.count() + " slices.");
			double[] v = new double[factors.size()];
			for (int f = 0; f < v.length; f++) {
				String cell = cells[valueCol.get(f)].trim();
				boolean hidden = cell.isEmpty() || (obsCol[f] >= 0 && cells[obsCol[f]].trim().equals("0"));
				v[f] = hidden ? Double.NaN : parseDouble(cell, csv, r);
			}
			idx.add(index);
			vals.add(v);
		}
		return new LabelTable(List.copyOf(factors), idx.stream().mapToInt(Integer::intValue).toArray(), vals.toArray(new double[0][]));
	}

	/** The phantom's own table, copied into the slice set by Prepare Slice Set; null when the set has none. */
	public static Path factorsOf(SliceSet set) {
		return set.card().factorsFile == null ? null : set.folder().resolve(set.card().factorsFile);
	}

	/**
	 * Volume names → first slice: the card's id, and the volume's own name from its source (a volume file without
	 * its extension, or a DICOM series' folder), each also by its trailing number ({@code phantom_007} → {@code 7}).
	 */
	private static Map<String, Integer> volumeStarts(DatasetCard card) {
		Map<String, Integer> m = new HashMap<>();
		for (DatasetCard.VolumeEntry e : card.volumes) {
			for (String name : new String[] {e.id(), sourceName(e.source())}) {
				if (name == null) continue;
				m.putIfAbsent(name, e.firstSlice());
				java.util.regex.Matcher digits = java.util.regex.Pattern.compile("(\\d{1,9})$").matcher(name);
				if (digits.find()) m.putIfAbsent(String.valueOf(Long.parseLong(digits.group(1))), e.firstSlice());
			}
		}
		return m;
	}

	private static String sourceName(String source) {
		if (source == null) return null;
		Path p = Path.of(source);
		String file = p.getFileName() == null ? source : p.getFileName().toString();
		String stripped = file.replaceAll("(?i)\\.(nii\\.gz|nii|tiff?)$", "");
		if (!stripped.equals(file)) return stripped;
		return p.getParent() == null || p.getParent().getFileName() == null ? null : p.getParent().getFileName().toString();
	}

	private static int sliceOf(Map<String, Integer> firstSlice, String volume, int slice, Path csv, int r) {
		Integer first = firstSlice.get(volume);
		if (first == null && volume.matches("\\d+")) first = firstSlice.get(String.valueOf(Long.parseLong(volume)));
		if (first == null)
			throw new ExplorerException("Row " + (r + 1) + " of " + csv + " names volume '" + volume + "', which is not in the slice set. "
				+ "Use the volume ids of its dataset.json (or their numbers).");
		return first + slice;
	}

	private static int parseInt(String s, Path csv, int r) {
		try {
			return Integer.parseInt(s.trim());
		} catch (NumberFormatException e) {
			throw new ExplorerException("Row " + (r + 1) + " of " + csv + ": '" + s + "' is not a whole number.");
		}
	}

	private static double parseDouble(String s, Path csv, int r) {
		try {
			return Double.parseDouble(s);
		} catch (NumberFormatException e) {
			throw new ExplorerException("Row " + (r + 1) + " of " + csv + ": '" + s + "' is not a number (leave the cell empty for 'unobservable').");
		}
	}
}
