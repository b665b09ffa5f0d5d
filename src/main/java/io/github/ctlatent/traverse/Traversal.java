package io.github.ctlatent.traverse;

import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;


/**
 * The traversal stage's entry point: walk a generator along directions, frame by frame, into a
 * {@link TraversalVolume} (x, y, shift, direction).
 * <pre>
 * TraversalVolume v = Traversal.walk(generator, directions, new int[] {0, 3}, Traversal.seedLatent(32, 7), Traversal.Range.paper(), Monitor.NONE);
 * </pre>
 */
public final class Traversal {

	private Traversal() {}

	/**
	 * Shifts −r…+r in {@code frames} equal steps (the centre frame is the unshifted base when frames is odd).
	 * Presets: the paper's charts ({@link #paper()}: r = 6, 7 frames) and its animations ({@link #animation()}:
	 * 17 distinct frames, played forward then backward when exported as GIF).
	 */
	public record Range(double radius, int frames) {
		/** Largest shift accepted: far beyond anything meaningful for N(0, I) latents, yet finite in float32. */
		public static final double MAX_RADIUS = 1000;

		public Range {
			if (!(radius > 0) || !Double.isFinite(radius) || radius > MAX_RADIUS || frames < 2)
				throw new ExplorerException("A traversal needs a finite radius in (0, " + (int) MAX_RADIUS + "] and at least 2 frames, got radius=" + radius + ", "
					+ frames + " frames (the paper walks radius 6; latents are N(0, 1), so shifts of hundreds leave the model's domain).");
		}

		public static Range paper() {
			return new Range(6, 7);
		}

		public static Range animation() {
			return new Range(6, 17);
		}

		/** For 3D viewing (BigDataViewer, orthogonal views): r = 6 in 64 frames, enough to look like a volume. */
		public static Range volume() {
			return new Range(6, 64);
		}

		public double shift(int frame) {
			return -radius + 2 * radius * frame / (frames - 1);
		}

		public double[] shifts() {
			double[] s = new double[frames];
			for (int i = 0; i < frames; i++) s[i] = shift(i);
			return s;
		}
	}

	/** A latent z ~ N(0, I) from a seed (the same seed gives the same base everywhere). */
	public static float[] seedLatent(int d, long seed) {
		return io.github.ctlatent.model.Sampling.latent(d, seed);
	}

	/**
	 * Renders every frame of every requested direction from {@code base}; batches of up to 64 frames go through
	 * the generator at once. {@code radii} (per requested direction, may be null) overrides {@code range.radius()}.
	 */
	public static TraversalVolume walk(Generator g, Directions dirs, int[] ks, float[] base, Range range, double[] radii, Monitor monitor) {
		requireMatching(g, dirs, ks, base);
		double[][] shifts = new double[ks.length][];
		for (int j = 0; j < ks.length; j++) shifts[j] = (radii == null ? range : new Range(radii[j], range.frames())).shifts();
		List<DoubleFunction<float[]>> straight = new ArrayList<>();
		for (int k : ks) straight.add(EvenSteps.straight(dirs, k, base));
		return walkAt(g, dirs, ks, base, straight, shifts, monitor);
	}

	/**
	 * The walk with frames placed by {@code spacing}: {@link Spacing#EVEN} first renders each direction's fine walk
	 * ({@link EvenSteps}) and then its frames at equal image change, so every direction gets its own shifts; a
	 * direction that does not change the image keeps equal shift steps, with a warning.
	 */
	public static TraversalVolume walk(Generator g, Directions dirs, int[] ks, float[] base, Range range, Spacing spacing, Monitor monitor) {
		return walk(g, dirs, ks, base, range, spacing, WalkPath.straight(), monitor);
	}

