package io.github.ctlatent.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a slice set's values fill the HU window, measured at preparation and recorded in the dataset card.
 * A window that clips most pixels to its floor or ceiling leaves the networks an almost constant image to learn,
 * and they learn exactly that (a VAE trained on a soft-tissue-windowed chest CT with 78% of its pixels at the
 * floor reconstructed the all-black image). The check names the problem and suggests a window from the data.
 *
 * @param floorFraction   share of voxels at or below the window floor (huMin)
 * @param ceilingFraction share of voxels at or above the window ceiling (huMax)
 * @param usedRange       share of the window spanned by the data's 1st–99th percentile (clipped to the window)
 * @param p01             0.1th percentile of the raw values (HU), for the suggested window
 * @param p999            99.9th percentile of the raw values (HU)
 * @param voxels          voxels measured (weights the overall figures)
 * @param modeFraction    share of voxels holding the volume's most common value (to 1/4096 of its value range); for a
 *                        set, voxel-weighted over its volumes
 * @param modeValue       that value (for a set, the one of the volume where it covers most voxels)
 */
public record DataHealth(double floorFraction, double ceilingFraction, double usedRange, double p01, double p999, long voxels, double modeFraction,
	double modeValue) {

	/** More than this share of voxels at the floor or ceiling together is "mostly clipped". */
	public static final double MOSTLY_CLIPPED = 0.6;
	/** Data spanning less than this share of the window leaves the model too few grey levels. */
	public static final double NARROW = 0.05;
	/** More than this share of voxels holding one value: a background or mask of a display export, not CT. */
	public static final double ONE_VALUE = 0.5;
	/**
	 * A CT of the body always shows air (outside the body, in the lungs) at about −1000 HU: data whose lowest values
	 * (0.1th percentile) stay above this is not in Hounsfield units — an 8-bit or windowed display export.
	 */
	public static final double NO_AIR_ABOVE = -500;

	private static final int BINS = 4096;

	/** Per-volume figures and the overall ones, with the warnings they raise (empty when healthy). */
	public record Report(List<Named> volumes, DataHealth overall, List<String> warnings, double[] suggestedWindow) {}

	/** A volume's figures under its id. */
	public record Named(String volume, DataHealth health) {}

	/** Measures one volume's raw values (HU) against the window of {@code p}. */
	public static DataHealth measure(Volume v, Preprocessing p) {
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int z = 0; z < v.depth(); z++)
			for (float x : v.plane(z)) {
				if (x < lo) lo = x;
				if (x > hi) hi = x;
			}
		long[] hist = new long[BINS];
		long floor = 0, ceiling = 0, n = 0;
		double width = Math.max(hi - lo, 1e-6);
		for (int z = 0; z < v.depth(); z++)
			for (float x : v.plane(z)) {
				if (x <= p.huMin()) floor++;
				if (x >= p.huMax()) ceiling++;
				hist[(int) Math.min(BINS - 1, (x - lo) / width * BINS)]++;
				n++;
			}
		double q01 = quantile(hist, n, 0.001, lo, width), q1 = quantile(hist, n, 0.01, lo, width), q99 = quantile(hist, n, 0.99, lo, width),
			q999 = quantile(hist, n, 0.999, lo, width);
		double used = (clamp(q99, p) - clamp(q1, p)) / (p.huMax() - p.huMin());
		int mode = 0;
		for (int b = 1; b < BINS; b++) if (hist[b] > hist[mode]) mode = b;
		return new DataHealth((double) floor / n, (double) ceiling / n, used, q01, q999, n, (double) hist[mode] / n, lo + (mode + 0.5) * width / BINS);
	}

	/** The overall figures (voxel-weighted) and warnings for a whole set. */
	public static Report report(List<Named> volumes, Preprocessing p) {
		long n = 0;
		double floor = 0, ceiling = 0, used = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, mode = 0, largestMode = -1, modeValue = Double.NaN;
		for (Named v : volumes) {
			DataHealth h = v.health();
			n += h.voxels();
			floor += h.floorFraction() * h.voxels();
			ceiling += h.ceilingFraction() * h.voxels();
			used += h.usedRange() * h.voxels();
			lo = Math.min(lo, h.p01());
			hi = Math.max(hi, h.p999());
			mode += h.modeFraction() * h.voxels(); // voxels holding their own volume's most common value
			if (h.modeFraction() * h.voxels() > largestMode) {
				largestMode = h.modeFraction() * h.voxels();
				modeValue = h.modeValue();
			}
		}
		DataHealth all = new DataHealth(floor / n, ceiling / n, used / n, lo, hi, n, mode / n, modeValue);
		List<String> warnings = new ArrayList<>();
		double[] window = suggestedWindow(lo, hi);
		String suggest = String.format(Locale.ROOT, " Suggested window from the data: hu_min=%.0f hu_max=%.0f (its 0.1–99.9th percentiles plus a "
			+ "margin, so the background is not at the floor).", window[0], window[1]);
		if (all.clipped() > MOSTLY_CLIPPED)
			warnings.add(String.format(Locale.ROOT, "The data is mostly clipped by the window [%.0f, %.0f] HU: %.0f%% of the voxels are at the floor and "
				+ "%.0f%% at the ceiling. Networks trained on it tend to learn a constant image.%s", p.huMin(), p.huMax(), 100 * all.floorFraction(),
				100 * all.ceilingFraction(), suggest));
		else if (all.usedRange() < NARROW)
			warnings.add(String.format(Locale.ROOT, "The data uses only %.1f%% of the window [%.0f, %.0f] HU (1st–99th percentile): most grey levels "
				+ "are wasted.%s", 100 * all.usedRange(), p.huMin(), p.huMax(), suggest));
		if (all.p01() > NO_AIR_ABOVE)
			warnings.add(String.format(Locale.ROOT, "The values (%.0f…%.0f) do not look like Hounsfield units: a CT of the body shows air near −1000 HU, "
				+ "and these never go below %.0f. This is likely a display export (8-bit or windowed); use the scanner's DICOM or a NIfTI in HU if you "
				+ "have it, or prepare with a window that fits these values.%s", all.p01(), all.p999(), all.p01(), warnings.isEmpty() ? suggest : ""));
		if (all.modeFraction() > ONE_VALUE)
			warnings.add(String.format(Locale.ROOT, "%.0f%% of the voxels hold one value (%.0f): a flat background or a mask, as display exports have. "
				+ "The networks spend their capacity on it; crop the scan to the body or check the export.", 100 * all.modeFraction(), all.modeValue()));
		for (Named v : volumes)
			if (v.health().clipped() > MOSTLY_CLIPPED && all.clipped() <= MOSTLY_CLIPPED)
				warnings.add(String.format(Locale.ROOT, "Volume %s is mostly clipped: %.0f%% of its voxels at the floor, %.0f%% at the ceiling.",
					v.volume(), 100 * v.health().floorFraction(), 100 * v.health().ceilingFraction()));
		return new Report(volumes, all, warnings, window);
	}

	/** Share of voxels at the floor or the ceiling. */
	public double clipped() {
		return floorFraction + ceilingFraction;
	}

	/** The data's range widened by a quarter on each side: the flat background then sits well inside the window. */
	static double[] suggestedWindow(double lo, double hi) {
		double margin = Math.max(0.25 * (hi - lo), 1);
		return new double[] {Math.floor(lo - margin), Math.ceil(hi + margin)};
	}

	private static double clamp(double x, Preprocessing p) {
		return Math.max(p.huMin(), Math.min(p.huMax(), x));
	}

	private static double quantile(long[] hist, long n, double q, double lo, double width) {
		long target = (long) Math.ceil(q * n), seen = 0;
		for (int b = 0; b < BINS; b++) {
			seen += hist[b];
			if (seen >= Math.max(1, target)) return lo + (b + 0.5) * width / BINS;
		}
		return lo + width;
	}

	/** One line for logs. */
	public String summary() {
		return String.format(Locale.ROOT, "%.1f%% at the window floor, %.1f%% at the ceiling, %.1f%% of the window used (values %.0f…%.0f; "
			+ "%.0f%% hold one value)", 100 * floorFraction, 100 * ceilingFraction, 100 * usedRange, p01, p999, 100 * modeFraction);
	}
}
