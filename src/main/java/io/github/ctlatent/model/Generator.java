package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A frozen image generator as every exploration stage sees it: the DCGAN generator, the VAE decoder, or an
 * external TorchScript module. Latents are NCHW tensors of shape (B, latentDim, 1, 1) (docs/method.md §7.1);
 * images are (B, 1, size, size) in the model's output range (tanh: [-1, 1]).
 * <p>
 * {@link #generate} always runs in eval mode (BatchNorm uses running statistics) but keeps the autograd graph,
 * so inside a {@code GradientCollector} gradients flow through the generator to {@code z} while its own
 * weights are never updated.
 */
public interface Generator extends AutoCloseable {

	/** Latent size d. */
	int latentDim();

	/** Output image side (images are square, one channel). */
	int imageSize();

	/** Images for latents {@code z} (B, d, 1, 1) → (B, 1, size, size), eval mode, graph kept. */
	NDArray generate(NDArray z);

	/**
	 * Renders {@code latents} (n·d values, one latent after the other) without a graph, 64 at a time, into one
	 * size² plane per image (x fastest): what samples, traversals and quality metrics consume.
	 */
	default float[][] images(float[] latents) {
		int d = latentDim(), size = imageSize(), n = latents.length / d;
		float[][] out = new float[n][];
		try (NDManager m = NDManager.newBaseManager(device())) {
			for (int from = 0; from < n; from += 64) {
				int b = Math.min(64, n - from);
				float[] zb = java.util.Arrays.copyOfRange(latents, from * d, (from + b) * d);
				try (NDManager it = m.newSubManager()) {
					float[] img = generate(it.create(zb, new ai.djl.ndarray.types.Shape(b, d, 1, 1))).toFloatArray();
					for (int i = 0; i < b; i++) out[from + i] = java.util.Arrays.copyOfRange(img, i * size * size, (i + 1) * size * size);
				}
			}
		}
		return out;
	}

	/** The device the generator's weights live on; latents must be created there. */
	Device device();

	/** The manager that owns the weights (create per-iteration sub-managers from it). */
	NDManager manager();

	/** A stable hash of architecture and weights: direction sets are tied to it. */
	String fingerprint();

	/**
	 * The generator's first layer as a linear map of the latent, as a (features × d) row-major matrix, when
	 * that layer is linear in z (DCGAN: the 1×1→4×4 transposed convolution; VAE decoder: the first ResUp block's
	 * convolutions of the 1×1 latent); null otherwise. Used by SeFa.
	 */
	default float[][] firstLayerLinearMap() {
		return null;
	}

	@Override
	void close();
}
