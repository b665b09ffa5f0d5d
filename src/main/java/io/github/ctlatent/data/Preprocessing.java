package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;

/**
 * The seed paper's slice preprocessing (docs/method.md §1), with every choice explicit so it can be recorded in the
 * dataset card and undone for display: HU → clip to [huMin, huMax] → resize to {@code size}² → linear map to
 * [−1, 1] → clip (removes Lanczos overshoot).
 *
 * @param huMin         lower window edge in HU (paper: −1000 = air)
 * @param huMax         upper window edge in HU (paper: 2000)
 * @param size          output side in pixels (paper 128, CPU default 64)
 * @param interpolation resampling (paper: OpenCV Lanczos-4 without antialiasing)
 */
public record Preprocessing(double huMin, double huMax, int size, String interpolation) {

	public static final int CPU_SIZE = 64, PAPER_SIZE = 128;

	public Preprocessing {
		if (!Double.isFinite(huMin) || !Double.isFinite(huMax))
			throw new ExplorerException("HU window [" + huMin + ", " + huMax + "] must be finite numbers (paper -1000, 2000).");
		if (!(huMax > huMin)) throw new ExplorerException("HU window [" + huMin + ", " + huMax + "] is empty: huMax must exceed huMin.");
		// bounds and a minimum width: ±1e308 overflows the scale to 0·∞ = NaN, a 1e-300 wide window divides by ~0
		io.github.ctlatent.core.Limits.checkHuWindow(huMin, huMax);
		if (size < 8 || size > 2048) throw new ExplorerException("Slice size " + size + " is out of range: use 8…2048 (paper 128, CPU default 64).");
		Resize.Interpolation.parse(interpolation);
	}

	/** Exactly docs/method.md §1 at the paper's 128². */
	public static Preprocessing paper() {
		return new Preprocessing(-1000, 2000, PAPER_SIZE, "lanczos4");
	}

	/** The paper's mapping at the CPU-sized default of 64². */
	public static Preprocessing cpuDefault() {
		return new Preprocessing(-1000, 2000, CPU_SIZE, "lanczos4");
	}

	/** One HU slice of {@code w × h} → a {@code size²} slice in [−1, 1]. */
	public float[] apply(float[] hu, int w, int h) {
		float lo = (float) huMin, hi = (float) huMax;
		float[] clipped = new float[hu.length];
		for (int i = 0; i < hu.length; i++) {
			float v = hu[i];
			if (Float.isNaN(v)) throw new ExplorerException("Slice contains NaN values; the input volume is corrupt.");
			clipped[i] = v < lo ? lo : Math.min(v, hi);
		}
		float[] r = Resize.resize(clipped, w, h, size, size, Resize.Interpolation.parse(interpolation));
		float scale = (float) (2 / (huMax - huMin));
		for (int i = 0; i < r.length; i++) {
			float v = (r[i] - lo) * scale - 1;
			r[i] = v < -1 ? -1 : Math.min(v, 1);
		}
		return r;
	}

	/** Model value in [−1, 1] → HU (for display of generated images). */
	public double toHounsfield(double v) {
		return huMin + (v + 1) / 2 * (huMax - huMin);
	}

	/** HU → model value (unclipped). */
	public double fromHounsfield(double hu) {
		return (hu - huMin) / (huMax - huMin) * 2 - 1;
	}
}
