package io.github.ctlatent.picture;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/** CT display windows (level/width in HU) for pictures and ImageJ display ranges. */
public record Window(String name, double level, double width) {

	public static final Window LUNG = new Window("lung", -600, 1500);
	public static final Window MEDIASTINUM = new Window("mediastinum", 50, 350);
	/** The paper's full training range [−1000, 2000] HU. */
	public static final Window FULL = new Window("full", 500, 3000);

	public double min() {
		return level - width / 2;
	}

	public double max() {
		return level + width / 2;
	}

	/** The default {@code window=} of the walk commands: chosen from the data by {@link #choose}. */
	public static final String AUTO = "auto";

	/** What {@value #AUTO} means, for the commands' parameter descriptions. */
	public static final String AUTO_MEANS = "auto: lung, unless the model's data (the health in its dataset.json) spans little of it, then the window "
		+ "dataset.json suggests";

	/**
	 * The data's values must span at least this share of the lung window for it to be the default: less, and the
	 * strips are nearly one grey (an 8-bit soft-tissue export, 0…255 HU-less values, spans a tenth of it and shows
	 * near-white).
	 */
	public static final double SHOWS_DATA = 0.25;

	/** A window and why it was used (logged; written to export.json). */
	public record Choice(Window window, String why) {}

	/**
	 * {@code window=} as given, or for {@value #AUTO} (and blank): the lung window when the data's values
	 * (dataset.json's health, 0.1–99.9th percentiles) span at least {@value #SHOWS_DATA} of it, else the window the
	 * health suggested from the data; the lung window when the model carries no health (TorchScript, older sets).
	 */
	public static Choice choose(String given, io.github.ctlatent.data.DatasetCard data) {
		if (given != null && !given.isBlank() && !given.trim().equalsIgnoreCase(AUTO)) {
			Window w = parse(given);
			return new Choice(w, w.describe() + " (window=" + given.trim() + ")");
		}
		io.github.ctlatent.data.DataHealth.Report h = data == null ? null : data.health;
		if (h == null || h.suggestedWindow() == null || h.overall() == null)
			return new Choice(LUNG, LUNG.describe() + " (the default: the model carries no data health in its dataset card to choose a window from)");
		double lo = h.overall().p01(), hi = h.overall().p999(), span = (Math.min(hi, LUNG.max()) - Math.max(lo, LUNG.min())) / LUNG.width;
		String values = String.format(Locale.ROOT, "the data's values %.0f…%.0f span %.0f%% of the lung window", lo, hi, 100 * Math.max(0, span));
		if (span >= SHOWS_DATA) return new Choice(LUNG, LUNG.describe() + " (the default: " + values + "; window= chooses another)");
		double[] s = h.suggestedWindow();
		Window w = new Window("data", (s[0] + s[1]) / 2, s[1] - s[0]);
		return new Choice(w, w.describe() + " (the window dataset.json suggests from the data, because " + values
			+ ", which would show them nearly one grey; window=lung or another chooses it anyway)");
	}

	/** "lung (-1350…150 HU)". */
	public String describe() {
		return String.format(Locale.ROOT, "%s (%.0f…%.0f HU)", name, min(), max());
	}

	public static Window parse(String s) {
		return switch (s.trim().toLowerCase(Locale.ROOT)) {
			case "lung" -> LUNG;
			case "mediastinum", "mediastinal", "soft" -> MEDIASTINUM;
			case "full", "paper" -> FULL;
			default -> throw new ExplorerException("Unknown window '" + s + "'. Use lung (L-600 W1500), mediastinum (L50 W350) or full (-1000…2000 HU).");
		};
	}
}
