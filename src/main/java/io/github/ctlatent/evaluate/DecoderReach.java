package io.github.ctlatent.evaluate;

import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.VaeEncoder;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much of the body a VAE's decoder can draw, as the factor oracle reads its position: real slices against their
 * own reconstructions (decoded posterior means). A walk in the latent space can only go where the decoder draws, so
 * the share this reaches bounds the span of every 3D walk on the model.
 * <p>
 * Why: a walk that stops short of the body's ends reads like a failure of the direction when it may be the decoder's.
 * On the phantom the 64² VAEs trained here draw 77–88% of the body's range (read by the blur-trained oracle of
 * evaluator version 4; the first oracle, which read softness as the middle of the body, made it look like 60–66%).
 * The figure is only as good as the oracle's reading of reconstructions, which are softer than the slices: the
 * known answers check that with perfect walks drawn softly ({@link KnownAnswers}).
 * <p>
 * The reach: sort the slices by the oracle's reading of the real slice; the mean reading of the lowest and of the
 * highest tenth, for the slices and for their reconstructions; reach = (reconstructions' high − low) / (slices' high −
 * low). 1: the decoder draws the ends of the body as the ends; 0: it draws one place for all of them.
 */
public final class DecoderReach {

	/** Slices read at most (Evaluate Directions spreads them evenly over the reference set). */
	static final int SLICES = 512;

	/**
	 * The mean position reading of the lowest and highest tenth of the slices, and of their reconstructions.
	 *
	 * @param slices how many slices were read
	 */
	public record Result(double realLow, double realHigh, double reconLow, double reconHigh, int slices) {

		/** The reconstructions' spread as a share of the slices' (0 when the slices themselves do not spread). */
		public double share() {
			double real = realHigh - realLow;
			return real > 0 ? (reconHigh - reconLow) / real : 0;
		}

		/**
		 * The reconstructions' spread in the reading's own units, as a walk's span is measured: about the most a walk
		 * on this model spans (means of tenths; a single slice drawn at an end may reach a little further).
		 */
		public double span() {
			return reconHigh - reconLow;
		}

		/** The report's line. */
		public String describe(String factor) {
			return String.format(Locale.ROOT, "Decoder reach (VAE): reconstructions of the reference's first and last tenth read %s %.2f and %.2f, the slices "
				+ "themselves %.2f and %.2f (%d slices): the decoder draws %.0f%% of that range, so a walk on this model spans about %.2f at most%n",
				factor, reconLow, reconHigh, realLow, realHigh, slices, 100 * share(), span());
		}
	}

	private DecoderReach() {}

	/** The reach from the oracle's readings of the slices ({@code real}) and of their reconstructions, slice by slice. */
	static Result of(double[] real, double[] reconstructed) {
		if (real.length != reconstructed.length || real.length < 10)
			throw new IllegalArgumentException("needs at least 10 slices with a reading each: " + real.length + ", " + reconstructed.length);
		Integer[] order = new Integer[real.length];
		for (int i = 0; i < order.length; i++) order[i] = i;
		Arrays.sort(order, (a, b) -> Double.compare(real[a], real[b]));
		int tenth = real.length / 10;
		double rl = 0, rh = 0, cl = 0, ch = 0;
		for (int i = 0; i < tenth; i++) {
			rl += real[order[i]];
			cl += reconstructed[order[i]];
			rh += real[order[order.length - 1 - i]];
			ch += reconstructed[order[order.length - 1 - i]];
		}
		return new Result(rl / tenth, rh / tenth, cl / tenth, ch / tenth, real.length);
	}

	/**
	 * Reads the reference slices {@code slices} and their reconstructions through {@code encoder} and {@code decoder},
	 * with the oracle's factor {@code factor} (destandardised).
	 */
	static Result measure(SliceSet reference, int[] slices, VaeEncoder encoder, Generator decoder, FactorOracle oracle, int factor) {
		float[][] images = new float[slices.length][];
		for (int i = 0; i < slices.length; i++) images[i] = reference.slice(slices[i]);
		float[][] reconstructed = decoder.images(WalkReader.flatten(encoder.encode(images)));
		return of(positions(oracle, images, factor), positions(oracle, reconstructed, factor));
	}

	private static double[] positions(FactorOracle oracle, float[][] images, int factor) {
		double[][] v = oracle.read(images).values();
		double[] out = new double[v.length];
		for (int i = 0; i < out.length; i++) out[i] = oracle.destandardize(factor, v[i][factor]);
		return out;
	}
}
