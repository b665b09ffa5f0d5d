package io.github.ctlatent.data;

import java.util.Random;

/**
 * The seed paper's on-the-fly training augmentation (docs/method.md §1.7, torchvision RandomAffine): rotation uniform
 * in ±{@code maxDegrees}, isotropic zoom uniform in [{@code minScale}, {@code maxScale}], bilinear, pixels from
 * outside filled with {@code fill}. The paper's fill 0 is mid-gray (+500 HU), not air — kept for fidelity.
 */
public record Augmentation(double maxDegrees, double minScale, double maxScale, float fill) {

	public static Augmentation paper() {
		return new Augmentation(1, 1.0, 1.1, 0f);
	}

	/** Writes the augmented {@code size²} slice {@code src} into {@code dst} at {@code offset}. */
	public void apply(float[] src, int size, float[] dst, int offset, Random rnd) {
		double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * maxDegrees);
		double scale = minScale + rnd.nextDouble() * (maxScale - minScale);
		// inverse map: output pixel → source position (rotate by −angle, shrink by scale) about the image centre
		double cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale, c = (size - 1) / 2.0;
		for (int y = 0; y < size; y++) {
			double v = y - c;
			for (int x = 0; x < size; x++) {
				double u = x - c;
				double sx = cos * u + sin * v + c, sy = -sin * u + cos * v + c;
				dst[offset + y * size + x] = bilinear(src, size, sx, sy);
			}
		}
	}

	private float bilinear(float[] src, int size, double x, double y) {
		int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
		float fx = (float) (x - x0), fy = (float) (y - y0);
		return (1 - fy) * ((1 - fx) * at(src, size, x0, y0) + fx * at(src, size, x0 + 1, y0))
			+ fy * ((1 - fx) * at(src, size, x0, y0 + 1) + fx * at(src, size, x0 + 1, y0 + 1));
	}

	private float at(float[] src, int size, int x, int y) {
		return x < 0 || y < 0 || x >= size || y >= size ? fill : src[y * size + x];
	}
}
