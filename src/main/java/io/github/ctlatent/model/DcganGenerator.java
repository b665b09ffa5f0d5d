package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;

import java.nio.file.Path;

/** The DCGAN generator as a frozen {@link Generator}; owns a copy of the weights. */
public final class DcganGenerator extends BlockGenerator {

	private final DcganConfig config;

	private DcganGenerator(DcganConfig config, SequentialBlock block, NDManager manager) {
		super(block, manager, config.latentDim(), config.imageSize(), config.channels(), "DCGAN generator " + config);
		this.config = config;
	}

	/** Generator weights saved with {@code ModelFiles.save(gan.generator(), file)}. */
	public static DcganGenerator load(DcganConfig config, Path weights, Device device) {
		return build(config, device, block -> ModelFiles.load(block, weights, "DCGAN generator " + config));
	}

	/** A frozen copy of a (possibly still training) DCGAN's current generator. */
	public static DcganGenerator copyOf(Dcgan gan) {
		return build(gan.config(), gan.device(), block -> ModelFiles.copy(gan.generator(), block, gan.config()));
	}

	/** A randomly initialized generator (seed with {@code Engines.seed} first): tests and demos. */
	public static DcganGenerator random(DcganConfig config, Device device) {
		return build(config, device, block -> { });
	}

	private static DcganGenerator build(DcganConfig config, Device device, java.util.function.Consumer<SequentialBlock> fill) {
		return build(device, manager -> {
			SequentialBlock block = Dcgan.generatorBlock(config);
			Dcgan.initialize(block, manager, Dcgan.latentShape(config));
			return block;
		}, fill, (block, manager) -> new DcganGenerator(config, block, manager));
	}

	public DcganConfig config() {
		return config;
	}

	/** The 1×1→4×4 layer's weight as (C·16) × d: column i is what latent coordinate i adds to the 4×4 features. */
	@Override
	public float[][] firstLayerLinearMap() {
		LatentProjection first = (LatentProjection) block().getChildren().get(0).getValue();
		float[] w = first.weight().getArray().toFloatArray(); // (d, features) row-major
		int d = config.latentDim(), features = w.length / d;
		float[][] map = new float[features][d];
		for (int i = 0; i < d; i++)
			for (int f = 0; f < features; f++) map[f][i] = w[i * features + f];
		return map;
	}
}
