package io.github.ctlatent.data;

import java.util.Random;

/**
 * An on-the-fly change of a training slice that {@link SliceBatches} applies to each slice it delivers. The batch
 * source hands over the slice's neighbour along the body (the adjacent training slice of the same volume) for
 * augmentations that blend between slices; others ignore it.
 */
public interface SliceAugmentation {

	/**
	 * Writes the augmented {@code size²} slice {@code src} into {@code dst} at {@code offset}.
	 *
	 * @param neighbour an adjacent training slice of the same volume, or null when there is none (or none is needed)
	 */
	void apply(float[] src, float[] neighbour, int size, float[] dst, int offset, Random rnd);

	/** Whether {@link #apply} uses the neighbour (the batch source reads it only then). */
	default boolean usesNeighbours() {
		return false;
	}

	/** One line for logs and model cards. */
	String describe();
}