	/**
	 * The walk along {@code path}: straight (base + shift) or curved ({@link CurvedPath}, one per direction, its
	 * frames at the same shifts, i.e. the same latent distances from the base), with frames placed by {@code spacing}.
	 */
	public static TraversalVolume walk(Generator g, Directions dirs, int[] ks, float[] base, Range range, Spacing spacing, WalkPath path, Monitor monitor) {
		requireMatching(g, dirs, ks, base);
		List<DoubleFunction<float[]>> codes = new ArrayList<>();
		double[][] shifts = new double[ks.length][];
		for (int j = 0; j < ks.length; j++) {
			if (path.curved()) {
				monitor.progress(j, ks.length, "following the local basis (path=" + path.key() + ")");
				CurvedPath c = CurvedPath.follow(g, dirs, ks[j], base, range.radius(), path, monitor);
				monitor.log(c.describe());
				codes.add(c.codes());
			} else codes.add(EvenSteps.straight(dirs, ks[j], base));
			double[] even = null;
			if (spacing == Spacing.EVEN) {
				monitor.progress(j, ks.length, "measuring image change (spacing=even)");
				even = EvenSteps.shifts(g, codes.get(j), dirs.label(ks[j]), range, monitor);
			}
			shifts[j] = even == null ? range.shifts() : even;
		}
		return walkAt(g, dirs, ks, base, codes, shifts, monitor).spaced(spacing).along(path);
	}

	private static void requireMatching(Generator g, Directions dirs, int[] ks, float[] base) {
		int d = g.latentDim();
		if (dirs.latentDim() != d) throw new ExplorerException("The directions are " + dirs.latentDim() + "-dimensional but the generator's latent has " + d + " dimensions.");
		if (base.length != d) throw new ExplorerException("The base latent has " + base.length + " values; the generator needs " + d + ".");
		for (int k : ks) if (k < 0 || k >= dirs.count()) throw new ExplorerException("Direction " + k + " does not exist: the set has directions 0…" + (dirs.count() - 1) + ".");
	}

	/** Renders direction ks[j] at {@code shifts[j]} of its path (the same number of frames for every direction). */
	private static TraversalVolume walkAt(Generator g, Directions dirs, int[] ks, float[] base, List<DoubleFunction<float[]>> codes, double[][] shifts, Monitor monitor) {
		int d = g.latentDim(), size = g.imageSize(), n = shifts[0].length;
		int total = ks.length * n;
		Checks.requireMemory("A walk of " + ks.length + " direction(s) x " + n + " frames of " + size + "²", 3.0 * total * size * size * 4 + 4.0 * total * d,
			"Use fewer frames or directions (frames=, indices=).");
		float[][] planes = new float[total][];
		float[] latents = new float[total * d];
		for (int j = 0; j < ks.length; j++)
			for (int f = 0; f < n; f++) System.arraycopy(codes.get(j).apply(shifts[j][f]), 0, latents, (j * n + f) * d, d);
		// render in chunks so that a long walk can be canceled and shows progress
		int chunk = 256;
		for (int from = 0; from < total; from += chunk) {
			monitor.checkCanceled();
			monitor.progress(from, total, "rendering frames");
			int b = Math.min(chunk, total - from);
			float[][] rendered = g.images(java.util.Arrays.copyOfRange(latents, from * d, (from + b) * d));
			System.arraycopy(rendered, 0, planes, from, b);
		}
		monitor.progress(total, total, "traversal done");
		requireVisible(planes, ks, n, monitor);
		String[] labels = new String[ks.length];
		for (int j = 0; j < ks.length; j++) labels[j] = dirs.label(ks[j]);
		return new TraversalVolume(size, n, ks.clone(), labels, shifts, planes, base.clone(), g.fingerprint());
	}

	/**
	 * A walk is checked before anyone sees it: NaN/Inf anywhere is an error; a direction whose frames are all equal
	 * is a loud warning (the generator may ignore that direction), and an error when every direction is flat.
	 */
	static void requireVisible(float[][] planes, int[] ks, int n, Monitor monitor) {
		Checks.requireFinite("The traversal", planes);
		java.util.List<Integer> flat = new java.util.ArrayList<>();
		for (int j = 0; j < ks.length; j++) {
			float[] first = planes[j * n];
			boolean same = true;
			for (int f = 1; f < n && same; f++) same = java.util.Arrays.equals(first, planes[j * n + f]);
			if (same) flat.add(ks[j]);
		}
		if (flat.size() == ks.length)
			throw new ExplorerException("The traversal is constant: no frame differs from the first along direction(s) " + flat
				+ ". The directions do not change this generator's output; check the direction set and the radius.");
		if (!flat.isEmpty()) monitor.log("WARNING: the walk along direction(s) " + flat + " does not change the image (every frame is equal).");
	}

	public static TraversalVolume walk(Generator g, Directions dirs, int[] ks, float[] base, Range range, Monitor monitor) {
		return walk(g, dirs, ks, base, range, (double[]) null, monitor);
	}
}
