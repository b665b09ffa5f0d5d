package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.Reslice;
import io.github.ctlatent.view.Window;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Walks directions and returns the walk as a calibrated hyperstack (shift as z, directions as channels). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Traverse Directions", headless = true,
	description = "Render latent traversals as an ImageJ hyperstack (x, y, shift, direction) in HU, plus the x-shift reslice.")
public class TraverseDirectionsCommand extends TraversalCommand {

	@Parameter(required = false, choices = {"lung", "mediastinum", "full"}, description = "display window")
	private String window = "lung";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus traversal;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus reslice;

	@Override
	protected void execute(Monitor monitor) {
		TraversalVolume v = traversal(monitor);
		traversal = v.imagePlus("traversal of " + model.getName(), false);
		Window w = Window.parse(window);
		if (v.valueUnit().equals("HU")) traversal.setDisplayRange(w.min(), w.max());
		// the x–shift plane through the image centre: a "coronal" view of what the first direction does
		ij.ImageStack st = new ij.ImageStack(v.size(), v.frames());
		for (int j = 0; j < v.directions().length; j++) st.addSlice(v.label(j), Reslice.xShift(v, j, v.size() / 2));
		reslice = new ImagePlus("x-shift reslice of " + model.getName(), st);
		reslice.getCalibration().pixelWidth = v.pixelSizeMm();
		reslice.getCalibration().pixelHeight = traversal.getCalibration().pixelDepth;
		reslice.getCalibration().setXUnit("mm");
		reslice.getCalibration().setYUnit("shift");
		if (v.valueUnit().equals("HU")) reslice.setDisplayRange(w.min(), w.max());
	}
}
