package io.github.ctlatent.commands;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.Reslice;
import io.github.ctlatent.view.Window;
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

	@Parameter(required = false, choices = {"lung", "mediastinum", "full"}, description = "display window (and PNG/GIF window)")
	private String window = "lung";

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
		Rendered r = renderAndExport(output == null ? null : new TraversalExports.Request(output.toPath(), format, window, frame_ms, overwrite), monitor);
		List<Walk> walks = r.walks();
		TraversalVolume v = walks.get(0).volume();
		traversal = hyperstack(walks, "traversal of " + model.getName());
		Window w = Window.parse(window);
		if (v.valueUnit().equals("HU")) traversal.setDisplayRange(w.min(), w.max());
		// the x–shift plane through the image centre: a "coronal" view of what each direction does, per base
		ImageStack st = new ImageStack(v.size(), v.frames());
		for (Walk walk : walks)
			for (int j = 0; j < v.directions().length; j++)
				st.addSlice(walk.volume().label(j) + (walks.size() > 1 ? ", " + walk.base().name() : ""), Reslice.xShift(walk.volume(), j, v.size() / 2));
		reslice = new ImagePlus("x-shift reslice of " + model.getName(), st);
		reslice.getCalibration().pixelWidth = v.pixelSizeMm();
		reslice.getCalibration().pixelHeight = traversal.getCalibration().pixelDepth;
		reslice.getCalibration().setXUnit("mm");
		reslice.getCalibration().setYUnit("shift");
		if (v.valueUnit().equals("HU")) reslice.setDisplayRange(w.min(), w.max());
		summary = walks.size() + " walk(s) of " + v.directions().length + " direction(s) x " + v.frames() + " frames" + (r.summary() == null ? "" : "; " + r.summary());
	}

	/** One base: the walk's own hyperstack; several: the same with bases as time points (ImageJ order c, z, t). */
	static ImagePlus hyperstack(List<Walk> walks, String title) {
		ImagePlus first = walks.get(0).volume().imagePlus(title, false);
		if (walks.size() == 1) return first;
		ImageStack all = new ImageStack(first.getWidth(), first.getHeight());
		for (Walk w : walks) {
			ImageStack s = w.volume().imagePlus(title, false).getStack();
			for (int i = 1; i <= s.getSize(); i++) all.addSlice(s.getSliceLabel(i) + ", " + w.base().name(), s.getProcessor(i));
		}
		ImagePlus imp = new ImagePlus(title, all);
		imp.setDimensions(first.getNChannels(), first.getNSlices(), walks.size());
		imp.setCalibration(first.getCalibration());
		imp.setProperty("Info", first.getProperty("Info"));
		imp.setOpenAsHyperStack(true);
		return imp;
	}
}
