package io.github.ctlatent.data.phantom;

import java.util.SplittableRandom;

/**
 * The generating factors of one phantom volume, each drawn independently from a uniform range (see {@link Factor}).
 * The per-slice factor {@code z} and the observability mask live in {@link SliceFactors}.
 *
 * @param rotation in-plane roll of the patient, degrees (positive turns the patient clockwise in the image)
 * @param width    left-right body diameter at mid-thorax, mm
 * @param height   antero-posterior body diameter at mid-thorax, mm
 * @param fat      subcutaneous fat thickness, mm
 * @param breast   anterior protrusion of the breasts at their largest, mm
 * @param lung     size of rib cage and lungs relative to the body (1 = largest), which also lowers the diaphragm
 * @param yShift   vertical position of patient and table, mm (positive = down in the image, i.e. posterior)
 */
public record PhantomFactors(double rotation, double width, double height, double fat, double breast, double lung,
	double yShift) {

	/**
	 * Every factor with its uniform range and physical meaning: the single place these are defined. {@link #Z} is
	 * per slice (evenly spaced over a volume, hence uniform over a data set too); all others are per volume.
	 */
	public enum Factor {
		Z("z", 0, 1, "", "position along the body axis: lung apex 0 -> upper abdomen 1", "always"),
		ROTATION("rotation", -15, 15, "deg", "in-plane roll of the patient around the body centre (the table stays level)", "always"),
		WIDTH("width", 280, 380, "mm", "left-right body diameter at mid-thorax", "always"),
		HEIGHT("height", 190, 250, "mm", "antero-posterior body diameter at mid-thorax", "always"),
		FAT("fat", 5, 30, "mm", "subcutaneous fat thickness", "always"),
		BREAST("breast", 0, 50, "mm", "anterior protrusion of breasts / anterior soft tissue at their largest",
			"where breasts exist along z (envelope >= 0.5)"),
		LUNG("lung", 0.8, 1.0, "", "rib cage and lung size relative to the body; larger lungs also push the diaphragm down",
			"where the slice shows lung (lung area >= " + (int) ThoraxPhantom.LUNG_VISIBLE_MM2 + " mm^2)"),
		Y_SHIFT("y_shift", -25, 25, "mm", "vertical position of patient and table (+ = down in the image)", "always");

		/** Column name in factors.csv and phantom.json. */
		public final String key;
		public final double min, max;
		public final String unit, meaning, observability;

		Factor(String key, double min, double max, String unit, String meaning, String observability) {
			this.key = key;
			this.min = min;
			this.max = max;
			this.unit = unit;
			this.meaning = meaning;
			this.observability = observability;
		}

		/** Whether the factor exists only in part of the body (breasts around mid-thorax, lungs above the diaphragm), so what a slice shows of it depends on z. */
		public boolean partOfBody() {
			return this == BREAST || this == LUNG;
		}

		/** Mean of the uniform range. */
		public double mean() {
			return (min + max) / 2;
		}

		/** Standard deviation of the uniform range: (max - min) / sqrt(12). */
		public double std() {
			return (max - min) / Math.sqrt(12);
		}

		public double standardize(double value) {
			return (value - mean()) / std();
		}

		public double destandardize(double standardized) {
			return mean() + standardized * std();
		}
	}

	/** Draws every volume factor independently and uniformly from its range; the same seed gives the same factors. */
	public static PhantomFactors draw(long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		double[] v = new double[Factor.values().length];
		for (Factor f : Factor.values())
			if (f != Factor.Z) v[f.ordinal()] = f.min + (f.max - f.min) * r.nextDouble();
		return of(v);
	}

	/** Factors at the middle of every range (a typical patient), e.g. for pictures and tests. */
	public static PhantomFactors mean() {
		double[] v = new double[Factor.values().length];
		for (Factor f : Factor.values()) v[f.ordinal()] = f.mean();
		return of(v);
	}

	/** Builds factors from values in {@link Factor} order (the {@code Z} entry is ignored). */
	public static PhantomFactors of(double[] v) {
		return new PhantomFactors(v[Factor.ROTATION.ordinal()], v[Factor.WIDTH.ordinal()], v[Factor.HEIGHT.ordinal()],
			v[Factor.FAT.ordinal()], v[Factor.BREAST.ordinal()], v[Factor.LUNG.ordinal()], v[Factor.Y_SHIFT.ordinal()]);
	}

	/** A copy with one volume factor replaced. */
	public PhantomFactors with(Factor f, double value) {
		if (f == Factor.Z) throw new IllegalArgumentException("z is a per-slice factor");
		double[] v = values(0);
		v[f.ordinal()] = value;
		return of(v);
	}

	/** The value of a volume factor. */
	public double get(Factor f) {
		return switch (f) {
			case Z -> throw new IllegalArgumentException("z is a per-slice factor; see SliceFactors");
			case ROTATION -> rotation;
			case WIDTH -> width;
			case HEIGHT -> height;
			case FAT -> fat;
			case BREAST -> breast;
			case LUNG -> lung;
			case Y_SHIFT -> yShift;
		};
	}

	/** All factors in {@link Factor} order, with the given slice position as {@code z}. */
	public double[] values(double z) {
		double[] v = new double[Factor.values().length];
		for (Factor f : Factor.values()) v[f.ordinal()] = f == Factor.Z ? z : get(f);
		return v;
	}
}
