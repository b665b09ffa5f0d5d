package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A fixed synthetic data set {(z_i, G(z_i))}, z ~ N(0, I), as Khrulkov et al. 2021 train their encoders on
 * (500,000 points there). It depends only on the generator and the seed, so the encoders of every direction set of
 * one model share it: generating is the expensive part on a CPU, the targets (coordinates) are cheap.
 *
 * @param z      n latents, one after the other (n·d values)
 * @param images n images of {@code size²} values in the generator's range
 */
public record GeneratedSample(int latentDim, int size, float[] z, float[][] images) {

	public int count() {
		return images.length;
	}

	/** Generates n images of {@code g}, 64 at a time, reporting progress and honouring cancellation. */
	public static GeneratedSample of(Generator g, int n, long seed, Monitor monitor) {
		long t0 = System.nanoTime();
		int d = g.latentDim();
		SplittableRandom rnd = new SplittableRandom(seed);
		float[] z = new float[n * d];
		for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
		float[][] images = new float[n][];
		for (int from = 0; from < n; from += 64) {
			monitor.checkCanceled();
			int b = Math.min(64, n - from);
			float[][] part = g.images(java.util.Arrays.copyOfRange(z, from * d, (from + b) * d));
			System.arraycopy(part, 0, images, from, b);
			monitor.progress(from + b, n, "generating the encoder's training images");
		}
		monitor.log(String.format(Locale.ROOT, "%d generated images for the encoders (seed %d) in %.0f s", n, seed, (System.nanoTime() - t0) / 1e9));
		return new GeneratedSample(d, g.imageSize(), z, images);
	}
}
