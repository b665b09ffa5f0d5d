package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.traverse.Traversals;

import java.util.List;

/** The ImageJ images of the walks of one call: the hyperstack (bases as time points) and the x–shift reslice. */
public final class WalkImages {

	private WalkImages() {}

	/** Both images of one call's walks on a model, and one line saying what they hold. */
	public record Shown(ImagePlus hyperstack, ImagePlus reslice, String summary) {}

	/** {@link #hyperstack} and {@link #reslice} titled after {@code modelName}, shown in {@code w} when in HU. */
	public static Shown show(List<Traversals.Walk> walks, String modelName, Window w) {
		TraversalVolume v = walks.get(0).volume();
		return new Shown(hyperstack(walks, "traversal of " + modelName, w), reslice(walks, "x-shift reslice of " + modelName, w),
			walks.size() + " walk(s) of " + v.directions().length + " direction(s) x " + v.frames() + " frames");
	}

	/** One base: the walk's own hyperstack; several: the same with bases as time points (ImageJ order c, z, t). In HU: shown in {@code w}. */
	public static ImagePlus hyperstack(List<Traversals.Walk> walks, String title, Window w) {
		ImagePlus first = walks.get(0).volume().imagePlus(title, false);
		ImagePlus imp = first;
		if (walks.size() > 1) {
			ImageStack all = new ImageStack(first.getWidth(), first.getHeight());
			for (Traversals.Walk walk : walks) {
				ImageStack s = walk.volume().imagePlus(title, false).getStack();
				for (int i = 1; i <= s.getSize(); i++) all.addSlice(s.getSliceLabel(i) + ", " + walk.base().name(), s.getProcessor(i));
			}
			imp = new ImagePlus(title, all);
			imp.setDimensions(first.getNChannels(), first.getNSlices(), walks.size());
			imp.setCalibration(first.getCalibration());
			StringBuilder info = new StringBuilder(String.valueOf(first.getProperty("Info")));
			// uneven shifts differ from base to base: every base's are listed, not only the first's
			if (Double.isNaN(walks.get(0).volume().shiftStep()))
				for (Traversals.Walk walk : walks.subList(1, walks.size())) info.append("\n").append(walk.base().name()).append(": ").append(walk.volume().shiftNote());
			imp.setProperty("Info", info.toString());
			imp.setOpenAsHyperStack(true);
		}
		if (walks.get(0).volume().valueUnit().equals("HU")) imp.setDisplayRange(w.min(), w.max());
		return imp;
	}

	/** The x–shift plane through the image centre of every direction and base: a "coronal" view of what each direction does. */
	public static ImagePlus reslice(List<Traversals.Walk> walks, String title, Window w) {
		TraversalVolume v = walks.get(0).volume();
		ImageStack st = new ImageStack(v.size(), v.frames());
		for (Traversals.Walk walk : walks)
			for (int j = 0; j < v.directions().length; j++)
				st.addSlice(walk.volume().label(j) + (walks.size() > 1 ? ", " + walk.base().name() : ""), Reslice.xShift(walk.volume(), j, v.size() / 2));
		ImagePlus reslice = new ImagePlus(title, st);
		reslice.getCalibration().pixelWidth = v.pixelSizeMm();
		double step = v.shiftStep(); // NaN for spacing=even: rows are then frames, their shifts are in the hyperstack's info
		reslice.getCalibration().pixelHeight = Double.isNaN(step) ? 1 : step;
		reslice.getCalibration().setXUnit("mm");
		reslice.getCalibration().setYUnit(Double.isNaN(step) ? "frame" : "shift");
		if (v.valueUnit().equals("HU")) reslice.setDisplayRange(w.min(), w.max());
		return reslice;
	}
}
