package io.github.ctlatent.picture;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.ctlatent.core.Monitor;

import java.nio.file.Path;

/** Small picture helpers shared by training (sample grids), traversal strips and reports. */
public final class Pictures {

	private Pictures() {}

	private static final int CANCEL_EVERY = 256;

	/**
	 * Tiles square images (each {@code size²}, x fastest) into a grid of {@code cols} columns with a 2-pixel gap,
	 * mapping [lo, hi] linearly to 0…255 (clamped).
	 */
	public static ByteProcessor grid(float[][] images, int size, int cols, double lo, double hi) {
		return grid(images, size, cols, lo, hi, Monitor.NONE);
	}

	/** As above; a grid of thousands of images takes seconds, so a cancel is checked every {@value #CANCEL_EVERY} images. */
	public static ByteProcessor grid(float[][] images, int size, int cols, double lo, double hi, Monitor monitor) {
		int rows = (images.length + cols - 1) / cols, gap = 2;
		ByteProcessor bp = new ByteProcessor(cols * (size + gap) - gap, rows * (size + gap) - gap);
		bp.setValue(255);
		bp.fill();
		for (int i = 0; i < images.length; i++) {
			if (i % CANCEL_EVERY == 0) monitor.checkCanceled();
			int ox = (i % cols) * (size + gap), oy = (i / cols) * (size + gap);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					double v = (images[i][y * size + x] - lo) / (hi - lo) * 255;
					bp.set(ox + x, oy + y, (int) Math.round(Math.max(0, Math.min(255, v))));
				}
		}
		return bp;
	}

	/** Saves as PNG, complete or not at all ({@link Png}). */
	public static void savePng(ImageProcessor ip, Path file) {
		Png.save(ip, file, Monitor.NONE);
	}

	/** As {@link #savePng(ImageProcessor, Path)}, stopped within a fraction of a second when {@code monitor} is canceled; nothing is left then. */
	public static void savePng(ImageProcessor ip, Path file, Monitor monitor) {
		Png.save(ip, file, monitor);
	}

	/** Samples as an ImageJ stack, one slice per seed; in HU: calibrated in mm and shown in a ±1000 HU window. */
	public static ij.ImagePlus stack(String title, io.github.ctlatent.model.Sampling.Samples samples) {
		int s = samples.size();
		float[][] values = samples.values();
		ij.ImageStack stack = new ij.ImageStack(s, s);
		for (int i = 0; i < values.length; i++) stack.addSlice("z seed " + (samples.firstSeed() + i), new ij.process.FloatProcessor(s, s, values[i]));
		ij.ImagePlus imp = new ij.ImagePlus(title, stack);
		if (samples.data() != null) {
			imp.getCalibration().setValueUnit("HU");
			imp.getCalibration().pixelWidth = imp.getCalibration().pixelHeight = samples.data().pixelSizeMm;
			imp.getCalibration().setUnit("mm");
			imp.setDisplayRange(-1000, 1000);
		}
		return imp;
	}
}
