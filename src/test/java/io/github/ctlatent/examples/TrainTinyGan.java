package io.github.ctlatent.examples;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.train.Training;
import io.github.ctlatent.train.TrainingLoop;

import java.nio.file.Path;

/**
 * The whole way from nothing to a trained GAN, in miniature: renders a few synthetic thorax phantom volumes and
 * prepares them as a slice set of 32² slices ({@link PhantomToSliceSet}, the data stage's example), and trains a
 * narrow DCGAN for a few iterations through {@link Training}, the front door of training. The run folder then holds
 * weights, a resumable checkpoint, metrics.csv, loss.png, samples.png and model.json, whose recorded macro call
 * repeats the run in Fiji.
 * <p>
 * Run: {@code java ... TrainTinyGan [work-folder] [iterations]}.
 */
public final class TrainTinyGan {

	/** Phantoms, slice set and run folder under {@code work}. */
	public static TrainingLoop.Result run(Path work, int iterations, Monitor monitor) {
		PhantomToSliceSet.run(work, 3, 32, monitor);
		return Training.gan(work.resolve("slices")).output(work.resolve("run")).iterations(iterations).batchSize(8).widths(8, 8)
			.checkpointEvery(iterations).sampleEvery(iterations).device("cpu").run(monitor);
	}

	public static void main(String[] args) {
		Path work = Path.of(args.length > 0 ? args[0] : "tiny-gan");
		TrainingLoop.Result r = run(work, args.length > 1 ? Integer.parseInt(args[1]) : 20, Monitor.printing(System.out));
		System.out.println("trained " + r.iterations() + " iterations -> " + r.runFolder() + " " + r.metrics());
	}
}
