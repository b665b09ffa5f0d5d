package io.github.ctlatent.view;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.ctlatent.core.AtomicFiles;

import java.nio.file.Path;

/** Small picture helpers shared by training (sample grids), traversal strips and reports. */
public final class Pictures {

	private Pictures() {}

	/**
	 * Tiles square images (each {@code size²}, x fastest) into a grid of {@code cols} columns with a 2-pixel gap,
	 * mapping [lo, hi] linearly to 0…255 (clamped).
	 */
	public static ByteProcessor grid(float[][] images, int size, int cols, double lo, double hi) {
		int rows = (images.length + cols - 1) / cols, gap = 2;
		ByteProcessor bp = new ByteProcessor(cols * (size + gap) - gap, rows * (size + gap) - gap);
		bp.setValue(255);
		bp.fill();
		for (int i = 0; i < images.length; i++) {
			int ox = (i % cols) * (size + gap), oy = (i / cols) * (size + gap);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					double v = (images[i][y * size + x] - lo) / (hi - lo) * 255;
					bp.set(ox + x, oy + y, (int) Math.round(Math.max(0, Math.min(255, v))));
				}
		}
		return bp;
	}

	/** Saves as PNG atomically (ImageJ's writer). */
	public static void savePng(ImageProcessor ip, Path file) {
		AtomicFiles.writeVia(file, tmp -> {
			// ImageJ's PNG writer appends ".png" to a name without it
			Path named = tmp.resolveSibling(tmp.getFileName() + ".png");
			try {
				if (!new ij.io.FileSaver(new ImagePlus(file.getFileName().toString(), ip)).saveAsPng(named.toString()))
					throw new java.io.IOException("ImageJ could not write PNG " + named);
				requireCompletePng(named, ip.getWidth(), ip.getHeight());
				java.nio.file.Files.move(named, tmp);
			} finally {
				java.nio.file.Files.deleteIfExists(named); // a failed write leaves no hidden leftover either
			}
		});
	}

	/**
	 * ImageJ's PNG writer reports success on some failed writes (a full disk cuts the file mid-IDAT): the file is read
	 * back whole before it is called written.
	 */
	static void requireCompletePng(Path png, int width, int height) throws java.io.IOException {
		java.awt.image.BufferedImage back;
		try {
			back = javax.imageio.ImageIO.read(png.toFile());
		} catch (java.io.IOException | RuntimeException e) {
			throw new java.io.IOException("the PNG written is incomplete (" + e.getMessage() + "; is the disk full?)", e);
		}
		if (back == null || back.getWidth() != width || back.getHeight() != height)
			throw new java.io.IOException("the PNG written is incomplete (is the disk full?)");
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
