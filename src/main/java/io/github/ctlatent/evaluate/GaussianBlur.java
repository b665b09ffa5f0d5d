package io.github.ctlatent.evaluate;

/**
 * Separable Gaussian blur of a square slice, edges clamped. The factor oracle trains on blurred copies of real slices
 * ({@link OracleTraining.Settings#blur()}) because the images it judges are not sharp: a VAE's reconstructions look
 * like real slices blurred by σ ≈ 1 pixel, and an oracle trained on sharp slices alone reads that blur as factors
 * (docs/results-evaluation.md, "The oracle read blur").
 * <pre>
 * float[] soft = GaussianBlur.blur(slice, 64, 1.0);
 * </pre>
 */
public final class GaussianBlur {

	private GaussianBlur() {}

	/** A blurred copy of {@code image} ({@code side}² values, row-major); σ ≤ 0 gives an unchanged copy. */
	public static float[] blur(float[] image, int side, double sigma) {
		if (image.length != side * side)
			throw new IllegalArgumentException("a " + side + "² image has " + side * side + " values, not " + image.length);
		if (!(sigma > 0)) return image.clone();
		double[] k = kernel(sigma);
		int r = k.length / 2;
		float[] rows = new float[image.length], out = new float[image.length];
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++) {
				double v = 0;
				for (int i = -r; i <= r; i++) v += k[i + r] * image[y * side + clamp(x + i, side)];
				rows[y * side + x] = (float) v;
			}
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++) {
				double v = 0;
				for (int i = -r; i <= r; i++) v += k[i + r] * rows[clamp(y + i, side) * side + x];
				out[y * side + x] = (float) v;
			}
		return out;
	}

	/** The normalised 1-D kernel, radius ⌈3σ⌉. */
	static double[] kernel(double sigma) {
		int r = (int) Math.ceil(3 * sigma);
		double[] k = new double[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
		for (int i = 0; i < k.length; i++) k[i] /= sum;
		return k;
	}

	private static int clamp(int i, int side) {
		return Math.max(0, Math.min(side - 1, i));
	}
}
