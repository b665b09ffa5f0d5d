package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.model.Generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One model's training, as the {@link TrainingLoop} drives it: the loop owns iteration count, data, checkpoints,
 * metrics and pictures; the task owns networks, optimizers and the loss of one iteration.
 * <p>
 * Randomness inside {@link #step} (latent noise, label smoothing, reparameterisation) must come from the given
 * {@code rng}, which the loop derives from (seed, iteration): a resumed run then draws exactly what an
 * uninterrupted one would have.
 */
public interface TrainingTask extends AutoCloseable {

	/** "dcgan" or "vae": names the model kind in the card and the file layout. */
	String kind();

	/** One iteration on a real batch (B, 1, S, S); returns named losses/statistics (finite unless training diverged). */
	Map<String, Double> step(NDManager iteration, NDArray real, SplittableRandom rng);

	/**
	 * As {@link #step(NDManager, NDArray, SplittableRandom)} at the run's 0-based iteration {@code index}, for tasks
	 * whose loss follows a schedule (lazy regularisation): the loop passes the index, so a resumed run keeps the
	 * schedule an uninterrupted one has.
	 */
	default Map<String, Double> step(NDManager iteration, NDArray real, SplittableRandom rng, long index) {
		return step(iteration, real, rng);
	}

	/**
	 * The next batch's pair offsets ({@link io.github.ctlatent.data.SliceBatches#pairOffsets()}), given before each
	 * step of a paired run, for a loss that uses where the slices lie; ignored by default.
	 */
	default void pairOffsets(float[] offsets) {}

	/** The next batch's geometric changes ({@link io.github.ctlatent.data.SliceBatches#pairChanges()}), likewise; ignored by default. */
	default void pairChanges(float[][] changes) {}

	/** Multiplies every optimizer's base learning rate by {@code factor} from the next step on (the loop's schedule). */
	void scaleLearningRate(double factor);

	/** The optimizers' base learning rate (before the schedule), named in advice after a divergence; NaN if unknown. */
	default double baseLearningRate() {
		return Double.NaN;
	}

	/** Latent size d of the generator being trained. */
	int latentDim();

	/** Side of the images it makes. */
	int imageSize();

	ai.djl.Device device();

	/** A frozen eval-mode copy of the current generator (samples, quality metric); the caller closes it. */
	Generator snapshot();

	/** Extra held-out figures computed at evaluation points (e.g. VAE reconstruction error); may be empty. */
	default Map<String, Double> evaluate(NDManager manager, NDArray heldOut) {
		return Map.of();
	}

	/** Reconstructions of {@code images} (each S², in [−1, 1]) for a model that has them (a VAE, z = μ); null otherwise. */
	default float[][] reconstruct(NDManager manager, float[][] images) {
		return null;
	}

	/** Weights and optimizer state for an exact resume, written into an (empty, temporary) folder. */
	void saveState(Path folder) throws IOException;

	void loadState(Path folder) throws IOException;

	/** The final weights as a run folder holds them (e.g. generator.params + discriminator.params). */
	void saveWeights(Path runFolder) throws IOException;

	/** Architecture and hyper-parameters for the model card. */
	Map<String, Object> settings();

	@Override
	void close();
}
