package io.github.ctlatent.bench;

import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;

import java.util.List;

/**
 * Multiply-accumulates per image of the models' forward passes, from their layer tables (docs/method.md §2–3), so that
 * benchmarks can state achieved FLOP/s (= 2·MAC/s) as a fraction of the matmul ceiling. Normalisation and
 * activation costs are ignored (they are memory-bound and small against the convolutions).
 */
public final class Flops {

	private Flops() {}

	/** {generator, discriminator} MACs per image. */
	public static double[] dcgan(DcganConfig c) {
		List<Integer> g = c.generatorWidths(), d = c.discriminatorWidths();
		double gm = (double) c.latentDim() * g.get(0) * 16; // 1×1 → 4×4 projection
		int h = 4;
		for (int i = 0; i < g.size(); i++, h *= 2) {
			int out = i + 1 < g.size() ? g.get(i + 1) : c.channels();
			gm += (double) g.get(i) * out * 16 * h * h; // k4 s2 transposed conv: 16 taps per input pixel
		}
		double dm = 0;
		int in = c.channels(), s = c.imageSize();
		for (int w : d) {
			s /= 2;
			dm += (double) in * w * 16 * s * s;
			in = w;
		}
		dm += (double) in * 16; // final 4×4 → 1 logit
		return new double[] {gm, dm};
	}

	/** {encoder, decoder} MACs per image. */
	public static double[] vae(VaeConfig c) {
		double em = 0;
		int in = c.channels(), h = c.imageSize();
		for (int out : c.encoderWidths()) { // ResDown at h: conv(in→out/2)@h, conv(out/2→out)@h/2, skip conv(in→out)@h/2
			em += 9.0 * (in * (out / 2) * h * h + (out / 2) * out * (h / 2) * (h / 2) + in * out * (h / 2) * (h / 2));
			in = out;
			h /= 2;
		}
		em += 2.0 * in * c.latentDim() * 16; // mu and logvar heads (k4 s4 on 4×4)
		double dm = 0;
		in = c.latentDim();
		h = 1;
		for (int out : c.decoderWidths()) { // ResUp at h: conv(in→out/2)@h, conv(out/2→out)@2h, skip conv(in→out)@2h
			dm += 9.0 * (in * (out / 2) * (double) h * h + (out / 2) * out * 4.0 * h * h + in * out * 4.0 * h * h);
			in = out;
			h *= 2;
		}
		dm += 9.0 * in * c.channels() * c.imageSize() * c.imageSize();
		return new double[] {em, dm};
	}

	/**
	 * FLOPs of one GAN iteration per sample in the tutorial order: D forward on real, fake, and fake again in the G
	 * phase, each with a backward (≈2× forward); G forward + backward.
	 */
	public static double ganIteration(DcganConfig c) {
		double[] m = dcgan(c);
		return 2 * (3 * 3 * m[1] + 3 * m[0]);
	}

	/** FLOPs of one VAE iteration per sample: encoder and decoder, forward + backward. */
	public static double vaeIteration(VaeConfig c) {
		double[] m = vae(c);
		return 2 * 3 * (m[0] + m[1]);
	}
}
