package io.github.ctlatent.data;

import java.util.Random;

/**
 * The seed paper's on-the-fly training augmentation (docs/method.md §1.7, torchvision RandomAffine): rotation uniform
 * in ±{@code maxDegrees}, isotropic zoom uniform in [{@code minScale}, {@code maxScale}], bilinear, pixels from
 * outside filled with {@code fill}. The paper's fill 0 is mid-gray (+500 HU), not air — kept for fidelity.
 */
public record Augmentation(double maxDegrees, double minScale, double maxScale, float fill) implements SliceAugmentation {

	public static Augmentation paper() {
		return new Augmentation(1, 1.0, 1.1, 0f);
	}

	/** Writes the augmented {@code size²} slice {@code src} into {@code dst} at {@code offset}. */
	public void apply(float[] src, int size, float[] dst, int offset, Random rnd) {
		double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * maxDegrees);
		double scale = minScale + rnd.nextDouble() * (maxScale - minScale);
		affine(src, size, angle, scale, scale, 0, 0, fill, dst, offset);
	}

	@Override
	public void apply(float[] src, float[] neighbour, int size, float[] dst, int offset, Random rnd) {
		apply(src, size, dst, offset, rnd);
	}

	@Override
	public String describe() {
		return String.format(java.util.Locale.ROOT, "rotation ±%s°, zoom %s–%s, fill %s", maxDegrees, minScale, maxScale, fill);
	}

	/**
	 * Rotates {@code src} by {@code angle} (radians), zooms it by {@code scaleX}, {@code scaleY} and shifts it by
	 * ({@code shiftX}, {@code shiftY}) pixels about the image centre, bilinear, pixels from outside at {@code fill}.
	 */
	static void affine(float[] src, int size, double angle, double scaleX, double scaleY, double shiftX, double shiftY, float fill, float[] dst, int offset) {
		// inverse map: output pixel → source position (undo the shift, rotate by −angle, shrink by the scales)
		double cosX = Math.cos(angle) / scaleX, sinX = Math.sin(angle) / scaleX, cosY = Math.cos(angle) / scaleY, sinY = Math.sin(angle) / scaleY;
		double c = (size - 1) / 2.0;
		for (int y = 0; y < size; y++) {
			double v = y - c - shiftY;
			for (int x = 0; x < size; x++) {
				double u = x - c - shiftX;
				double sx = cosX * u + sinX * v + c, sy = -sinY * u + cosY * v + c;
				dst[offset + y * size + x] = bilinear(src, size, sx, sy, fill);
			}
		}
	}

	private static float bilinear(float[] src, int size, double x, double y, float fill) {
		int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
		float fx = (float) (x - x0), fy = (float) (y - y0);
		return (1 - fy) * ((1 - fx) * at(src, size, x0, y0, fill) + fx * at(src, size, x0 + 1, y0, fill))
			+ fy * ((1 - fx) * at(src, size, x0, y0 + 1, fill) + fx * at(src, size, x0 + 1, y0 + 1, fill));
	}

	private static float at(float[] src, int size, int x, int y, float fill) {
		return x < 0 || y < 0 || x >= size || y >= size ? fill : src[y * size + x];
	}
}
