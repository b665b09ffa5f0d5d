package io.github.ctlatent.traverse;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.GifWriter;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.picture.Pictures;
import io.github.ctlatent.picture.Window;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pictures of a walk, each file written atomically: a labelled PNG strip (rows = directions, columns = shifts) and
 * an animated GIF played forward then backward like the seed paper's animations. Here, beside the walks, so that
 * the exports and the evaluation reports draw them the same way without depending on each other.
 */
public final class WalkPictures {

	private WalkPictures() {}

	/** Display range for pictures: a CT window for HU volumes, [−1, 1] for model units. */
	public static double[] range(TraversalVolume v, Window w) {
		return v.valueUnit().equals("HU") ? new double[] {w.min(), w.max()} : new double[] {-1, 1};
	}

	/**
	 * A labelled grid: one row per direction, one column per frame, shift values on top; with uneven shifts
	 * (spacing=even) every row has its own, written above the row.
	 */
	public static ColorProcessor strip(TraversalVolume v, Window w) {
		double[] r = range(v, w);
		boolean own = Double.isNaN(v.shiftStep());
		int s = v.size(), n = v.frames(), rows = v.directions().length, gap = 2, row = s + (own ? 14 : gap), top = 16, left = 84;
		ColorProcessor cp = new ColorProcessor(left + n * (s + gap), top + rows * row);
		cp.setColor(Color.WHITE);
		cp.fill();
		cp.setFont(new Font("SansSerif", Font.PLAIN, 11));
		cp.setAntialiasedText(true);
		cp.setColor(Color.BLACK);
		for (int j = 0; j < (own ? rows : 1); j++)
			for (int f = 0; f < n; f++) cp.drawString(String.format("%+.1f", v.shifts(j)[f]), left + f * (s + gap) + s / 2 - 12, top - 3 + j * row);
		for (int j = 0; j < rows; j++) {
			cp.setColor(Color.BLACK);
			cp.drawString(v.label(j), 2, top + j * row + s / 2 + 5);
			for (int f = 0; f < n; f++) {
				ByteProcessor bp = toByte(v.plane(j, f), s, r);
				cp.insert(bp.convertToColorProcessor(), left + f * (s + gap), top + j * row);
			}
		}
		return cp;
	}

	public static Path png(TraversalVolume v, Window w, Path file) {
		Pictures.savePng(strip(v, w), file);
		return file;
	}

	/**
	 * Animated GIF of direction {@code j}: frames forward then backward (the turning frames are not repeated),
	 * {@code frameMs} per frame.
	 */
	public static Path gif(TraversalVolume v, int j, Window w, int frameMs, Path file) {
		double[] r = range(v, w);
		int n = v.frames(), s = v.size();
		ImageStack stack = new ImageStack(s, s);
		for (int f = 0; f < n; f++) stack.addSlice(toByte(v.plane(j, f), s, r));
		for (int f = n - 2; f >= 1; f--) stack.addSlice(toByte(v.plane(j, f), s, r));
		ImagePlus imp = new ImagePlus(v.label(j), stack);
		imp.getCalibration().fps = 1000.0 / frameMs;
		AtomicFiles.writeVia(file, tmp -> {
			String error = GifWriter.save(imp, tmp.toString()); // returns an error message, or null/"" on success
			if (error != null && !error.isEmpty() || !Files.exists(tmp)) throw new IOException("ImageJ could not write the GIF: " + error);
		});
		return file;
	}

	static ByteProcessor toByte(float[] plane, int s, double[] range) {
		FloatProcessor fp = new FloatProcessor(s, s, plane.clone());
		fp.setMinAndMax(range[0], range[1]);
		return fp.convertToByteProcessor(true);
	}
}
