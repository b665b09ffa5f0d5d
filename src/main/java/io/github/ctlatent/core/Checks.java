package io.github.ctlatent.core;

/**
 * Checks run before a command reports success or starts heavy work: outputs hold only finite values and are not
 * flat, numbers read from files are finite and in range, and the memory a setting needs fits the Java heap.
 */
public final class Checks {

	private Checks() {}

	/** Throws when any value is NaN or infinite, naming {@code what} and how many values are bad. */
	public static void requireFinite(String what, float[]... arrays) {
		long bad = 0, total = 0;
		for (float[] a : arrays) {
			total += a.length;
			for (float v : a) if (!Float.isFinite(v)) bad++;
		}
		if (bad > 0)
			throw new ExplorerException(what + " contains " + bad + " of " + total + " values that are NaN or infinite, so it is not written. "
				+ "The model or the settings (shift radius, directions) produce no valid numbers here; check them.");
	}

	/** True when every value of every array is the same: a picture or walk that shows nothing. */
	public static boolean isConstant(float[]... arrays) {
		float first = Float.NaN;
		boolean seen = false;
		for (float[] a : arrays)
			for (float v : a) {
				if (!seen) {
					first = v;
					seen = true;
				} else if (v != first) return false;
			}
		return true;
	}

	/** A number read from {@code file}'s field {@code key}: finite and within [min, max], or one clear error. */
	public static double inRange(java.nio.file.Path file, String key, double v, double min, double max) {
		if (!Double.isFinite(v) || v < min || v > max)
			throw new ExplorerException(file + ": " + key + " = " + v + " is " + (Double.isFinite(v) ? "out of range" : "not a finite number")
				+ " (expected " + min + " to " + max + "). The file is damaged or was edited; recreate it with the command that wrote it.");
		return v;
	}

	/**
	 * Refuses up front a setting whose arrays would not fit the heap: {@code bytes} is the estimate, named in the
	 * message with the heap size and what to change.
	 */
	public static void requireMemory(String what, double bytes, String advice) {
		long heap = Runtime.getRuntime().maxMemory();
		if (bytes > 0.8 * heap)
			throw new ExplorerException(String.format(java.util.Locale.ROOT, "%s needs about %s of memory, more than the %s Java may use. %s",
				what, size(bytes), size(heap), advice));
	}

	/** "12 MiB", "3.4 GiB". */
	public static String size(double bytes) {
		return bytes >= 1 << 30 ? String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1 << 30))
			: String.format(java.util.Locale.ROOT, "%.0f MiB", Math.ceil(bytes / (1 << 20)));
	}
}
