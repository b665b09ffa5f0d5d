package io.github.ctlatent.data;

import java.util.Locale;
import java.util.Random;

/**
 * Stronger augmentation for training on one to a few volumes, where the paper's ±1° / 1.0–1.1× leaves the network
 * free to memorise the few dozen slices it sees. Per slice, in this order:
 * <ol>
 * <li>along the body: a blend {@code (1−t)·slice + t·neighbour} with the adjacent training slice of the same volume,
 *     t uniform in [0, {@code maxBlend}]: the anatomy between two slices, which the scan does not hold;</li>
 * <li>a small affine: rotation in ±{@code maxDegrees}, zoom in 1 ± {@code maxZoom}, each axis further stretched by
 *     1 ± {@code maxStretch} (wider or deeper bodies), shift in ±{@code maxShift} of the image side; outside at
 *     {@code fill} (−1, the window floor, where air is — not the paper's mid grey);</li>
 * <li>intensity: {@code a·v + b}, a in 1 ± {@code maxContrast}, b in ±{@code maxBrightness} (model units, the window
 *     spanning 2): scanner and reconstruction-kernel differences between patients.</li>
 * </ol>
 */
public record FewScanAugmentation(double maxBlend, double maxDegrees, double maxZoom, double maxStretch, double maxShift,
	double maxContrast, double maxBrightness, float fill) implements SliceAugmentation {

	/** The values the "few_scans" training preset uses (chosen by measurement, docs/real-ct.md "Few scans"). */
	public static FewScanAugmentation defaults() {
		return new FewScanAugmentation(0.5, 2, 0.04, 0.03, 0.03, 0, 0, -1f);
	}

	@Override
	public void apply(float[] src, float[] neighbour, int size, float[] dst, int offset, Random rnd) {
		// every draw happens whether or not it is used, so a slice's augmentation depends only on the random stream
		double t = rnd.nextDouble() * maxBlend;
		double angle = Math.toRadians(uniform(rnd, maxDegrees)), zoom = 1 + uniform(rnd, maxZoom);
		double sx = zoom * (1 + uniform(rnd, maxStretch)), sy = zoom * (1 + uniform(rnd, maxStretch));
		double dx = uniform(rnd, maxShift) * size, dy = uniform(rnd, maxShift) * size;
		float a = (float) (1 + uniform(rnd, maxContrast)), b = (float) uniform(rnd, maxBrightness);
		float[] blended = src;
		if (neighbour != null && t > 0) {
			blended = new float[src.length];
			for (int i = 0; i < src.length; i++) blended[i] = (float) ((1 - t) * src[i] + t * neighbour[i]);
		}
		Augmentation.affine(blended, size, angle, sx, sy, dx, dy, fill, dst, offset);
		for (int i = offset; i < offset + size * size; i++) dst[i] = a * dst[i] + b;
	}

	private static double uniform(Random rnd, double halfWidth) {
		return (rnd.nextDouble() * 2 - 1) * halfWidth;
	}

	@Override
	public boolean usesNeighbours() {
		return true;
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "few_scans: blend with a neighbouring slice up to %.2f, rotation ±%s°, zoom ±%s, stretch ±%s, shift ±%s of the side, "
			+ "contrast ±%s, brightness ±%s, fill %s", maxBlend, maxDegrees, maxZoom, maxStretch, maxShift, maxContrast, maxBrightness, fill);
	}
}
