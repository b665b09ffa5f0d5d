package io.github.ctlatent.data;

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
	public List<Skipped> skipped = new ArrayList<>();
	/** Pixel size of a prepared slice in mm (median over volumes of spacing × original width / size). */
	public double pixelSizeMm = 1;
	/** Median slice spacing of the input volumes in mm (the physical meaning of "one slice" for 3D claims). */
	public double sliceSpacingMm = 1;
	/** Per-slice ground-truth factors (phantom input), relative to the slice set folder; null when unknown. */
	public String factorsFile;

	public static DatasetCard read(Path folder) {
		return Json.read(folder.resolve(FILE), DatasetCard.class);
	}
}
