package io.github.ctlatent.data;

import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a slice set is made of and how, saved as {@code dataset.json} beside the slices and carried by every model
 * trained on it, so that generated images can be mapped back to HU and a run can be traced to its data.
 */
public final class DatasetCard {

	public static final String FILE = "dataset.json";
	public static final int FORMAT_VERSION = 1;

	/** One input volume: which slices of the set it owns and which split it belongs to. */
	public record VolumeEntry(String id, String source, int firstSlice, int slices, String split, int width, int height,
		double[] spacing, Map<String, String> metadata) {}

	/**
	 * Slices {@code firstSlice … firstSlice + slices − 1} (indices in the set) of one volume assigned to {@code split}
	 * ("train", "test", or "gap": in neither, so that neighbouring slices do not leak between the splits).
	 */
	public record Slab(String volume, int firstSlice, int slices, String split) {}

	/** A file left out because it could not be read. */
	public record Skipped(String file, String reason) {}

	public int formatVersion = FORMAT_VERSION;
	public String name;
	public String created;
	public String tool;
	public Preprocessing preprocessing;
	/** Augmentation the paper applied at training time (applied by the batch source on request, not stored). */
	public Augmentation trainAugmentation = Augmentation.paper();
	public long splitSeed;
	public double testFraction;
	public int sliceCount, trainSlices, testSlices;
	public List<VolumeEntry> volumes = new ArrayList<>();
	/** How the split was made: "volumes" (patient-wise), "slabs" (too few volumes: slabs of slices with gaps) or "none". */
	public String split;
	/** The split in words, with what it means for held-out figures (logged at preparation and by training). */
	public String splitNote;
	/** The slabs of a slab split (volumes whose split is "slabs"); empty for a split by volume. */
	public List<Slab> slabs = new ArrayList<>();
	/** Window fill per volume and overall, with the warnings shown at preparation (null for older sets). */
	public DataHealth.Report health;
	public List<Skipped> skipped = new ArrayList<>();
	/** Pixel size of a prepared slice in mm (median over volumes of spacing × original width / size). */
	public double pixelSizeMm = 1;
	/** Median slice spacing of the input volumes in mm (the physical meaning of "one slice" for 3D claims). */
	public double sliceSpacingMm = 1;
	/** Per-slice ground-truth factors (phantom input), relative to the slice set folder; null when unknown. */
	public String factorsFile;

	/** The split of every slice ("train", "test", "gap"): the volumes' splits, then their slabs. */
	/** One line: slices, size, split, volumes, skipped files; then a line per health warning. */
	public String summary() {
		String by = split.equals("slabs") ? "slab" : split.equals("volumes") ? "volume" : "nothing: no test set";
		StringBuilder sb = new StringBuilder(String.format("%d slices of %d² (%d train, %d test, split by %s) from %d volumes, %d skipped", sliceCount,
			preprocessing.size(), trainSlices, testSlices, by, volumes.size(), skipped.size()));
		for (String w : health.warnings()) sb.append("\nWARNING: ").append(w);
		return sb.toString();
	}

	public String[] splitPerSlice() {
		String[] splitOf = new String[sliceCount];
		for (VolumeEntry e : volumes) java.util.Arrays.fill(splitOf, e.firstSlice(), e.firstSlice() + e.slices(), e.split());
		for (Slab b : slabs) java.util.Arrays.fill(splitOf, b.firstSlice(), b.firstSlice() + b.slices(), b.split());
		return splitOf;
	}

	public static DatasetCard read(Path folder) {
		return Json.read(folder.resolve(FILE), DatasetCard.class).validated(folder.resolve(FILE));
	}

	/** Checks every number a reader relies on (a hand-edited or damaged card is one clear error naming the file). */
	public DatasetCard validated(Path file) {
		if (preprocessing == null) throw new ExplorerException(file + " has no preprocessing section; prepare the slice set again.");
		Checks.inRange(file, "preprocessing.huMin", preprocessing.huMin(), -1e5, 1e5);
		Checks.inRange(file, "preprocessing.huMax", preprocessing.huMax(), -1e5, 1e5);
		Checks.inRange(file, "testFraction", testFraction, 0, 1);
		Checks.inRange(file, "sliceCount", sliceCount, 0, Integer.MAX_VALUE);
		Checks.inRange(file, "trainSlices", trainSlices, 0, sliceCount);
		Checks.inRange(file, "testSlices", testSlices, 0, sliceCount);
		Checks.inRange(file, "pixelSizeMm", pixelSizeMm, 1e-6, 1e4);
		Checks.inRange(file, "sliceSpacingMm", sliceSpacingMm, 0, 1e4);
		if (volumes == null) volumes = new ArrayList<>();
		if (skipped == null) skipped = new ArrayList<>();
		if (slabs == null) slabs = new ArrayList<>();
		for (Slab b : slabs)
			if (b == null || b.split() == null || b.firstSlice() < 0 || b.slices() < 0 || (long) b.firstSlice() + b.slices() > sliceCount)
				throw new ExplorerException(file + " lists a slab outside the set's " + sliceCount + " slices; the card is damaged. Prepare the slice set again.");
		for (VolumeEntry v : volumes) {
			if (v == null || v.split() == null) throw new ExplorerException(file + " lists a volume without a split; prepare the slice set again.");
			if (v.firstSlice() < 0 || v.slices() < 0 || (long) v.firstSlice() + v.slices() > sliceCount)
				throw new ExplorerException(file + ": volume " + v.id() + " claims slices " + v.firstSlice() + "+" + v.slices() + " of " + sliceCount
					+ "; the card is damaged. Prepare the slice set again.");
		}
		return this;
	}
}
