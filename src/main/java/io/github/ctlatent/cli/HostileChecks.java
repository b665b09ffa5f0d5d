package io.github.ctlatent.cli;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.ctlatent.data.SliceSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How the hostile suite judges an answer: a message that is a stack trace in disguise, a success that wrote garbage. */
final class HostileChecks {

	private HostileChecks() {}

	/** A CSV cell that is NaN or ±Infinity. */
	private static final java.util.regex.Pattern NON_FINITE_CELL = java.util.regex.Pattern.compile("(^|,)\\s*-?(NaN|Infinity)\\s*(,|$)",
		java.util.regex.Pattern.MULTILINE);

	/** A failure message that is a bug report rather than an answer (the rules of the hand-written hostile tests). */
	static boolean looksLikeStackTrace(String m) {
		return m.contains("Unexpected error") || m.contains("Please report") || m.contains("Exception:") || m.contains("\tat ")
			|| m.contains("Error:") && m.contains("java.");
	}

	/**
	 * Null when every result of a success is sane, else what is wrong: an image output or a written picture/stack
	 * with non-finite pixels, an empty or unreadable picture, a card or a table (CSV) with NaN/Infinity, a slice set
	 * with NaN slices. A figure that cannot be measured is an empty cell with its reason, never a NaN.
	 */
	static String garbage(Map<String, Object> outputs, List<Path> written) {
		for (Map.Entry<String, Object> e : outputs.entrySet())
			if (e.getValue() instanceof ImagePlus imp) {
				String bad = nonFinite(imp);
				if (bad != null) return "output " + e.getKey() + ": " + bad;
			}
		for (Path p : written) {
			String name = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
			try {
				if (Files.size(p) == 0 && !name.endsWith(".lock")) return p + " is empty (0 bytes)";
				if (name.endsWith(".json")) {
					String s = Files.readString(p);
					if (s.matches("(?s).*[:\\[,]\\s*-?(NaN|Infinity)\\b.*")) return p + " holds NaN or Infinity";
				} else if (name.endsWith(".csv")) {
					if (NON_FINITE_CELL.matcher(Files.readString(p)).find()) return p + " holds NaN or Infinity";
				} else if (name.endsWith(".png") || name.endsWith(".tif") || name.endsWith(".tiff") || name.endsWith(".gif")) {
					ImagePlus imp = IJ.openImage(p.toString());
					if (imp == null) return p + " is not a readable picture (truncated?)";
					String bad = nonFinite(imp);
					if (bad != null) return p + ": " + bad;
				} else if (name.equals("dataset.json")) {
					// handled above as a card; the slices themselves below
				}
				if (name.equals(io.github.ctlatent.data.DatasetCard.FILE)) {
					SliceSet set = SliceSet.open(p.getParent());
					for (int i = 0; i < set.count(); i++)
						for (float v : set.slice(i))
							if (!Float.isFinite(v)) return p.getParent() + ": slice " + i + " holds NaN or Infinity";
				}
			} catch (IOException | RuntimeException e) {
				return p + " cannot be read back: " + e.getMessage();
			}
		}
		return null;
	}

	/** Null when every pixel of every plane is finite. */
	static String nonFinite(ImagePlus imp) {
		ImageStack st = imp.getStack();
		long bad = 0, total = 0;
		for (int z = 1; z <= st.getSize(); z++) {
			Object px = st.getPixels(z);
			if (px instanceof float[] f) {
				total += f.length;
				for (float v : f) if (!Float.isFinite(v)) bad++;
			}
		}
		return bad == 0 ? null : bad + " of " + total + " pixels are NaN or infinite";
	}
}
