package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Frames at equal image change along a walk's path (straight, or a {@link CurvedPath}): render a fine walk of {@value #OVERSAMPLING}× the
 * frames over −r…+r, measure the image path's arc length (the RMS pixel difference of consecutive fine frames,
 * summed), and choose the shifts where the arc length reaches equal fractions of its total (linear between fine
 * samples). Both end frames stay at ±r. Why: discovered directions often change the image slowly over most of the
 * range and in a jump somewhere (a walk along the body skips slices, then lingers), which equal shift steps show
 * as it is; equal image change shows the same path at an even pace. The fine walk is rendered in chunks and only
 * its differences are kept, so memory does not grow with the oversampling.
 */
public final class EvenSteps {

	/** Fine samples per frame interval: the arc length is exact to about 1% once a fine step moves a blob by well under its width. */
	public static final int OVERSAMPLING = 8;

	private static final int CHUNK = 64;

	private EvenSteps() {}

	/** The fine walk's shifts: −r…+r in {@value #OVERSAMPLING}·(frames − 1) equal steps (the linear frames are among them). */
	public static double[] fineShifts(Traversal.Range range) {
		return new Traversal.Range(range.radius(), OVERSAMPLING * (range.frames() - 1) + 1).shifts();
	}

	/**
	 * The cumulative image change along direction {@code k} from {@code base} at {@code fine} shifts: element i is the
	 * summed RMS pixel difference of consecutive frames up to frame i (element 0 is 0).
	 */
	public static double[] arcLength(Generator g, Directions dirs, int k, float[] base, double[] fine, Monitor monitor) {
		return arcLength(g, straight(dirs, k, base), fine, monitor);
	}

	/** The same along any path through the latent: {@code code} gives the code of the frame at a shift (a {@link CurvedPath}'s, say). */
	public static double[] arcLength(Generator g, DoubleFunction<float[]> code, double[] fine, Monitor monitor) {
		int d = g.latentDim();
		double[] cum = new double[fine.length];
		float[] previous = null;
		for (int from = 0; from < fine.length; from += CHUNK) {
			monitor.checkCanceled();
			int n = Math.min(CHUNK, fine.length - from);
			float[] latents = new float[n * d];
			for (int f = 0; f < n; f++) System.arraycopy(code.apply(fine[from + f]), 0, latents, f * d, d);
			float[][] images = g.images(latents);
			for (int f = 0; f < n; f++) {
				int i = from + f;
				cum[i] = previous == null ? 0 : cum[i - 1] + rms(previous, images[f]);
				previous = images[f];
			}
		}
		return cum;
	}

	/** The straight walk's codes: base + shift of direction {@code k}. */
	public static DoubleFunction<float[]> straight(Directions dirs, int k, float[] base) {
		return s -> {
			float[] z = dirs.shift(k, (float) s);
			for (int i = 0; i < z.length; i++) z[i] += base[i];
			return z;
		};
	}

	/**
	 * The {@code frames} shifts at equal fractions of the arc length {@code cumulative} (non-decreasing, over the
	 * ascending {@code fine} shifts), linear between fine samples; first and last are the walk's ends.
	 *
	 * @throws ExplorerException when the image does not change at all along the walk (arc length 0): equal image
	 *                           change is then undefined
	 */
	public static double[] place(double[] fine, double[] cumulative, int frames) {
		double total = cumulative[cumulative.length - 1];
		if (!(total > 0) || !Double.isFinite(total))
			throw new ExplorerException(String.format(Locale.ROOT, "The image does not change along this walk (shifts %.2f…%.2f, image arc length %s), so frames cannot be "
				+ "spaced by equal image change. Use spacing=linear, or a direction and radius that change the picture.", fine[0], fine[fine.length - 1], total));
		double[] out = new double[frames];
		out[0] = fine[0];
		out[frames - 1] = fine[fine.length - 1];
		int i = 1;
		for (int f = 1; f < frames - 1; f++) {
			double target = total * f / (frames - 1);
			while (cumulative[i] < target) i++; // cumulative[i - 1] < target ≤ cumulative[i]
			double a = cumulative[i - 1], b = cumulative[i];
			out[f] = fine[i - 1] + (fine[i] - fine[i - 1]) * (target - a) / (b - a);
		}
		return out;
	}

	/** The even shifts of direction {@code k} from {@code base}, or null (and a warning) when the image does not change along it. */
	public static double[] shifts(Generator g, Directions dirs, int k, float[] base, Traversal.Range range, Monitor monitor) {
		return shifts(g, straight(dirs, k, base), dirs.label(k), range, monitor);
	}

	/** The even shifts along any path ({@code code}: shift → code), or null (and a warning naming {@code label}) when the image does not change along it. */
	public static double[] shifts(Generator g, DoubleFunction<float[]> code, String label, Traversal.Range range, Monitor monitor) {
		double[] fine = fineShifts(range);
		double[] cum = arcLength(g, code, fine, monitor);
		if (!(cum[cum.length - 1] > 0)) {
			monitor.log("WARNING: spacing=even: " + label + " does not change the image over ±" + range.radius()
				+ " (image arc length 0); its frames keep equal shift steps.");
			return null;
		}
		return place(fine, cum, range.frames());
	}

	/** RMS of the pixel difference of two frames. */
	static double rms(float[] a, float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			double e = a[i] - b[i];
			s += e * e;
		}
		return Math.sqrt(s / a.length);
	}
}
