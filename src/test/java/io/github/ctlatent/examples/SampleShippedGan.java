package io.github.ctlatent.examples;

import ai.djl.Device;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.view.Pictures;

import java.nio.file.Path;

/**
 * Samples from the GAN shipped in {@code models/phantom-gan}: loads the run folder with {@link Models#load}, draws
 * one latent z ~ N(0, I) per seed, renders them with {@link Generator#images}, maps the [-1, 1] output back to
 * Hounsfield units with the preprocessing recorded in the model card, and saves a PNG grid.
 * <p>
 * Run: {@code java ... SampleShippedGan [count] [grid.png]} from the repository root.
 */
public final class SampleShippedGan {

	public static final Path SHIPPED_GAN = Path.of("models", "phantom-gan");

	/** {@code count} samples in HU (one size² plane each); with a non-null {@code png}, also a grid picture of them. */
	public static float[][] run(int count, Path png) {
		DatasetCard data = ModelCard.read(SHIPPED_GAN).dataset; // how the training slices were scaled
		try (Generator g = Models.load(SHIPPED_GAN, Device.cpu())) {
			int d = g.latentDim();
			float[] z = new float[count * d];
			for (int i = 0; i < count; i++) System.arraycopy(Traversal.seedLatent(d, 1 + i), 0, z, i * d, d);
			float[][] images = g.images(z);
			if (png != null) Pictures.savePng(Pictures.grid(images, g.imageSize(), (int) Math.ceil(Math.sqrt(count)), -1, 1), png);
			for (float[] image : images) for (int k = 0; k < image.length; k++) image[k] = (float) data.preprocessing.toHounsfield(image[k]);
			return images;
		}
	}

	public static void main(String[] args) {
		int count = args.length > 0 ? Integer.parseInt(args[0]) : 16;
		Path png = Path.of(args.length > 1 ? args[1] : "samples.png");
		float[][] hu = run(count, png);
		System.out.printf("%d samples of %d pixels, first pixel %.0f HU -> %s%n", hu.length, hu[0].length, hu[0][0], png.toAbsolutePath());
	}
}
