package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import io.github.ctlatent.model.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.Generator;

import java.util.List;
import java.util.SplittableRandom;

/** Builds and initialises the reconstructors of docs/method.md §4.4. */
public final class Reconstructors {

	/** PyTorch's BatchNorm defaults (update 0.1, eps 1e-5); DJL's momentum is the weight of the old value. */
	private static final float BN_MOMENTUM = 0.9f, BN_EPS = 1e-5f;

	private Reconstructors() {}

	/**
	 * A reconstructor of the given type for K directions and S×S images, its parameters created in
	 * {@code manager} and initialised from {@code rnd}.
	 */
	public static Reconstructor create(ReconstructorType type, int directions, int imageSize, NDManager manager, SplittableRandom rnd) {
		Reconstructor r = switch (type) {
			case LENET -> lenet(directions, imageSize);
			case RESNET -> resnet18(directions, imageSize);
		};
		r.initialize(manager, DataType.FLOAT32, new Shape(2, 2, imageSize, imageSize));
		r.initializeParameters(rnd);
		return r;
	}

	/**
	 * LeNet of the original with width 2: Conv5×5(2→6) → BN → ReLU → MaxPool2 → Conv5×5(6→16) → BN → ReLU → MaxPool2
	 * → Conv5×5(16→120) → BN → ReLU → global average pool (120); heads Linear(120→84) → BN1d → ReLU → Linear(84→K)
	 * and the same with Linear(84→1). No padding anywhere, so S ≥ 32 (32 → 28 → 14 → 10 → 5 → 1).
	 */
	public static Reconstructor lenet(int directions, int imageSize) {
		if (imageSize < 32)
			throw new ExplorerException("The LeNet reconstructor needs images of at least 32×32 (unpadded 5×5 convolutions), got "
				+ imageSize + "×" + imageSize + ". Use reconstructor=resnet or a larger generator.");
		SequentialBlock f = new SequentialBlock();
		f.add(conv(6, 5, 1, 0, true)).add(bn()).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
		f.add(conv(16, 5, 1, 0, true)).add(bn()).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
		f.add(conv(120, 5, 1, 0, true)).add(bn()).add(Activation.reluBlock()).add(globalAveragePool());
		return new Reconstructor(ReconstructorType.LENET, directions, f, lenetHead(directions), lenetHead(1));
	}

	/** Multiply-adds of one LeNet forward pass per image pair (convolutions and heads). */
	public static double lenetMacs(int directions, int imageSize) {
		int s1 = imageSize - 4, p1 = s1 / 2, s2 = p1 - 4, p2 = s2 / 2, s3 = p2 - 4;
		return (double) s1 * s1 * 6 * 2 * 25 + (double) s2 * s2 * 16 * 6 * 25 + (double) s3 * s3 * 120 * 16 * 25
			+ 2 * 120 * 84 + 84.0 * (directions + 1);
	}

	private static Block lenetHead(int outputs) {
		return new SequentialBlock().add(linear(84)).add(bn()).add(Activation.reluBlock()).add(linear(outputs));
	}

	/**
	 * torchvision's ResNet-18 (basic blocks [2, 2, 2, 2], widths 64–512), randomly initialised, with the stem
	 * Conv7×7(2→64, stride 2, pad 3, no bias); features = the 512-d global average pool; heads Linear(512→K) and
	 * Linear(512→1). The unused 1000-way fc of the original is not built (it never influenced a result).
	 * <p>
	 * Deviation: the CT paper's ResNet path fed the first image twice ([G(z), G(z)] instead of [G(z), G(z+shift)]),
	 * which leaves the reconstructor blind to the shift; we feed the pair. {@code DiscoverySettings.resnetFirstImageTwice}
	 * reproduces the original.
	 */
	public static Reconstructor resnet18(int directions, int imageSize) {
		if (imageSize < 32) throw new ExplorerException("The ResNet-18 reconstructor needs images of at least 32×32, got " + imageSize + ".");
		SequentialBlock f = new SequentialBlock();
		f.add(conv(64, 7, 2, 3, false)).add(bn()).add(Activation.reluBlock())
			.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
		int in = 64;
		for (int stage = 0; stage < 4; stage++) {
			int width = 64 << stage;
			for (int b = 0; b < 2; b++) {
				int stride = stage > 0 && b == 0 ? 2 : 1;
				f.add(basicBlock(in, width, stride));
				in = width;
			}
		}
		f.add(globalAveragePool());
		return new Reconstructor(ReconstructorType.RESNET, directions, f, linear(directions), linear(1));
	}

	private static Block basicBlock(int in, int out, int stride) {
		SequentialBlock main = new SequentialBlock().add(conv(out, 3, stride, 1, false)).add(bn()).add(Activation.reluBlock())
			.add(conv(out, 3, 1, 1, false)).add(bn());
		Block skip = stride != 1 || in != out ? new SequentialBlock().add(conv(out, 1, stride, 0, false)).add(bn()) : Blocks.identityBlock();
		return new ParallelBlock(list -> new NDList(Activation.relu(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow()))),
			List.of(main, skip));
	}

	private static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
		return Conv2d.of(filters, kernel, stride, pad, bias);
	}

	private static Block bn() {
		return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPS).build();
	}

	private static Block linear(int units) {
		return Linear.builder().setUnits(units).build();
	}

	/** Mean over H and W: (B, C, H, W) → (B, C). */
	private static Block globalAveragePool() {
		return new LambdaBlock(list -> {
			NDArray x = list.singletonOrThrow();
			Shape s = x.getShape();
			return new NDList(x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] {2})); // PyTorch engine: one axis only
		}, "globalAveragePool");
	}

	/**
	 * The reconstructor's input for latents z (B, d, 1, 1) and latent shifts: the channel concatenation
	 * [G(z), G(z + shift)] (B, 2, S, S), rendered in one generator call of 2B latents (eval mode makes that
	 * identical to two calls). {@code firstImageTwice} reproduces the CT code's ResNet bug, [G(z), G(z)].
	 */
	static NDArray render(Generator generator, NDArray z, NDArray shift, boolean firstImageTwice) {
		int n = Math.toIntExact(z.getShape().get(0));
		NDArray images = generator.generate(z.concat(z.add(shift), 0));
		NDArray original = images.get(new NDIndex("0:" + n));
		NDArray shifted = firstImageTwice ? original : images.get(new NDIndex(n + ":"));
		return original.concat(shifted, 1);
	}
}
