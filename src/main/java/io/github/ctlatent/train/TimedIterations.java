package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;

import java.util.SplittableRandom;

/**
 * Training iterations exactly as {@link TrainingLoop} runs them — the task's own step and optimizer, one
 * sub-manager per iteration, a per-iteration random stream — on a fixed random batch, so that whoever times
 * training (the numerics probe, the benchmarks) times the code path users run and nothing else (no data loading,
 * no checkpoints). Closes the task with itself.
 */
public final class TimedIterations implements AutoCloseable {

	private final TrainingTask task;
	private final NDManager data;
	private final NDArray batch;
	private final int batchSize;
	private long iteration;

	public TimedIterations(TrainingTask task, int batchSize) {
		this.task = task;
		this.batchSize = batchSize;
		this.data = Engines.pytorch().newBaseManager(Device.cpu());
		this.batch = data.randomUniform(-1f, 1f, new Shape(batchSize, 1, task.imageSize(), task.imageSize()));
	}

	public int batchSize() {
		return batchSize;
	}

	/** One iteration. */
	public void step() {
		try (NDManager it = data.newSubManager()) {
			task.step(it, batch, new SplittableRandom(++iteration));
		}
	}

	/** Seconds per iteration: the best of {@code reps} timed iterations after one warm-up (optimizer state, kernel choice). */
	public double secondsPerIteration(int reps) {
		step();
		double best = Double.POSITIVE_INFINITY;
		for (int i = 0; i < reps; i++) {
			long t0 = System.nanoTime();
			step();
			best = Math.min(best, (System.nanoTime() - t0) / 1e9);
		}
		return best;
	}

	@Override
	public void close() {
		data.close();
		task.close();
	}
}
