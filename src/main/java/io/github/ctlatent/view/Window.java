package io.github.ctlatent.view;

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

	public static Window parse(String s) {
		return switch (s.trim().toLowerCase(Locale.ROOT)) {
			case "lung" -> LUNG;
			case "mediastinum", "mediastinal", "soft" -> MEDIASTINUM;
			case "full", "paper" -> FULL;
			default -> throw new ExplorerException("Unknown window '" + s + "'. Use lung (L-600 W1500), mediastinum (L50 W350) or full (-1000…2000 HU).");
		};
	}
}
