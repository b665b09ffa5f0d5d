package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The encoder of a trained VAE run folder: posterior means μ of real slices, so that a traversal can start from a
 * patient's slice and PCA can run on the codes of real data (docs/method.md §3: z = μ in eval mode).
 */
public final class VaeEncoder implements AutoCloseable {

	private final VaeConfig config;
	private final NDManager manager;
	private final ResNetVae.Encoder encoder;
	private final ParameterStore ps;

	private VaeEncoder(VaeConfig config, NDManager manager, ResNetVae.Encoder encoder) {
		this.config = config;
		this.manager = manager;
		this.encoder = encoder;
		this.ps = new ParameterStore(manager, false);
		encoder.freezeParameters(true);
	}

	/** Loads {@code encoder.params} of a VAE run folder. */
	public static VaeEncoder load(Path run, Device device) {
		ModelCard card = Models.card(run);
		if (!"vae".equals(card.kind))
			throw new ExplorerException("Encoding real slices needs a VAE run folder; " + run + " holds a " + card.kind + ". Use a seed for the base latent instead.");
		Path w = run.resolve("encoder.params");
		if (!Files.isRegularFile(w)) throw new ExplorerException("VAE run folder " + run + " has no encoder.params.");
		VaeConfig c = Models.config(card, VaeConfig.class);
		// only the encoder: the decoder (the larger half) is not needed to compute posterior means
		return OwnedManager.build(device, manager -> {
			ResNetVae.Encoder e = ResNetVae.encoderBlock(c);
			e.initialize(manager, DataType.FLOAT32, new Shape(1, c.channels(), c.imageSize(), c.imageSize()));
			ModelFiles.load(e, w, "VAE encoder " + c);
			return new VaeEncoder(c, manager, e);
		});
	}

	public int imageSize() {
		return config.imageSize();
	}

	public int latentDim() {
		return config.latentDim();
	}

	/** μ for each image (size² values in model units [−1, 1], x fastest). */
	public float[][] encode(float[][] images) {
		int s = imageSize(), d = latentDim();
		float[][] out = new float[images.length][];
		try (NDManager m = manager.newSubManager()) {
			for (int from = 0; from < images.length; from += 64) {
				int b = Math.min(64, images.length - from);
				float[] x = new float[b * s * s];
				for (int i = 0; i < b; i++) {
					if (images[from + i].length != s * s)
						throw new ExplorerException("The VAE encodes " + s + "² slices; got an image of " + images[from + i].length + " values.");
					System.arraycopy(images[from + i], 0, x, i * s * s, s * s);
				}
				try (NDManager it = m.newSubManager()) {
					float[] mu = encoder.forward(ps, new NDList(it.create(x, new Shape(b, 1, s, s))), false).get(0).toFloatArray();
					for (int i = 0; i < b; i++) out[from + i] = java.util.Arrays.copyOfRange(mu, i * d, (i + 1) * d);
				}
			}
		}
		return out;
	}

	/**
	 * μ of a batch of images (B, c, S, S) in model units, (B, d): eval mode, the weights frozen, but carrying the
	 * gradient into the images, so that a generator can be trained through this encoder (a teacher).
	 */
	public NDArray means(NDArray images) {
		return encoder.forward(ps, new NDList(images), false).get(0).reshape(images.getShape().get(0), latentDim());
	}

	@Override
	public void close() {
		manager.close();
	}
}
