package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.phantom.Phantoms;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** Writes synthetic thorax CT volumes with known anatomy factors (the project's ground-truth data). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Data>Generate Thorax Phantom", headless = true,
	description = "Render synthetic thorax CT volumes (DICOM series, NIfTI or TIFF) with per-slice factor table factors.csv.")
public class GeneratePhantomCommand extends ExplorerCommand {

	@Parameter(label = "Output folder", style = "directory", description = "folder to write the volumes and factors.csv into")
	private File output;

	@Parameter(required = false, min = "1", max = "100000", description = "number of volumes (patients)")
	private int count = 10;

	@Parameter(required = false, min = "16", max = "4096", description = "in-plane size in pixels")
	private int size = 128;

	@Parameter(required = false, min = "2", max = "4096", description = "slices per volume, apex to upper abdomen")
	private int slices = 96;

	@Parameter(required = false, choices = {"dicom", "nifti", "tiff"}, description = "file format")
	private String format = "dicom";

	@Parameter(required = false, description = "random seed (same seed, same volumes)")
	private long seed = 1;

	@Parameter(required = false, min = "0", max = "10000", description = "Gaussian noise std in HU")
	private double noise = 10;

	@Parameter(required = false, description = "replace an existing phantom data set (only one this tool wrote: it holds phantom.json)")
	private boolean overwrite;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		summary = Phantoms.thorax().count(count).size(size).slices(slices).format(format).seed(seed).noise(noise).overwrite(overwrite)
			.write(output.toPath(), monitor).line();
	}
}
