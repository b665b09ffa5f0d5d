package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A frozen image generator as every exploration stage sees it: the DCGAN generator, the VAE decoder, or an
 * external TorchScript module. Latents are NCHW tensors of shape (B, latentDim, 1, 1) (METHOD.md §7.1);
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

	/** The device the generator's weights live on; latents must be created there. */
	Device device();

	/** The manager that owns the weights (create per-iteration sub-managers from it). */
	NDManager manager();

	/** A stable hash of architecture and weights: direction sets are tied to it. */
	String fingerprint();

	/**
	 * The generator's first layer as a linear map of the latent, as a (features × d) row-major matrix, when
	 * that layer is linear in z (DCGAN: the 1×1→4×4 transposed convolution); null otherwise. Used by SeFa.
	 */
	default float[][] firstLayerLinearMap() {
		return null;
	}

	@Override
	void close();
}
