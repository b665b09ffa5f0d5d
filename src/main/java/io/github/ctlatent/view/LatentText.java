package io.github.ctlatent.view;

import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;

/** Latents and slider values as text: what 'Copy latent' writes and 'Render Latent' reads back. */
public final class LatentText {

	private LatentText() {}

	/** Comma-separated floats, exact: each prints the shortest string that reads back the same. */
	public static String format(float[] z) {
		return io.github.ctlatent.traverse.Bases.format(z); // the latents file's line: one format for both
	}

	/** Reads a latent written by {@link #format} (brackets and spaces allowed). */
	public static float[] parseLatent(String s, int d) {
		String t = s == null ? "" : s.trim().replace("[", "").replace("]", "");
		String[] parts = t.isEmpty() ? new String[0] : t.split("[,\\s]+");
		if (parts.length != d)
			throw new ExplorerException("The latent has " + parts.length + " values; this generator needs " + d
				+ ". Copy it with the explorer's 'Copy latent' button from a window showing the same model.");
		float[] z = new float[d];
		try {
			for (int i = 0; i < d; i++) z[i] = Float.parseFloat(parts[i]);
		} catch (NumberFormatException e) {
			throw new ExplorerException("The latent value '" + e.getMessage().replace("For input string: ", "") + "' is not a number.");
		}
		Checks.requireFinite("The latent", z);
		for (float v : z) io.github.ctlatent.core.Limits.LATENT_VALUE.check(v);
		return z;
	}

	/** Sets sliders from "direction:shift" pairs, e.g. {@code 0:2.5,3:-1} (what 'Render Latent' takes as values=). */
	public static void applyValues(LatentExplorer e, String pairs) {
		if (pairs == null || pairs.isBlank()) return;
		for (String p : pairs.split(",")) {
			String[] kv = p.trim().split(":");
			try {
				if (kv.length != 2) throw new NumberFormatException();
				e.setValue(e.sliderOf(Integer.parseInt(kv[0].trim())), Double.parseDouble(kv[1].trim()));
			} catch (NumberFormatException x) {
				throw new ExplorerException("values='" + pairs + "': '" + p.trim() + "' is not a direction:shift pair like 3:-1.5.");
			}
		}
	}
}
