package io.github.ctlatent.view;

import ij.process.FloatProcessor;
import io.github.ctlatent.traverse.TraversalVolume;

/**
 * Orthogonal planes of a traversal volume: for a direction that moves along the body, the x–shift plane reads like
 * a coronal and the y–shift plane like a sagittal CT reformat.
 */
public final class Reslice {

	private Reslice() {}

	/** The x–shift plane through row {@code y}: width = image size, height = frames (top = −r). */
	public static FloatProcessor xShift(TraversalVolume v, int j, int y) {
		int s = v.size();
		FloatProcessor fp = new FloatProcessor(s, v.frames());
		for (int f = 0; f < v.frames(); f++) {
			float[] p = v.plane(j, f);
			for (int x = 0; x < s; x++) fp.setf(x, f, p[y * s + x]);
		}
		return fp;
	}

	/** The y–shift plane through column {@code x}: width = frames, height = image size. */
	public static FloatProcessor yShift(TraversalVolume v, int j, int x) {
		int s = v.size();
		FloatProcessor fp = new FloatProcessor(v.frames(), s);
		for (int f = 0; f < v.frames(); f++) {
			float[] p = v.plane(j, f);
			for (int y = 0; y < s; y++) fp.setf(f, y, p[y * s + x]);
		}
		return fp;
	}
}
