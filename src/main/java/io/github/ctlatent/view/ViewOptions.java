package io.github.ctlatent.view;

import java.nio.file.Path;
import java.util.Map;

/**
 * How {@link Views} shows or writes a walk, in the manner of BigDataViewer's {@code BdvOptions}: start from
 * {@link #options()} and change what differs; every method returns a new options object.
 * <pre>
 * Views.export(traversals, ViewOptions.options().output(folder).format("png,gif").window("mediastinum"), monitor);
 * </pre>
 *
 * @param window    CT window key: {@code auto} (from the data's health), lung, mediastinum or full
 * @param title     window title (BigDataViewer, ImageJ)
 * @param labels    direction index → name (an evaluation's labels; empty: "direction k")
 * @param output    export folder, or null
 * @param format    export formats: all, bdv, tiff, png, gif, comma-separated
 * @param frameMs   GIF frame time
 * @param overwrite replace an export folder this tool wrote
 * @param owner     what the export card names as its maker (the command or script)
 */
public record ViewOptions(String window, String title, Map<Integer, String> labels, Path output, String format, int frameMs, boolean overwrite,
	String owner) {

	public ViewOptions {
		labels = labels == null ? Map.of() : Map.copyOf(labels);
	}

	/** The defaults: window from the data, no labels, no output, every format, 150 ms GIF frames. */
	public static ViewOptions options() {
		return new ViewOptions(io.github.ctlatent.picture.Window.AUTO, "Latent traversal", Map.of(), null, "all", 150, false, "Views");
	}

	public ViewOptions window(String key) { return new ViewOptions(key, title, labels, output, format, frameMs, overwrite, owner); }
	public ViewOptions title(String t) { return new ViewOptions(window, t, labels, output, format, frameMs, overwrite, owner); }
	public ViewOptions labels(Map<Integer, String> l) { return new ViewOptions(window, title, l, output, format, frameMs, overwrite, owner); }
	/** Labels read from a report folder of Evaluate Directions (null or empty path: none); a bad report fails here. */
	public ViewOptions report(Path report) { return labels(report == null || report.toString().isEmpty() ? Map.of() : DirectionLabels.fromReport(report)); }
	public ViewOptions output(Path folder) { return new ViewOptions(window, title, labels, folder, format, frameMs, overwrite, owner); }
	public ViewOptions format(String f) { return new ViewOptions(window, title, labels, output, f, frameMs, overwrite, owner); }
	public ViewOptions frameMs(int ms) { return new ViewOptions(window, title, labels, output, format, ms, overwrite, owner); }
	public ViewOptions overwrite(boolean b) { return new ViewOptions(window, title, labels, output, format, frameMs, b, owner); }
	public ViewOptions owner(String o) { return new ViewOptions(window, title, labels, output, format, frameMs, overwrite, o); }
}
