package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * A {@link Generator} backed by a DJL block it owns (with the manager holding its weights). All parameters are
 * frozen, so inside a GradientCollector gradients reach the latents but never accumulate in the weights.
 */
abstract class BlockGenerator implements Generator {

	private final Block block;
	private final NDManager manager;
	private final int latentDim;
	private final int imageSize;
	private final String description;
	private final ParameterStore ps;
	private String fingerprint;

	BlockGenerator(Block block, NDManager manager, int latentDim, int imageSize, int channels, String description) {
		this.block = block;
		this.manager = manager;
		this.latentDim = latentDim;
		this.imageSize = imageSize;
		if (channels != 1) throw new IllegalArgumentException("a Generator makes one-channel images; " + description + " has " + channels);
		this.description = description;
		this.ps = new ParameterStore(manager, false);
		block.freezeParameters(true);
	}

	/**
	 * Builds a generator that owns its block and weights: {@code makeBlock} creates and initialises the block in
	 * the new manager, {@code fill} sets its weights (a file, a copy of a training model, or nothing for random
	 * ones), {@code wrap} makes the generator. On failure the manager is released ({@link OwnedManager}).
	 */
	static <G extends BlockGenerator> G build(Device device, java.util.function.Function<NDManager, SequentialBlock> makeBlock,
		java.util.function.Consumer<SequentialBlock> fill, java.util.function.BiFunction<SequentialBlock, NDManager, G> wrap) {
		return OwnedManager.build(device, manager -> {
			SequentialBlock block = makeBlock.apply(manager);
			fill.accept(block);
			return wrap.apply(block, manager);
		});
	}

	/** The wrapped block (frozen; do not train it). */
	public Block block() {
		return block;
	}

	@Override
	public int latentDim() {
		return latentDim;
	}

	@Override
	public int imageSize() {
		return imageSize;
	}

	@Override
	public NDArray generate(NDArray z) {
		Shape s = z.getShape();
		if (s.dimension() != 4 || s.get(1) != latentDim || s.get(2) != 1 || s.get(3) != 1)
			throw new IllegalArgumentException("latents must be (B, " + latentDim + ", 1, 1), got " + s);
		return block.forward(ps, new NDList(z), false).singletonOrThrow();
	}

	@Override
	public Device device() {
		return manager.getDevice();
	}

	@Override
	public NDManager manager() {
		return manager;
	}

	@Override
	public synchronized String fingerprint() {
		if (fingerprint == null) fingerprint = Params.sha256(description, block);
		return fingerprint;
	}

	@Override
	public String toString() {
		return description;
	}

	@Override
	public void close() {
		manager.close();
	}
}
