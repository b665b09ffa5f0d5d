package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Assembles DICOM slices (files) of one series into a volume: slices ordered along the slice normal (the cross
 * product of the row and column direction cosines) by ImagePositionPatient, else by InstanceNumber; z spacing
 * from the positions.
 */
final class DicomSeries {

	private DicomSeries() {}

	/** Headers grouped by SeriesInstanceUID (a file without one is a series of its own), in first-seen order. */
	static Map<String, List<DicomHeader>> group(List<DicomHeader> headers) {
		Map<String, List<DicomHeader>> groups = new LinkedHashMap<>();
		for (DicomHeader h : headers) {
			String uid = h.seriesUid();
			groups.computeIfAbsent(uid.isEmpty() ? "file:" + h.file : uid, k -> new ArrayList<>()).add(h);
		}
		return groups;
	}

	/**
	 * Removes from each group the files that repeat an image already there (same SOPInstanceUID: the same slice
	 * copied twice, or in two encodings) and returns them.
	 */
	static List<DicomHeader> removeDuplicates(Map<String, List<DicomHeader>> groups) {
		List<DicomHeader> duplicates = new ArrayList<>();
		for (List<DicomHeader> g : groups.values()) {
			java.util.Set<String> seen = new java.util.HashSet<>();
			g.removeIf(h -> {
				String uid = h.text(DicomHeader.SOP_INSTANCE).trim();
				boolean dup = !uid.isEmpty() && !seen.add(uid);
				if (dup) duplicates.add(h);
				return dup;
			});
		}
		return duplicates;
	}

