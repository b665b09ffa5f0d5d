package io.github.ctlatent.data.phantom;

import io.github.ctlatent.data.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Renders the synthetic thorax phantom: a CT volume in Hounsfield units whose generating factors are known for every
 * slice (docs/evaluation.md §1). Slices run from the lung apex ({@code z = 0}) to the upper abdomen
 * ({@code z = 1}) over {@link #LENGTH_MM}; the square field of view is {@link #FOV_MM} whatever the matrix size, so a 64² and a 128²
 * rendering show the same anatomy at different resolutions.
 * <p>
 * Edges are anti-aliased (each shape's signed distance is turned into a partial-volume coverage over one pixel, and
 * bones along z over one slice), so the volume looks like a reconstructed CT rather than a label map. Rendering is
 * parallel over slices and deterministic: the same factors and noise seed give the same voxels.
 */
public final class ThoraxPhantom {

	/** Side of the square axial field of view, mm. */
	public static final double FOV_MM = 460;
	/** Length along the body axis from the lung apex (z = 0) to the upper abdomen (z = 1), mm. */
	public static final double LENGTH_MM = 300;
	/** A slice is labelled "lung observable" when it shows at least this much lung, mm². */
	public static final double LUNG_VISIBLE_MM2 = 1000;
	/** A slice is labelled "breast observable" where the breast envelope along z reaches this value. */
	public static final double BREAST_VISIBLE = 0.5;
	/** Image y of the body centre before {@code y_shift}, mm from the image centre (negative = up). */
	static final double BODY_CENTRE_Y = -10;

	private ThoraxPhantom() {}

	/** A rendered volume with the label of each of its slices. */
	public record Rendered(Volume volume, List<SliceFactors> slices) {}

	/** Renders without noise, volume index 0. */
	public static Rendered render(PhantomFactors factors, int size, int slices) {
		return render(0, factors, size, slices, 0, 0);
	}

	/**
	 * Renders one phantom volume.
	 *
	 * @param volume    index of the volume in its data set (name {@code phantom_###} and the labels' volume column)
	 * @param size      matrix size N of the N×N axial slices
	 * @param slices    number of slices S from apex to upper abdomen
	 * @param noiseStd  standard deviation of additive Gaussian noise, HU (0 for none)
	 * @param noiseSeed seed of the noise (each slice draws from its own stream, so parallel rendering is deterministic)
	 */
	public static Rendered render(int volume, PhantomFactors factors, int size, int slices, double noiseStd, long noiseSeed) {
		if (size < 8 || slices < 1) throw new IllegalArgumentException("Phantom size " + size + "x" + size + "x" + slices + " is too small (needs >= 8x8x1).");
		double[] zs = new double[slices];
		for (int k = 0; k < slices; k++) zs[k] = z(k, slices);
		return render(volume, factors, size, zs, slices > 1 ? LENGTH_MM / (slices - 1) : LENGTH_MM, noiseStd, noiseSeed);
	}

	/**
	 * Renders the slices at the given positions along the body (each in [0, 1], in any order), as partial-volumed
	 * as slices {@code dzMm} apart: what the known-answer walks of the evaluator need (a patient's slices at exact
	 * z steps). The volume's z spacing is nominal ({@code dzMm}); slice k's noise stream is the same as in
	 * {@link #render(int, PhantomFactors, int, int, double, long)}.
	 */
	public static Rendered render(int volume, PhantomFactors factors, int size, double[] zs, double dzMm, double noiseStd, long noiseSeed) {
		int slices = zs.length;
		if (size < 8 || slices < 1) throw new IllegalArgumentException("Phantom size " + size + "x" + size + "x" + slices + " is too small (needs >= 8x8x1).");
		for (double z : zs) if (!(z >= 0 && z <= 1)) throw new IllegalArgumentException("Slice position " + z + " is outside the body's range 0…1.");
		double px = FOV_MM / size;
		double dz = dzMm;
		double rot = Math.toRadians(factors.rotation()), cos = Math.cos(rot), sin = Math.sin(rot);
		double cy = BODY_CENTRE_Y + factors.yShift();
		double tableTop = cy + lowestPoint(factors, cos, sin) + 1;
		// body coordinates of every pixel, shared by all slices (the roll is the same for the whole volume)
		double[] xs = new double[size], us = new double[size * size], vs = new double[size * size];
		for (int i = 0; i < size; i++) xs[i] = (i + 0.5 - size / 2.0) * px;
		for (int j = 0; j < size; j++)
			for (int i = 0; i < size; i++) {
				double x = xs[i], y = xs[j] - cy;
				us[j * size + i] = cos * x + sin * y;
				vs[j * size + i] = -sin * x + cos * y;
			}
		float[][] planes = new float[slices][];
		double[] lungArea = new double[slices];
		IntStream.range(0, slices).parallel().forEach(k -> {
			AxialSlice s = new AxialSlice(factors, zs[k], LENGTH_MM, px, dz, cos, sin, cy);
			float[] plane = new float[size * size];
			SplittableRandom noise = noiseStd > 0 ? new SplittableRandom(noiseSeed * 0x9E3779B97F4A7C15L + k) : null;
			for (int j = 0, p = 0; j < size; j++)
				for (int i = 0; i < size; i++, p++) {
					double hu = s.shade(us[p], vs[p], xs[i], xs[j], tableTop);
					if (noise != null) hu += noiseStd * noise.nextGaussian();
					plane[p] = (float) hu;
				}
			planes[k] = plane;
			lungArea[k] = s.lungAreaMm2;
		});
		List<SliceFactors> labels = new ArrayList<>(slices);
		for (int k = 0; k < slices; k++) {
			double z = zs[k];
			labels.add(new SliceFactors(volume, k, z, factors, AxialSlice.breastEnvelope(z) >= BREAST_VISIBLE,
				lungArea[k] >= LUNG_VISIBLE_MM2));
		}
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("Modality", "CT");
		meta.put("Source", "CT Latent Explorer thorax phantom");
		for (PhantomFactors.Factor f : PhantomFactors.Factor.values())
			if (f != PhantomFactors.Factor.Z) meta.put("phantom." + f.key, String.valueOf(factors.get(f)));
		meta.put("phantom.noise_std", String.valueOf(noiseStd));
		Volume v = new Volume(name(volume), size, size, planes, new double[] {px, px, dz}, true, meta);
		return new Rendered(v, List.copyOf(labels));
	}

	/** Position along the body axis of slice {@code k} of {@code slices}: evenly spaced, both ends included. */
	public static double z(int k, int slices) {
		return slices > 1 ? k / (double) (slices - 1) : 0.5;
	}

	/** Name of volume {@code i} in a data set: {@code phantom_000}, …. */
	public static String name(int volume) {
		return String.format("phantom_%03d", volume);
	}

	/** How far below the body centre the rolled body reaches (mm, image down), at its largest cross-section. */
	private static double lowestPoint(PhantomFactors f, double cos, double sin) {
		double a = f.width() / 2, b = f.height() / 2, back = 0.92 * b, low = 0;
		for (int i = 0; i < 720; i++) {
			double t = Math.PI * i / 360, u = a * Math.cos(t), v = Math.min(b * Math.sin(t), back);
			low = Math.max(low, sin * u + cos * v);
		}
		return low;
	}
}
