package io.github.ctlatent.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.GanTask;
import io.github.ctlatent.train.TrainingTask;
import io.github.ctlatent.train.VaeTask;

import java.util.SplittableRandom;

/**
 * Training iterations exactly as {@code TrainingLoop} runs them — the task's own step with {@code train.Adam},
 * one sub-manager per iteration, a per-iteration random stream — on a fixed random batch, so that benchmarks
 * time the code path users run and nothing else (no data loading, no checkpoints).
 */
final class TaskIterations implements AutoCloseable {

	private final TrainingTask task;
	private final NDManager data;
	private final NDArray batch;
	private final int batchSize;
	private final double flopsPerImage;
	private long iteration;

	TaskIterations(TrainingTask task, int batchSize) {
		this(task, batchSize, Double.NaN);
	}

	private TaskIterations(TrainingTask task, int batchSize, double flopsPerImage) {
		this.task = task;
		this.batchSize = batchSize;
		this.flopsPerImage = flopsPerImage;
		this.data = Engines.pytorch().newBaseManager(Device.cpu());
		this.batch = data.randomUniform(-1f, 1f, new Shape(batchSize, 1, task.imageSize(), task.imageSize()));
	}

	/**
	 * The training rows benchmarks share by name: {@code gan64}/{@code vae64} (CPU preset, batch 64) and
	 * {@code gan128}/{@code vae128} (paper preset, batch 8), seeded with 1.
	 */
	static TaskIterations row(String name) {
		return switch (name) {
			case "gan64" -> gan(DcganConfig.cpuDefault(), 64);
			case "gan128" -> gan(DcganConfig.paper(), 8);
			case "vae64" -> vae(VaeConfig.cpuDefault(), 64);
			case "vae128" -> vae(VaeConfig.paper(), 8);
			default -> throw new IllegalArgumentException("unknown training row " + name + " (gan64, gan128, vae64, vae128)");
		};
	}

	static TaskIterations gan(DcganConfig c, int batchSize) {
		return new TaskIterations(new GanTask(c, Device.cpu(), 1), batchSize, Flops.ganIteration(c));
	}

	static TaskIterations vae(VaeConfig c, int batchSize) {
		return new TaskIterations(new VaeTask(c, Device.cpu(), 1), batchSize, Flops.vaeIteration(c));
	}

	int batchSize() {
		return batchSize;
	}

	/** FLOPs of one training iteration per image (NaN when built from a bare task). */
	double flopsPerImage() {
		return flopsPerImage;
	}

	/** One iteration. */
	void step() {
		try (NDManager it = data.newSubManager()) {
			task.step(it, batch, new SplittableRandom(++iteration));
		}
	}

	/** Seconds per iteration: the best of {@code reps} timed iterations after one warm-up (optimizer state, kernel choice). */
	double secondsPerIteration(int reps) {
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
