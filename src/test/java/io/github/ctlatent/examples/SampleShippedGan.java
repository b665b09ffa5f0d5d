package io.github.ctlatent.examples;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Sampling;
import io.github.ctlatent.picture.Pictures;

import java.nio.file.Path;

/**
 * Samples from the GAN shipped in {@code models/phantom-gan} through the model stage's entry point
 * {@link Sampling}: one latent z ~ N(0, I) per seed, rendered by the generator, mapped back to Hounsfield units with
 * the preprocessing recorded in the model card, and saved as a PNG grid.
 * <p>
 * Run: {@code java ... SampleShippedGan [count] [grid.png]} from the repository root.
 */
public final class SampleShippedGan {

	public static final Path SHIPPED_GAN = Path.of("models", "phantom-gan");

	/** {@code count} samples in HU (one size² plane each); with a non-null {@code png}, also a grid picture of them. */
	public static float[][] run(int count, Path png) {
		Sampling.Samples s = Sampling.of(SHIPPED_GAN).count(count).seed(1).device("cpu").sample(Monitor.NONE);
		if (png != null) Pictures.savePng(Pictures.grid(s.modelUnits(), s.size(), (int) Math.ceil(Math.sqrt(count)), -1, 1), png);
		return s.values();
	}

	public static void main(String[] args) {
		int count = args.length > 0 ? Integer.parseInt(args[0]) : 16;
		Path png = Path.of(args.length > 1 ? args[1] : "samples.png");
		float[][] hu = run(count, png);
		System.out.printf("%d samples of %d pixels, first pixel %.0f HU -> %s%n", hu.length, hu[0].length, hu[0][0], png.toAbsolutePath());
	}
}