	/** Slices whose size differs from the most common one in their series (to skip), or an empty list. */
	static List<DicomHeader> oddSizes(List<DicomHeader> series) {
		Map<String, List<DicomHeader>> bySize = bySize(series);
		if (bySize.size() <= 1) return List.of();
		String common = bySize.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).get().getKey();
		return series.stream().filter(h -> !size(h).equals(common)).toList();
	}

	/** Refuses a series whose slices differ in size, naming the files of each size. */
	static void checkSizes(List<DicomHeader> series) {
		Map<String, List<DicomHeader>> bySize = bySize(series);
		if (bySize.size() <= 1) return;
		String detail = bySize.entrySet().stream().map(e -> e.getKey() + " in " + names(e.getValue()))
			.collect(Collectors.joining("; "));
		throw new ExplorerException("Cannot assemble the DICOM series " + series.get(0).seriesUid() + " in "
			+ series.get(0).file.getParent() + ": its slices differ in size: " + detail
			+ ". Move the odd files (often a localizer or a derived image) out of the folder, or set skip_bad=true to leave them out.");
	}

	private static Map<String, List<DicomHeader>> bySize(List<DicomHeader> series) {
		Map<String, List<DicomHeader>> bySize = new LinkedHashMap<>();
		for (DicomHeader h : series) bySize.computeIfAbsent(size(h), k -> new ArrayList<>()).add(h);
		return bySize;
	}

	private static String size(DicomHeader h) {
		return h.columns() + "×" + h.rows();
	}

	static String names(List<DicomHeader> hs) {
		List<String> n = hs.stream().map(DicomHeader::fileName).toList();
		return n.size() <= 6 ? String.join(", ", n) : String.join(", ", n.subList(0, 5)) + " and " + (n.size() - 5) + " more";
	}

	/** Sorts the slices in place; returns how ("ImagePositionPatient", "InstanceNumber" or "file name"). */
	static String sort(List<DicomHeader> series) {
		double[] normal = normal(series.get(0).orientation());
		boolean positions = normal != null && series.stream().allMatch(h -> h.position() != null);
		Comparator<DicomHeader> byNumber = Comparator.comparingInt(h -> h.integer(DicomHeader.INSTANCE_NUMBER, Integer.MAX_VALUE));
		Comparator<DicomHeader> byName = Comparator.comparing(h -> h.file.toString());
		if (positions) {
			series.sort(Comparator.<DicomHeader>comparingDouble(h -> dot(h.position(), normal)).thenComparing(byNumber).thenComparing(byName));
			return "ImagePositionPatient";
		}
		boolean numbers = series.stream().allMatch(h -> h.values.containsKey(DicomHeader.INSTANCE_NUMBER));
		series.sort(numbers ? byNumber.thenComparing(byName) : byName);
		return numbers ? "InstanceNumber" : "file name";
	}

	/**
	 * Two slices at the same position along the normal are the same slice twice (a copied file, or two series
	 * merged under one UID): stacking both would fake anatomy, so the series is refused (skip_bad leaves it out).
	 */
	static void requireDistinctPositions(List<DicomHeader> sorted, String name) {
		double[] normal = normal(sorted.get(0).orientation());
		for (int i = 1; i < sorted.size(); i++) {
			DicomHeader a = sorted.get(i - 1), b = sorted.get(i);
			if (Math.abs(dot(b.position(), normal) - dot(a.position(), normal)) < 1e-3)
				throw ReadErrors.bad(b.file, "DICOM series " + name + " has two slices at the same ImagePositionPatient (" + a.text(DicomHeader.IMAGE_POSITION)
					+ "): " + a.file.getFileName() + " and " + b.file.getFileName(), "Remove the duplicate file, or set skip_bad=true to leave this series out.");
		}
	}

	static double[] normal(double[] o) {
		if (o == null) return null;
		double[] n = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
		double len = Math.sqrt(dot(n, n));
		if (!(len > 1e-6)) return null;
		for (int i = 0; i < 3; i++) n[i] /= len;
		return n;
	}

	static double dot(double[] a, double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	/**
	 * Reads and stacks the slices (headers read header-only or with data). Sorts, checks sizes, applies each slice's
	 * own rescale.
	 */
	static Volume assemble(List<DicomHeader> slices, String name, ReadOptions options) {
		List<DicomHeader> series = new ArrayList<>(slices);
		checkSizes(series);
		String order = series.size() > 1 ? sort(series) : "single file";
		if (order.equals("ImagePositionPatient")) requireDistinctPositions(series, name);
		DicomHeader first = series.get(0);
		for (DicomHeader h : series) DicomPixels.check(h);
		boolean hu = series.stream().allMatch(h -> isHounsfield(h, options));
		if (options.requireHounsfield() && !hu)
			throw ReadErrors.bad(first.file, "the values are not Hounsfield units (modality " + orNone(first.modality()) + ", not CT)",
				"Use CT images, or set allow_non_hu=true to accept other images.");
		List<float[]> planes = new ArrayList<>();
		for (DicomHeader h : series) {
			DicomHeader full = h.data != null ? h : DicomParser.read(h.file);
			planes.addAll(Arrays.asList(DicomPixels.decode(full)));
		}
		double[] spacing = spacing(series);
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("format", "DICOM");
		meta.put("modality", first.modality());
		meta.put("seriesInstanceUID", first.seriesUid());
		meta.put("seriesDescription", first.text(DicomHeader.SERIES_DESCRIPTION));
		meta.put("transferSyntax", first.transferSyntaxUid + " (" + TransferSyntax.describe(first.transferSyntaxUid) + ")");
		meta.put("rescaleSlope", num(first.slope()));
		meta.put("rescaleIntercept", num(first.intercept()));
		if (series.stream().anyMatch(h -> h.slope() != first.slope() || h.intercept() != first.intercept()))
			meta.put("rescaleVaries", "true (each slice rescaled with its own values)");
		meta.put("photometricInterpretation", first.text(DicomHeader.PHOTOMETRIC));
		meta.put("imageOrientationPatient", first.text(DicomHeader.IMAGE_ORIENTATION));
		meta.put("imagePositionPatient", first.text(DicomHeader.IMAGE_POSITION));
		meta.put("sliceOrder", order);
		meta.put("source", series.size() == 1 ? first.file.toString() : String.valueOf(first.file.getParent()));
		meta.put("sourceFiles", series.stream().map(DicomHeader::fileName).collect(Collectors.joining(";")));
		meta.values().removeIf(String::isEmpty);
		return new Volume(name, first.columns(), first.rows(), planes.toArray(new float[0][]), spacing, hu, meta);
	}

	/** CT, or no modality at all when the options assume Hounsfield units. */
	static boolean isHounsfield(DicomHeader h, ReadOptions options) {
		return h.isHounsfield() || options.assumeHounsfield() && h.modality().isEmpty();
	}

	/** x, y from PixelSpacing (row spacing first, so y\x); z from the median gap between slice positions. */
	static double[] spacing(List<DicomHeader> sorted) {
		DicomHeader first = sorted.get(0);
		double[] ps = first.numbers(DicomHeader.PIXEL_SPACING, 2);
		double x = ps != null && ps[1] > 0 ? ps[1] : 1, y = ps != null && ps[0] > 0 ? ps[0] : 1;
		double z = first.number(DicomHeader.SPACING_BETWEEN_SLICES, first.number(DicomHeader.SLICE_THICKNESS, 1));
		double[] normal = normal(first.orientation());
		if (sorted.size() > 1 && normal != null && sorted.stream().allMatch(h -> h.position() != null)) {
			double[] gaps = new double[sorted.size() - 1];
			for (int i = 1; i < sorted.size(); i++)
				gaps[i - 1] = dot(sorted.get(i).position(), normal) - dot(sorted.get(i - 1).position(), normal);
			Arrays.sort(gaps);
			double median = gaps.length % 2 == 1 ? gaps[gaps.length / 2] : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
			if (median > 1e-6) z = median;
		}
		return new double[] {x, y, z > 0 ? z : 1};
	}

	private static String orNone(String s) {
		return s.isEmpty() ? "not given" : s;
	}

	private static String num(double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
	}
}
