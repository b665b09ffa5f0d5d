package io.github.ctlatent.discover;

import java.util.SplittableRandom;

/**
 * The random part of one discovery step (docs/method.md §4.3): latents z ~ N(0, I), direction indices k uniform over
 * K, and signed magnitudes ε uniform on [−scale, scale] with 0 < |ε| < minShift snapped to ±minShift (not
 * resampled: a point mass of about minShift/scale of the samples sits at ±minShift). ε itself is the regression
 * target.
 * <p>
 * Each batch is drawn from its own generator seeded by (seed, stream), so batch {@code s} is the same whether or
 * not the run was interrupted before it: resuming needs no RNG state. Training uses streams 0, 1, 2, …;
 * validation uses {@link #validationStream} so that it never sees a training batch.
 */
public final class ShiftSampler {

	private final int latentDim, directions;
	private final float scale, minShift;
	private final long seed;

	/** One batch: {@code z} is (B·d) row-major, {@code k} and {@code eps} have length B. */
	public record Batch(float[] z, int[] k, float[] eps) {
		public int size() {
			return k.length;
		}
	}

	public ShiftSampler(int latentDim, int directions, float scale, float minShift, long seed) {
		if (directions < 1) throw new IllegalArgumentException("need at least one direction");
		this.latentDim = latentDim;
		this.directions = directions;
		this.scale = scale;
		this.minShift = minShift;
		this.seed = seed;
	}

	/** The stream of validation batch {@code i} (disjoint from the training streams 0, 1, 2, …). */
	public static long validationStream(int i) {
		return -1L - i;
	}

	public Batch sample(long stream, int batchSize) {
		SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
		int[] k = new int[batchSize];
		float[] eps = new float[batchSize];
		for (int i = 0; i < batchSize; i++) {
			k[i] = rnd.nextInt(directions);
			eps[i] = snap((float) (2 * scale * rnd.nextDouble() - scale));
		}
		float[] z = new float[batchSize * latentDim];
		for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
		return new Batch(z, k, eps);
	}

	/** The original's snapping: 0 < |ε| < minShift becomes ±minShift (ε = 0 exactly stays 0, as there). */
	float snap(float e) {
		if (e > 0 && e < minShift) return minShift;
		if (e < 0 && e > -minShift) return -minShift;
		return e;
	}
}
