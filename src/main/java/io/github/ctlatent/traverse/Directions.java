package io.github.ctlatent.traverse;

/**
 * Latent directions as the traversal stage sees them: how far to move the latent code for "direction k by ε".
 * Each discovery method keeps its own geometry (e.g. Voynov–Babenko's {@code proj} directions are renormalised
 * with a bias, so −ε is not the exact opposite of +ε), hence a shift function rather than a matrix.
 */
public interface Directions {

	/** Number of directions K. */
	int count();

	/** Latent size d. */
	int latentDim();

	/** The latent shift (length d) for direction {@code k} at magnitude {@code eps}. */
	float[] shift(int k, float eps);

	/** A human label ("direction 7", or a name a user gave). */
	default String label(int k) {
		return "direction " + k;
	}

	/** The same directions under other labels ({@code names} gives direction k's). */
	default Directions labelled(java.util.function.IntFunction<String> names) {
		Directions same = this;
		return new Directions() {
			public int count() { return same.count(); }
			public int latentDim() { return same.latentDim(); }
			public float[] shift(int k, float eps) { return same.shift(k, eps); }
			public String label(int k) { return names.apply(k); }
		};
	}

	/** A discovered direction set, with its method's own shift geometry and labels "direction k". */
	static Directions of(io.github.ctlatent.discover.DirectionSet set) {
		return new Directions() {
			public int count() { return set.directionCount(); }
			public int latentDim() { return set.latentDim(); }
			public float[] shift(int k, float eps) { return set.shift(k, eps); }
		};
	}

	/** Plain unit vectors {@code rows[k]} (shift = ε·row): for tests, SeFa/PCA results and user-given directions. */
	static Directions of(float[][] rows) {
		return new Directions() {
			public int count() { return rows.length; }
			public int latentDim() { return rows[0].length; }
			public float[] shift(int k, float eps) {
				float[] s = new float[rows[k].length];
				for (int i = 0; i < s.length; i++) s[i] = eps * rows[k][i];
				return s;
			}
		};
	}
}
