package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.Traversals;
import io.github.ctlatent.view.ExportFolder;
import io.github.ctlatent.view.ViewOptions;
import io.github.ctlatent.view.Views;
import io.github.ctlatent.view.WalkImages;
import io.github.ctlatent.picture.Window;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.util.List;

/**
 * Walks directions and returns the walk as a calibrated hyperstack (shift as z, directions as channels, bases as
 * time points); with {@code output=} it also writes the walks (TIFF by default, or every export), which is how a
 * headless run or a script gets them: Fiji's headless mode does not keep image outputs.
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Traverse Directions", headless = true,
	description = "Render latent traversals as an ImageJ hyperstack (x, y, shift, direction; bases as time) in HU, plus the x-shift reslice; output= writes them.")
public class TraverseDirectionsCommand extends TraversalCommand {

	@Parameter(required = false, choices = {"auto", "lung", "mediastinum", "full"}, description = "display window (and PNG/GIF window); "
		+ Window.AUTO_MEANS)
	private String window = Window.AUTO;

	@Parameter(required = false, style = "directory", description = "also write the walks into this folder (needed headless: images are not kept there)")
	private File output;

	@Parameter(required = false, choices = {"tiff", "all", "bdv", "png", "gif"}, description = "with output: what to write (all: BDV XML/N5, TIFF, PNG strip, GIFs)")
	private String format = "tiff";

	@Parameter(required = false, min = "10", max = "60000", description = "with output: GIF frame time in ms")
	private int frame_ms = 50;

	@Parameter(required = false, description = "with output: replace an existing export folder (only one this tool wrote)")
	private boolean overwrite;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus traversal;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus reslice;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		if (output == null && java.awt.GraphicsEnvironment.isHeadless())
			monitor.log("Headless: the traversal image is not kept by Fiji's headless mode; add output=<folder> (format=tiff or all) to write it.");
		ViewOptions o = ViewOptions.options().title(model.getName()).window(window);
		WalkImages.Shown shown;
		String written = "";
		if (output == null) {
			Traversals t = traversals();
			shown = Views.show(t.walk(monitor), o, t, monitor);
		} else { // shown in the window the export chose
			ExportFolder.Written w = Views.export(traversals(), o.output(output.toPath()).format(format).frameMs(frame_ms).overwrite(overwrite).owner(label()), monitor);
			written = "; " + w.summary();
			shown = Views.show(w.walks(), model.getName(), w.window());
		}
		traversal = shown.hyperstack();
		reslice = shown.reslice();
		summary = shown.summary() + written;
	}
}
