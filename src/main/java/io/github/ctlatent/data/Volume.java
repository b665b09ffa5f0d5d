package io.github.ctlatent.data;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A 3D scalar volume as float planes (x fastest within a plane, one plane per slice), with voxel spacing and
 * free-form metadata. The planes are shared, not copied, by {@link #img()} and {@link #imagePlus()}.
 * <p>
 * Values are in physical units after the reader applied the file's rescale (Hounsfield units for CT), which
 * {@link #isHounsfield()} tells.
 */
public final class Volume {

	private final String name;
	private final int width, height;
	private final float[][] planes;
	private final double[] spacing;
	private final boolean hounsfield;
	private final Map<String, String> metadata;

	/**
	 * @param planes  slice planes, each {@code width * height} values, x fastest
	 * @param spacing voxel size in mm (x, y, z); use 1 where unknown
	 */
	public Volume(String name, int width, int height, float[][] planes, double[] spacing, boolean hounsfield,
		Map<String, String> metadata) {
		if (width <= 0 || height <= 0 || planes.length == 0)
			throw new IllegalArgumentException("Empty volume " + name + ": " + width + "x" + height + "x" + planes.length);
		for (float[] p : planes)
			if (p.length != width * height)
				throw new IllegalArgumentException("Plane of " + p.length + " values in a " + width + "x" + height + " volume " + name);
		if (spacing.length != 3) throw new IllegalArgumentException("spacing needs x, y, z");
		this.name = name;
		this.width = width;
		this.height = height;
		this.planes = planes;
		this.spacing = spacing.clone();
		this.hounsfield = hounsfield;
		this.metadata = new LinkedHashMap<>(metadata);
	}

	public String name() { return name; }
	public int width() { return width; }
	public int height() { return height; }
	public int depth() { return planes.length; }
	/** Voxel size in mm: x, y, z. */
	public double[] spacing() { return spacing.clone(); }
	public boolean isHounsfield() { return hounsfield; }
	/** Reader metadata (modality, orientation, series UID, file names …), insertion-ordered. */
	public Map<String, String> metadata() { return metadata; }
	/** Slice {@code z} (shared, not a copy). */
	public float[] plane(int z) { return planes[z]; }

	/** Value at (x, y, z). */
	public float get(int x, int y, int z) {
		return planes[z][y * width + x];
	}

	/** An ImgLib2 view (x, y, z) over the same planes, without copying. */
	public PlanarImg<FloatType, FloatArray> img() {
		List<FloatArray> list = new ArrayList<>(planes.length);
		for (float[] p : planes) list.add(new FloatArray(p));
		PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(list, new long[] {width, height, planes.length}, new net.imglib2.util.Fraction());
		img.setLinkedType(new FloatType(img));
		return img;
	}

	/** An ImageJ stack over the same planes, calibrated in mm (and "HU" for Hounsfield volumes). */
	public ImagePlus imagePlus() {
		ImageStack stack = new ImageStack(width, height);
		for (float[] p : planes) stack.addSlice(new FloatProcessor(width, height, p));
		ImagePlus imp = new ImagePlus(name, stack);
		Calibration cal = imp.getCalibration();
		cal.pixelWidth = spacing[0];
		cal.pixelHeight = spacing[1];
		cal.pixelDepth = spacing[2];
		cal.setUnit("mm");
		if (hounsfield) cal.setValueUnit("HU");
		imp.setDimensions(1, planes.length, 1);
		return imp;
	}

	/** min, max, mean over all voxels (double accumulation). */
	public double[] stats() {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
		for (float[] p : planes)
			for (float v : p) {
				min = Math.min(min, v);
				max = Math.max(max, v);
				sum += v;
			}
		return new double[] {min, max, sum / ((double) width * height * planes.length)};
	}

	@Override
	public String toString() {
		return name + " " + width + "x" + height + "x" + planes.length + (hounsfield ? " HU" : "");
	}
}
