package io.github.ctlatent.examples;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SlicePreparation;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.train.Training;
import io.github.ctlatent.train.TrainingLoop;

import java.nio.file.Path;

/**
 * The whole way from nothing to a trained GAN, in miniature: renders a few synthetic thorax phantom volumes
 * ({@link PhantomGenerator}), prepares them as a slice set of 32² slices ({@link SlicePreparation}), and trains a
 * narrow DCGAN for a few iterations through {@link Training}, the front door of training. The run folder then holds
 * weights, a resumable checkpoint, metrics.csv, loss.png, samples.png and model.json, whose recorded macro call
 * repeats the run in Fiji.
 * <p>
 * Run: {@code java ... TrainTinyGan [work-folder] [iterations]}.
 */
public final class TrainTinyGan {

	/** Phantoms, slice set and run folder under {@code work}. */
	public static TrainingLoop.Result run(Path work, int iterations, Monitor monitor) {
		PhantomGenerator.generate(3, 64, 12, 1, PhantomGenerator.Format.NIFTI, work.resolve("phantom"), 10, monitor);
		Preprocessing at32 = new Preprocessing(Preprocessing.cpuDefault().huMin(), Preprocessing.cpuDefault().huMax(), 32,
			Preprocessing.cpuDefault().interpolation());
		SlicePreparation.fromFolder(work.resolve("phantom"), work.resolve("slices"),
			new SlicePreparation.Options(at32, 1, 0.34, false, true, false), monitor);
		return Training.gan(work.resolve("slices")).output(work.resolve("run")).iterations(iterations).batchSize(8).widths(8, 8)
			.checkpointEvery(iterations).sampleEvery(iterations).device("cpu").run(monitor);
	}

	public static void main(String[] args) {
		Path work = Path.of(args.length > 0 ? args[0] : "tiny-gan");
		TrainingLoop.Result r = run(work, args.length > 1 ? Integer.parseInt(args[1]) : 20, Monitor.printing(System.out));
		System.out.println("trained " + r.iterations() + " iterations -> " + r.runFolder() + " " + r.metrics());
	}
}
