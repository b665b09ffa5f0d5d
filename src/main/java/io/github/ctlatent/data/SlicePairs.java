package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Limits;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the second image of a training pair comes from, for weakly-supervised (Ada-GVAE) training: label-free
 * geometry only, no anatomy labels.
 * <ul>
 * <li>{@link Mode#SLICES}: the slice above or below in the same volume (the slice order a slice set stores: a volume's
 *     slices are contiguous, in order along the body), so the pair differs mostly in position along the body; with a
 *     {@link Pairing#maxGap() gap} above 1, a slice up to that many slices away (uniform in 1..gap);</li>
 * <li>{@link Mode#SLICES_GEOMETRY}: half of the pairs as above, the other half the slice and a copy changed by ONE random
 *     geometric change — in-plane rotation, vertical shift, horizontal or vertical scale — whose ranges match the
 *     phantom's rotation, y_shift, width and height factors at its field of view.</li>
 * </ul>
 */
public final class SlicePairs {

	public enum Mode {
		NONE("none"), SLICES("slices"), SLICES_GEOMETRY("slices+geometry");

		public final String key;

		Mode(String key) {
			this.key = key;
		}

		public static Mode parse(String key) {
			String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
			if (k.isEmpty()) return NONE;
			for (Mode m : values()) if (m.key.equals(k)) return m;
			throw new ExplorerException("Unknown pairs='" + key + "'. Use none (the paper's training), slices (neighbouring slices of one volume) "
				+ "or slices+geometry (also a slice with one random rotation, shift or scale).");
		}

		public boolean paired() {
			return this != NONE;
		}

		/** What tables print beside a model trained this way: the weak supervision it used. */
		public String marks() {
			return switch (this) {
				case NONE -> "";
				case SLICES -> "uses slice order";
				case SLICES_GEOMETRY -> "uses slice order; uses geometric augmentation pairs";
			};
		}
	}

	/**
	 * A pair mode and, for slice pairs, the largest distance between the two slices. Neighbours one slice apart differ
	 * by little more than the scan's noise, so the few latent dimensions Ada-GVAE leaves free per pair carry a weak
	 * signal of position; a gap of several slices makes position the change that stands out.
	 */
	public record Pairing(Mode mode, int maxGap, Set<Change> changes) {

		public static final Pairing NONE = new Pairing(Mode.NONE, 1);

		public Pairing {
			if (mode == null) mode = Mode.NONE;
			Limits.PAIR_GAP.check(maxGap);
			if (changes == null || changes.isEmpty()) throw new ExplorerException("A geometric pair needs at least one change: use some of "
				+ Change.keys() + ".");
			changes = Collections.unmodifiableSet(EnumSet.copyOf(changes));
		}

		/** Every geometric change, as before the change set could be chosen. */
		public Pairing(Mode mode, int maxGap) {
			this(mode, maxGap, EnumSet.allOf(Change.class));
		}

		public static Pairing of(Mode mode) {
			return new Pairing(mode, 1);
		}

		public Pairing withMode(Mode m) {
			return new Pairing(m, maxGap, changes);
		}

		public Pairing withMaxGap(int slices) {
			return new Pairing(mode, slices, changes);
		}

		public Pairing withChanges(Set<Change> chosen) {
			return new Pairing(mode, maxGap, chosen);
		}

		/** Whether every geometric change is drawn (the default). */
		public boolean allChanges() {
			return changes.size() == Change.values().length;
		}

		public boolean paired() {
			return mode.paired();
		}

		public String marks() {
			return mode.marks();
		}

		public String describe() {
			return SlicePairs.describe(mode, maxGap) + (mode == Mode.SLICES_GEOMETRY && !allChanges() ? "; only " + Change.keys(changes) + " drawn" : "");
		}
	}

	/** The four geometric changes of {@link Mode#SLICES_GEOMETRY}, one per pair. */
	public enum Change {
		ROTATION, Y_SHIFT, X_SCALE, Y_SCALE;

		/** Lower-case name, as reports and keys spell it ({@code x_scale}). */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** All keys, comma-separated. */
		public static String keys() {
			return keys(EnumSet.allOf(Change.class));
		}

		/** The keys of {@code changes} in their fixed order, comma-separated. */
		public static String keys(Set<Change> changes) {
			return changes.stream().sorted().map(Change::key).collect(Collectors.joining(","));
		}

		/**
		 * Parses a list such as {@code rotation,y_shift,x_scale} (commas or spaces; blank: all four).
		 *
		 * @throws ExplorerException naming an unknown change and the known ones
		 */
		public static Set<Change> parse(String list) {
			EnumSet<Change> out = EnumSet.noneOf(Change.class);
			for (String k : (list == null ? "" : list).trim().toLowerCase(Locale.ROOT).split("[,\\s]+")) {
				if (k.isEmpty()) continue;
				Change c = Arrays.stream(values()).filter(x -> x.key().equals(k)).findFirst().orElseThrow(() -> new ExplorerException(
					"Unknown geometric change '" + k + "' in geometry_changes. Use some of " + keys() + " (comma-separated)."));
				out.add(c);
			}
			return out.isEmpty() ? EnumSet.allOf(Change.class) : out;
		}
	}

	/**
	 * The phantom's factor ranges at its field of view (128 px × 3.59 mm = 460 mm): rotation ±15°, y_shift ±25 mm
	 * (±5.4% of the side), width 280–380 mm (×0.85–1.15 around the middle), height 190–250 mm (×0.87–1.13). A change is
	 * drawn with a magnitude of at least a fifth of its range, so the pair never differs by nothing.
	 */
	public static final double MAX_DEGREES = 15, MAX_SHIFT = 0.054, MAX_X_SCALE = 0.15, MAX_Y_SCALE = 0.13, MIN_FRACTION = 0.2;

	private SlicePairs() {}

	/** One geometric change of a pair: which, and its signed size as a share of the change's range (±0.2…±1). */
	public record Changed(Change change, double amount) {}

	/**
	 * Writes {@code src} changed by one random geometric {@link Change} of {@code allowed} into {@code dst} at
	 * {@code offset}; returns which and how much. With all four allowed, the draws are those of every earlier version.
	 */
	public static Changed geometric(float[] src, int size, float[] dst, int offset, Random rnd, Set<Change> allowed) {
		Change[] pool = allowed.toArray(new Change[0]);
		Arrays.sort(pool);
		Change c = pool[rnd.nextInt(pool.length)];
		double signed = (rnd.nextBoolean() ? 1 : -1) * (MIN_FRACTION + (1 - MIN_FRACTION) * rnd.nextDouble());
		warp(c, signed, src, size, dst, offset);
		return new Changed(c, signed);
	}

	/**
	 * Writes {@code src} (one size × size image) changed by {@code change} of signed size {@code amount} (a share of the
	 * change's range: ±1 is the phantom's whole half-range) into {@code dst} at {@code offset}; bilinear, air (−1) outside.
	 */
	public static void warp(Change change, double amount, float[] src, int size, float[] dst, int offset) {
		double angle = 0, sx = 1, sy = 1, dy = 0;
		switch (change) {
			case ROTATION -> angle = Math.toRadians(amount * MAX_DEGREES);
			case Y_SHIFT -> dy = amount * MAX_SHIFT * size;
			case X_SCALE -> sx = 1 + amount * MAX_X_SCALE;
			case Y_SCALE -> sy = 1 + amount * MAX_Y_SCALE;
		}
		Augmentation.affine(src, size, angle, sx, sy, 0, dy, -1f, dst, offset); // outside is air (−1), as around the body
	}

	public static String describe(Mode mode) {
		return describe(mode, 1);
	}

	/** What a pair is, in words, with slice partners up to {@code maxGap} slices away. */
	static String describe(Mode mode, int maxGap) {
		String partner = maxGap <= 1 ? "neighbouring slice" : String.format(Locale.ROOT, "slice up to %d slices away (distance uniform in 1..%d)", maxGap, maxGap);
		return switch (mode) {
			case NONE -> "none";
			case SLICES -> "slices: each batch is half anchors, half their partners: a " + partner + " of the same volume and split";
			case SLICES_GEOMETRY -> String.format(Locale.ROOT, "slices+geometry: each pair is a " + partner + " (probability 1/2) or one "
				+ "geometric change of the slice (rotation ±%s°, vertical shift ±%s of the side, x-scale ±%s, y-scale ±%s, at least %s of the range)",
				MAX_DEGREES, MAX_SHIFT, MAX_X_SCALE, MAX_Y_SCALE, MIN_FRACTION);
		};
	}
}
