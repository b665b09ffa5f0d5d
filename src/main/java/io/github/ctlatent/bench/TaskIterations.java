package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.train.GanStep;
import io.github.ctlatent.train.GanTask;
import io.github.ctlatent.train.LatentPenalty;
import io.github.ctlatent.train.TimedIterations;
import io.github.ctlatent.train.TrainingTask;
import io.github.ctlatent.train.PositionAxis;
import io.github.ctlatent.train.TraversalCycle;
import io.github.ctlatent.train.VaeStep;
import io.github.ctlatent.train.VaeTask;
import io.github.ctlatent.train.TeacherAxes;
import io.github.ctlatent.train.WarpAxes;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;

import java.nio.file.Path;

/**
 * The benchmarks' training rows: {@link TimedIterations} (the code path users run) with the FLOPs of one
 * iteration, so that a row can also be read as a fraction of the machine's matmul ceiling.
 */
final class TaskIterations implements ProfileBenchmark.Row {

	private final TimedIterations iterations;
	private final double flopsPerImage;

	TaskIterations(TrainingTask task, int batchSize) {
		this(task, batchSize, Double.NaN);
	}

	private TaskIterations(TrainingTask task, int batchSize, double flopsPerImage) {
		this.iterations = new TimedIterations(task, batchSize);
		this.flopsPerImage = flopsPerImage;
	}

	/**
	 * The training rows benchmarks share by name: {@code gan64}/{@code vae64} (CPU preset, batch 64) and
	 * {@code gan128}/{@code vae128} (paper preset, batch 8), seeded with 1; {@code vae64cycle}: vae64 with the traversal
	 * cycle on (its second, decoder-only backward pass; no FLOP count); {@code gan64warp}/{@code vae64warp}: with the known
	 * warp axes' pull (16 walked codes drawn again and the fake or decoded starts warped on the CPU; no FLOP count);
	 * {@code gan64teacher}: with the shipped VAE's encoder teaching the axes (one encoder forward and backward of the batch).
	 */
	static TaskIterations row(String name) {
		return switch (name) {
			case "gan64" -> gan(DcganConfig.cpuDefault(), 64);
			case "gan128" -> gan(DcganConfig.paper(), 8);
			case "vae64" -> vae(VaeConfig.cpuDefault(), 64);
			case "vae128" -> vae(VaeConfig.paper(), 8);
			case "vae64cycle" -> new TaskIterations(new VaeTask(VaeConfig.cpuDefault(), Device.cpu(), 1, VaeStep.LEARNING_RATE, Losses.VAE_BETA, 1f, false,
				PositionAxis.OFF, new TraversalCycle(1f)), 64);
			case "gan64warp" -> new TaskIterations(new GanTask(DcganConfig.cpuDefault(), Device.cpu(), 1, GanStep.LEARNING_RATE, LatentPenalty.Options.NONE,
				WarpAxes.of(1f)), 64);
			case "vae64warp" -> new TaskIterations(new VaeTask(VaeConfig.cpuDefault(), Device.cpu(), 1).warp(WarpAxes.of(1f)), 64);
			case "gan64teacher" -> new TaskIterations(new GanTask(DcganConfig.cpuDefault(), Device.cpu(), 1).teacher(shippedTeacher()), 64);
			default -> throw new IllegalArgumentException("unknown training row " + name + " (gan64, gan128, vae64, vae128, vae64cycle, gan64warp, vae64warp, gan64teacher)");
		};
	}

	/**
	 * The shipped {@code models/phantom-vae} as a teacher, its spread measured on 256 of its own samples (the
	 * iteration's cost does not depend on which dimensions are taught; no slice set needed).
	 */
	private static TeacherAxes shippedTeacher() {
		Path vae = Path.of(System.getProperty("ctlatent.home", "."), "models", "phantom-vae");
		try (Generator g = Models.load(vae, Device.cpu())) {
			float[] codes = new float[256 * g.latentDim()];
			java.util.Random r = new java.util.Random(1);
			for (int i = 0; i < codes.length; i++) codes[i] = (float) r.nextGaussian();
			return TeacherAxes.load(vae, 1f, TeacherAxes.Units.DATA, g.images(codes), Device.cpu());
		}
	}

	static TaskIterations gan(DcganConfig c, int batchSize) {
		return new TaskIterations(new GanTask(c, Device.cpu(), 1), batchSize, Flops.ganIteration(c));
	}

	static TaskIterations vae(VaeConfig c, int batchSize) {
		return new TaskIterations(new VaeTask(c, Device.cpu(), 1), batchSize, Flops.vaeIteration(c));
	}

	int batchSize() {
		return iterations.batchSize();
	}

	/** FLOPs of one training iteration per image (NaN when built from a bare task). */
	double flopsPerImage() {
		return flopsPerImage;
	}

	/** One iteration. */
	@Override
	public void step() {
		iterations.step();
	}

	/** Seconds per iteration: the best of {@code reps} timed iterations after one warm-up. */
	double secondsPerIteration(int reps) {
		return iterations.secondsPerIteration(reps);
	}

	@Override
	public void close() {
		iterations.close();
	}
}
