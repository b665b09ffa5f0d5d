package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The ResNet VAE's decoder as a frozen {@link Generator} (docs/method.md §4.6: z ~ N(0, I)); owns a copy of the
 * weights.
 */
public final class VaeDecoderGenerator extends BlockGenerator {

	private final VaeConfig config;

	private VaeDecoderGenerator(VaeConfig config, SequentialBlock block, NDManager manager) {
		super(block, manager, config.latentDim(), config.imageSize(), config.channels(), "ResNet-VAE decoder " + config);
		this.config = config;
	}

	/** Decoder weights saved with {@code ModelFiles.save(vae.decoder(), file)}. */
	public static VaeDecoderGenerator load(VaeConfig config, Path weights, Device device) {
		return build(config, device, block -> ModelFiles.load(block, weights, "ResNet-VAE decoder " + config));
	}

	/** A frozen copy of a (possibly still training) VAE's current decoder. */
	public static VaeDecoderGenerator copyOf(ResNetVae vae) {
		return build(vae.config(), vae.device(), block -> ModelFiles.copy(vae.decoder(), block, vae.config()));
	}

	/** A randomly initialized decoder (seed with {@code Engines.seed} first): tests and demos. */
	public static VaeDecoderGenerator random(VaeConfig config, Device device) {
		return build(config, device, block -> { });
	}

	private static VaeDecoderGenerator build(VaeConfig config, Device device, Consumer<SequentialBlock> fill) {
		return build(device, manager -> {
			SequentialBlock block = ResNetVae.decoderBlock(config);
			block.initialize(manager, DataType.FLOAT32, new Shape(1, config.latentDim(), 1, 1));
			return block;
		}, fill, (block, manager) -> new VaeDecoderGenerator(config, block, manager));
	}

	/** The first ResUp block's maps from the 1×1 latent (see {@link ResidualBlock#linearMapOnOnePixel}): SeFa's W. */
	@Override
	public float[][] firstLayerLinearMap() {
		return ((ResidualBlock) block().getChildren().get(0).getValue()).linearMapOnOnePixel();
	}

	public VaeConfig config() {
		return config;
	}
}
