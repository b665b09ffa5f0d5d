package io.github.ctlatent.traverse;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import io.github.ctlatent.data.Preprocessing;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;

import java.util.ArrayList;
import java.util.List;

/**
 * Traversal frames as planes (x fastest), ordered shift-fastest then direction. {@link #img()} (x, y, shift,
 * direction), {@link #img(int)} (x, y, shift) and {@link #imagePlus} all share these planes: no per-frame copies.
 * Values are the generator's output ([−1, 1]) until {@link #toHounsfield} maps them in place.
 */
public final class TraversalVolume {

	private final int size, frames;
	private final int[] directions;
	private final String[] labels;
	private final double[][] shifts;
	private final float[][] planes;
	private final float[] base;
	private final String fingerprint;
	private String valueUnit = "model units [-1, 1]";
	private double pixelSizeMm = 1;
	private Spacing spacing = Spacing.LINEAR;
	private WalkPath path = WalkPath.straight();

	TraversalVolume(int size, int frames, int[] directions, String[] labels, double[][] shifts, float[][] planes, float[] base, String fingerprint) {
		this.size = size;
		this.frames = frames;
		this.directions = directions;
		this.labels = labels;
		this.shifts = shifts;
		this.planes = planes;
		this.base = base;
		this.fingerprint = fingerprint;
	}

	public int size() { return size; }
	public int frames() { return frames; }
	/** Direction indices, in volume order. */
	public int[] directions() { return directions.clone(); }
	public String label(int j) { return labels[j]; }
	/** Shift value of each frame of the j-th direction. */
	public double[] shifts(int j) { return shifts[j].clone(); }
	public float[] base() { return base.clone(); }
	public String generatorFingerprint() { return fingerprint; }
	public String valueUnit() { return valueUnit; }
	public double pixelSizeMm() { return pixelSizeMm; }
	/** Frame {@code f} of the j-th direction (shared). */
	public float[] plane(int j, int f) { return planes[j * frames + f]; }

	/** How the frames were placed between −r and +r. */
	public Spacing spacing() { return spacing; }

	TraversalVolume spaced(Spacing s) {
		spacing = s;
		return this;
	}

	/** The path the frames lie on: straight (base + shift) or curved (frame s at latent distance ‖shift(s)‖ along a {@link CurvedPath}). */
	public WalkPath path() { return path; }

	TraversalVolume along(WalkPath p) {
		path = p;
		return this;
	}

	/** "" for a straight walk, else what a shift means on its curve (for the hyperstack's info and export cards). */
	public String pathNote() {
		if (!path.curved()) return "";
		return "\npath=" + path.key() + " (local_rank=" + path.rank() + "): each frame lies at latent distance |shift| from the base along a path that follows "
			+ (path.projected() ? "its heading projected onto the generator's top local singular vectors" : "the generator's local singular vector closest to its heading");
	}

	/**
	 * The shift between consecutive frames when it is the same for every frame of every direction (linear spacing),
	 * else NaN: then the shift axis is a frame index and {@link #shifts(int)} is the only true record of each frame's
	 * shift (ImageJ and ImgLib2 calibrations are uniform).
	 */
	public double shiftStep() {
		double step = shifts[0][1] - shifts[0][0];
		for (double[] s : shifts)
			for (int f = 1; f < s.length; f++) if (Math.abs(s[f] - s[f - 1] - step) > 1e-9 * Math.max(1, Math.abs(step))) return Double.NaN;
		return step;
	}

	/** Maps values to HU in place with the dataset card's preprocessing and takes its pixel size. */
	public TraversalVolume toHounsfield(Preprocessing p, double pixelSizeMm) {
		if (valueUnit.equals("HU")) return this;
		float a = (float) ((p.huMax() - p.huMin()) / 2), b = (float) (p.huMin() + a);
		for (float[] pl : planes) for (int i = 0; i < pl.length; i++) pl[i] = pl[i] * a + b;
		valueUnit = "HU";
		this.pixelSizeMm = pixelSizeMm;
		return this;
	}

