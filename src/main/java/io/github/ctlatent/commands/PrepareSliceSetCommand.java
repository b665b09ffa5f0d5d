package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SliceSets;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** CT volumes (a folder, or the open image) → a prepared slice set with its dataset card. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Data>Prepare Slice Set", headless = true,
	description = "Read CT volumes (DICOM/NIfTI/TIFF folder or an open image), apply the paper's preprocessing, write a slice set.")
public class PrepareSliceSetCommand extends ExplorerCommand {

	@Parameter(required = false, label = "Input folder", style = "directory", description = "folder of DICOM series, NIfTI or TIFF files (searched recursively)")
	private File input;

	@Parameter(required = false, label = "Or an open image", description = "an image instead of a folder (in Fiji: an open CT stack)")
	private ImagePlus image;

	@Parameter(label = "Output folder", style = "directory", description = "the slice set folder to create")
	private File output;

	@Parameter(required = false, min = "8", max = "2048", description = "slice side in pixels (paper 128, CPU default 64)")
	private int size = Preprocessing.CPU_SIZE;

	@Parameter(required = false, description = "lower HU window edge (paper -1000)")
	private double hu_min = -1000;

	@Parameter(required = false, description = "upper HU window edge (paper 2000)")
	private double hu_max = 2000;

	@Parameter(required = false, choices = {"lanczos4", "bilinear", "area"}, description = "resampling (paper: OpenCV Lanczos-4, no antialias)")
	private String interpolation = "lanczos4";

	@Parameter(required = false, min = "0", max = "0.9", description = "share held out for testing: of the volumes (patients), or of the slices as one slab when there is a single volume")
	private double test_fraction = 0.1;

	@Parameter(required = false, description = "seed of the patient-wise split")
	private long seed = 1;

	@Parameter(required = false, description = "skip unreadable files (listed) instead of stopping")
	private boolean skip_bad;

	@Parameter(required = false, description = "accept inputs not known to be CT in Hounsfield units (e.g. MR)")
	private boolean allow_non_hu;

	@Parameter(required = false, description = "replace an existing slice set at the output folder")
	private boolean overwrite;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		if ((input == null) == (image == null))
			throw new ExplorerException("Give either an input folder (input=...) or an image (image=...), not " + (input == null ? "neither." : "both."));
		summary = (input != null ? SliceSets.of(input.toPath()) : SliceSets.of(image)).size(size).window(hu_min, hu_max).interpolation(interpolation)
			.testFraction(test_fraction).seed(seed).skipBad(skip_bad).allowNonHounsfield(allow_non_hu).overwrite(overwrite).write(output.toPath(), monitor).summary();
	}
}
