package io.github.ctlatent.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape of the ResNet VAE (docs/method.md §3): latent size, square image side, base width {@code ch}, image channels.
 * The encoder has log2(imageSize / 4) ResDown stages of widths ch·min(2^i, 8) followed by k4 s4 heads to 1×1;
 * the decoder has log2(imageSize) ResUp stages: 16·ch at 2×2, then (ch/2)·min(2^j, 16) with j counting down
 * to 0 at full size. At the paper preset that is exactly 64, 128, 256, 512, 512 and 1024, 512, 512, 256, 128, 64, 32.
 */
public record VaeConfig(int latentDim, int imageSize, int ch, int channels) {

	public VaeConfig {
		if (latentDim < 1 || channels < 1) throw new io.github.ctlatent.core.ExplorerException("latentDim and channels must be positive: " + this);
		if (ch < 2 || ch % 2 != 0) throw new io.github.ctlatent.core.ExplorerException("ch must be even and >= 2 (the last ResUp has ch/2 channels), got " + ch);
		if (imageSize < 8 || Integer.bitCount(imageSize) != 1)
			throw new io.github.ctlatent.core.ExplorerException("imageSize must be a power of two >= 8, got " + imageSize);
		// the sizes a card (or a caller) may ask for, as for the command's keys: larger ones do not fit any memory
		new io.github.ctlatent.core.Limits.Range("latentDim", 1, io.github.ctlatent.core.Limits.LATENT_DIM.max(), "latent dimensions").check(latentDim);
		new io.github.ctlatent.core.Limits.Range("ch", 2, io.github.ctlatent.core.Limits.VAE_CH.max(), "VAE base width").check(ch);
		new io.github.ctlatent.core.Limits.Range("imageSize", 8, 2048, "image side").check(imageSize);
	}

	/** The seed paper: z 32, ch 64, one channel, 128×128 (encoder ≈ 9.1 M, decoder ≈ 20.9 M parameters). */
	public static VaeConfig paper() {
		return new VaeConfig(32, 128, 64, 1);
	}

	/**
	 * Same structure at 64×64 (one stage fewer each side) and a quarter of the width (encoder 0.38 M, decoder
	 * 1.1 M parameters): measured ≈ 100-115 img/s for a training iteration at batch 64 on one busy core.
	 */
	public static VaeConfig cpuDefault() {
		return new VaeConfig(32, 64, 16, 1);
	}

	public VaeConfig withLatentDim(int d) {
		return new VaeConfig(d, imageSize, ch, channels);
	}

	public VaeConfig withImageSize(int s) {
		return new VaeConfig(latentDim, s, ch, channels);
	}

	public VaeConfig withCh(int c) {
		return new VaeConfig(latentDim, imageSize, c, channels);
	}

	/** Output widths of the encoder's ResDown stages (imageSize → 4 px). */
	public List<Integer> encoderWidths() {
		List<Integer> w = new ArrayList<>();
		for (int i = 0; i < Integer.numberOfTrailingZeros(imageSize) - 2; i++) w.add(ch * Math.min(1 << i, 8));
		return w;
	}

	/** Output widths of the decoder's ResUp stages (1 px → imageSize). */
	public List<Integer> decoderWidths() {
		List<Integer> w = new ArrayList<>();
		w.add(16 * ch);
		for (int j = Integer.numberOfTrailingZeros(imageSize) - 2; j >= 0; j--) w.add(ch / 2 * Math.min(1 << j, 16));
		return w;
	}
}
