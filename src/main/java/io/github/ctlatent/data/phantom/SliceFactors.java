package io.github.ctlatent.data.phantom;

import io.github.ctlatent.data.phantom.PhantomFactors.Factor;

/**
 * The label of one rendered slice: its volume's factors, its position {@code z}, and which factors can be read
 * from this slice at all (breast size only where breasts exist along z, lung size only where lung is visible).
 *
 * @param volume  index of the volume in its data set
 * @param slice   index of the slice in its volume (0 = apex)
 * @param z       position along the body axis in [0, 1]
 * @param factors the volume's factors
 */
public record SliceFactors(int volume, int slice, double z, PhantomFactors factors, boolean breastObservable,
	boolean lungObservable) {

	/** All factor values in {@link Factor} order. */
	public double[] values() {
		return factors.values(z);
	}

	/** All factor values standardized by their uniform range (mean 0, std 1 over the range), in {@link Factor} order. */
	public double[] standardized() {
		double[] v = values();
		for (Factor f : Factor.values()) v[f.ordinal()] = f.standardize(v[f.ordinal()]);
		return v;
	}

	/** Observability mask in {@link Factor} order. */
	public boolean[] observable() {
		boolean[] m = new boolean[Factor.values().length];
		for (Factor f : Factor.values()) m[f.ordinal()] = observable(f);
		return m;
	}

	public boolean observable(Factor f) {
		return switch (f) {
			case BREAST -> breastObservable;
			case LUNG -> lungObservable;
			default -> true;
		};
	}
}
