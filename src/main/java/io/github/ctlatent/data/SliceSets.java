package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.io.VolumeReaders;

import java.nio.file.Path;

/**
 * The data stage's front door: CT volumes in, a prepared slice set folder out (see {@link SlicePreparation} for what
 * is read and written, {@link SliceSet} to read it back).
 * <pre>
 * SliceSets.Written w = SliceSets.of(ctFolder).size(64).testFraction(0.15).seed(1).write(sliceSetFolder, monitor);
 * </pre>
 * Defaults are the "Prepare Slice Set" command's, which is wiring over this class: the paper's HU window
 * [−1000, 2000] and Lanczos-4 resampling at 64², a tenth of the patients held out, Hounsfield units required.
 * Thorax phantoms to prepare come from {@link io.github.ctlatent.data.phantom.Phantoms}.
 */
public final class SliceSets {

	/** The card of the written set, its folder and the printed summary (first line, then warnings). */
	public record Written(DatasetCard card, Path folder, String summary) {}

	private final Path folder;
	private final Volume volume;
	private double huMin = -1000, huMax = 2000, testFraction = 0.1;
	private int size = Preprocessing.CPU_SIZE;
	private String interpolation = "lanczos4";
	private long seed = 1;
	private boolean skipBad, allowNonHounsfield, overwrite;

	private SliceSets(Path folder, Volume volume) {
		this.folder = folder;
		this.volume = volume;
	}

	/** Every CT volume in {@code folder} (DICOM series, NIfTI, TIFF; searched recursively), split by patient. */
	public static SliceSets of(Path folder) {
		if (folder == null) throw new ExplorerException("Give the folder of CT volumes to prepare.");
		return new SliceSets(folder, null);
	}

	/** One volume in memory, split by slab (see {@code Splits}). */
	public static SliceSets of(Volume volume) {
		if (volume == null) throw new ExplorerException("Give the volume to prepare.");
		return new SliceSets(null, volume);
	}

	/** One image (in Fiji: an open CT stack), with its calibration. */
	public static SliceSets of(ij.ImagePlus image) {
		if (image == null) throw new ExplorerException("Give the image to prepare.");
		return of(VolumeReaders.fromImagePlus(image));
	}

	/** Slice side in pixels (paper 128, CPU default 64). */
	public SliceSets size(int pixels) { size = pixels; return this; }

	/** The HU window mapped to [−1, 1] (paper −1000, 2000). */
	public SliceSets window(double min, double max) { huMin = min; huMax = max; return this; }

	/** lanczos4 (the paper's), bilinear or area. */
	public SliceSets interpolation(String name) { interpolation = name; return this; }

	/** All of the above at once. */
	public SliceSets preprocessing(Preprocessing p) {
		return size(p.size()).window(p.huMin(), p.huMax()).interpolation(p.interpolation());
	}

	/** Share held out for testing: of the patients, or of the slices as one slab when there is a single volume. */
	public SliceSets testFraction(double f) { testFraction = f; return this; }

	/** Seed of the patient-wise split. */
	public SliceSets seed(long s) { seed = s; return this; }

	/** Leave unreadable files out (listed in the card and the log) instead of stopping. */
	public SliceSets skipBad(boolean b) { skipBad = b; return this; }

	/** Accept inputs not known to be CT in Hounsfield units (e.g. MR). */
	public SliceSets allowNonHounsfield(boolean b) { allowNonHounsfield = b; return this; }

	/** Replace an existing slice set (only one this tool wrote) at the output. */
	public SliceSets overwrite(boolean b) { overwrite = b; return this; }

	public SlicePreparation.Options options() {
		return new SlicePreparation.Options(new Preprocessing(huMin, huMax, size, interpolation), seed, testFraction, skipBad, !allowNonHounsfield, overwrite);
	}

	/** Prepares the slices into {@code output}, holding its lock, and returns the card. */
	public Written write(Path output, Monitor monitor) {
		if (output == null) throw new ExplorerException("Give the output folder of the slice set.");
		SlicePreparation.Options o = options();
		// refusals first (a symbolic link, the root, overlap with the input), then the lock on the real path
		if (folder != null) Outputs.requireApart("output", output, java.util.Map.of("input", folder));
		Outputs.requireFreeFolder("output", output, o.overwrite(), "slice set", DatasetCard.FILE);
		try (OutputLock lock = OutputLock.acquire(output, "Prepare Slice Set", monitor)) {
			DatasetCard card = folder != null ? SlicePreparation.fromFolder(folder, output, o, monitor) : SlicePreparation.fromVolume(volume, output, o, monitor);
			String[] lines = card.summary().split("\n", 2); // "-> output" after the first line, warnings below it
			return new Written(card, output, lines[0] + " -> " + output + (lines.length > 1 ? "\n" + lines[1] : ""));
		}
	}
}
