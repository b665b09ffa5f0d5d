package io.github.ctlatent.examples;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.SliceSets;
import io.github.ctlatent.data.phantom.Phantoms;

import java.nio.file.Path;

/**
 * The data stage from nothing: renders a few synthetic thorax volumes with known anatomy factors
 * ({@link Phantoms}, written as NIfTI with their factors.csv) and prepares them as a slice set ({@link SliceSets}:
 * the paper's HU window and Lanczos-4 resampling, a third of the patients held out). The slice set folder holds
 * the slices, slices.csv, the carried-over factors.csv and dataset.json, the card every later stage reads.
 * <p>
 * Run: {@code java ... PhantomToSliceSet [work-folder] [volumes] [size]}.
 */
public final class PhantomToSliceSet {

	/** {@code volumes} phantoms of 64² × 12 slices under {@code work/phantom}, a slice set of {@code size}² in {@code work/slices}. */
	public static SliceSets.Written run(Path work, int volumes, int size, Monitor monitor) {
		Phantoms.thorax().count(volumes).size(64).slices(12).format("nifti").seed(1).write(work.resolve("phantom"), monitor);
		return SliceSets.of(work.resolve("phantom")).size(size).testFraction(0.34).seed(1).write(work.resolve("slices"), monitor);
	}

	public static void main(String[] args) {
		Path work = Path.of(args.length > 0 ? args[0] : "tiny-data");
		SliceSets.Written w = run(work, args.length > 1 ? Integer.parseInt(args[1]) : 3, args.length > 2 ? Integer.parseInt(args[2]) : 32,
			Monitor.printing(System.out));
		System.out.println(w.summary());
		System.out.println(SliceSet.open(w.folder()).indices(SliceSet.Split.TRAIN).length + " training slices, ready for Training.gan(" + w.folder() + ")");
	}
}