	/** (x, y, shift, direction). */
	public PlanarImg<FloatType, FloatArray> img() {
		return planar(0, directions.length, new long[] {size, size, frames, directions.length});
	}

	/** (x, y, shift) of the j-th direction. */
	public PlanarImg<FloatType, FloatArray> img(int j) {
		return planar(j, j + 1, new long[] {size, size, frames});
	}

	private PlanarImg<FloatType, FloatArray> planar(int fromDir, int toDir, long[] dims) {
		List<FloatArray> list = new ArrayList<>();
		for (int i = fromDir * frames; i < toDir * frames; i++) list.add(new FloatArray(planes[i]));
		PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(list, dims, new Fraction());
		img.setLinkedType(new FloatType(img));
		return img;
	}

	/**
	 * A calibrated ImageJ hyperstack: shift frames as z (calibrated in shift units, origin at −r), directions as
	 * channels ({@code directionsAsTime} = false) or time points.
	 */
	public ImagePlus imagePlus(String title, boolean directionsAsTime) {
		ImageStack stack = new ImageStack(size, size);
		for (int j = 0; j < directions.length; j++)
			for (int f = 0; f < frames; f++) stack.addSlice(labels[j] + " shift " + String.format("%+.2f", shifts[j][f]), new FloatProcessor(size, size, plane(j, f)));
		ImagePlus imp = new ImagePlus(title, stack);
		// ImageJ's hyperstack order is channel fastest, then z: our planes are z fastest, so channels need a reorder
		if (directionsAsTime || directions.length == 1) imp.setDimensions(1, frames, directions.length);
		else imp = reorderedAsChannels(title);
		Calibration cal = imp.getCalibration();
		cal.pixelWidth = cal.pixelHeight = pixelSizeMm;
		cal.setXUnit("mm");
		cal.setYUnit("mm");
		double step = shiftStep();
		// uneven shifts (spacing=even) cannot be a calibration: z is then the frame number, the shifts are listed
		cal.pixelDepth = Double.isNaN(step) ? 1 : step;
		cal.zOrigin = Double.isNaN(step) ? 0 : -shifts[0][0] / step;
		cal.setZUnit(Double.isNaN(step) ? "frame" : "shift");
		cal.setValueUnit(valueUnit);
		imp.setOpenAsHyperStack(true);
		imp.setProperty("Info", "Latent traversal of generator " + fingerprint + "\ndirections: " + String.join(", ", labels) + "\n" + shiftNote() + pathNote());
		return imp;
	}

	/** One line (linear) or one line per direction (uneven shifts) saying where the frames are. */
	public String shiftNote() {
		if (!Double.isNaN(shiftStep())) return String.format(java.util.Locale.ROOT, "spacing=%s: shifts %+.3f…%+.3f in steps of %.4f", spacing.key(), shifts[0][0],
			shifts[0][frames - 1], shiftStep());
		StringBuilder sb = new StringBuilder("spacing=" + spacing.key() + (spacing == Spacing.EVEN ? ": frames at equal image change" : ": directions walk different radii")
			+ ", uneven shifts (z is the frame number); shift per frame:");
		for (int j = 0; j < directions.length; j++) {
			sb.append('\n').append(labels[j]).append(':');
			for (double v : shifts[j]) sb.append(String.format(java.util.Locale.ROOT, " %+.4f", v));
		}
		return sb.toString();
	}

	private ImagePlus reorderedAsChannels(String title) {
		ImageStack stack = new ImageStack(size, size);
		for (int f = 0; f < frames; f++)
			for (int j = 0; j < directions.length; j++) stack.addSlice(labels[j] + " shift " + String.format("%+.2f", shifts[j][f]), new FloatProcessor(size, size, plane(j, f)));
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(directions.length, frames, 1);
		return imp;
	}
}
