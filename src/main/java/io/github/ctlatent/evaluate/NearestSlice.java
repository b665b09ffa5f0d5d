package io.github.ctlatent.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;

/**
 * The label-free 3D reading (EVALUATION.md §4): each generated frame's nearest real slice by normalised
 * cross-correlation against a reference slice set, reported as that slice's position along its volume
 * (0 = first slice, 1 = last) and the correlation itself (the match quality). Works on any CT; no labels.
 * A {@link WalkReader.FrameSink}: frames are matched in batches as they are rendered.
 */
public final class NearestSlice implements WalkReader.FrameSink, AutoCloseable {

	private static final int BATCH = 512;

	private final NDManager manager;
	private final NDArray reference; // (N, P), rows zero-mean and unit-norm
	private final double[] position;
	private final int pixels;
	private final double[][][] pos, ncc;
	private final float[] pending;
	private final int[][] pendingKey;
	private int pendingCount;

	/**
	 * @param maxSlices at most this many reference slices are used, whole volumes evenly chosen from the set
	 * @param k,b,t     the shape of the walks that will be matched
	 */
	public NearestSlice(SliceSet set, int maxSlices, int k, int b, int t) {
		DatasetCard card = set.card();
		int stride = Math.max(1, (int) Math.ceil(set.count() / (double) Math.max(1, maxSlices)));
		java.util.List<Integer> chosen = new java.util.ArrayList<>();
		java.util.List<Double> where = new java.util.ArrayList<>();
		for (int v = 0; v < card.volumes.size(); v += stride) {
			DatasetCard.VolumeEntry e = card.volumes.get(v);
			for (int s = 0; s < e.slices(); s++) {
				chosen.add(e.firstSlice() + s);
				where.add(e.slices() > 1 ? s / (double) (e.slices() - 1) : 0.5);
			}
		}
		if (chosen.size() < 2) throw new ExplorerException("The reference slice set " + set.folder() + " has too few slices for the 3D reading.");
		pixels = set.size() * set.size();
		float[] refs = new float[chosen.size() * pixels];
		for (int i = 0; i < chosen.size(); i++) {
			set.read(chosen.get(i), refs, i * pixels);
			normalise(refs, i * pixels, pixels);
		}
		manager = Engines.pytorch().newBaseManager();
		reference = manager.create(refs, new Shape(chosen.size(), pixels));
		position = where.stream().mapToDouble(Double::doubleValue).toArray();
		pos = new double[k][b][t];
		ncc = new double[k][b][t];
		pending = new float[BATCH * pixels];
		pendingKey = new int[BATCH][];
	}

	public int referenceSlices() {
		return position.length;
	}

	@Override
	public void accept(int k, int b, int t, float[] image) {
		if (image.length != pixels)
			throw new ExplorerException("The reference slices are " + (int) Math.sqrt(pixels) + "² but the generator makes " + (int) Math.sqrt(image.length)
				+ "² images. Prepare the reference at the model's size.");
		System.arraycopy(image, 0, pending, pendingCount * pixels, pixels);
		normalise(pending, pendingCount * pixels, pixels);
		pendingKey[pendingCount++] = new int[] {k, b, t};
		if (pendingCount == BATCH) flush();
	}

	/** Matches the frames still waiting; call before reading {@link #positions()}. */
	public void flush() {
		if (pendingCount == 0) return;
		try (NDManager it = manager.newSubManager()) {
			NDArray frames = it.create(java.util.Arrays.copyOf(pending, pendingCount * pixels), new Shape(pendingCount, pixels));
			NDArray sim = frames.matMul(reference.transpose());
			long[] best = sim.argMax(1).toLongArray();
			float[] max = sim.max(new int[] {1}).toFloatArray();
			for (int i = 0; i < pendingCount; i++) {
				int[] key = pendingKey[i];
				pos[key[0]][key[1]][key[2]] = position[(int) best[i]];
				ncc[key[0]][key[1]][key[2]] = max[i];
			}
		}
		pendingCount = 0;
	}

	/** [k][b][t] position (0…1) of the nearest reference slice along its volume. */
	public double[][][] positions() {
		flush();
		return pos;
	}

	/** [k][b][t] normalised cross-correlation with that slice. */
	public double[][][] correlations() {
		flush();
		return ncc;
	}

	private static void normalise(float[] v, int from, int n) {
		double mean = 0, sq = 0;
		for (int i = from; i < from + n; i++) mean += v[i];
		mean /= n;
		for (int i = from; i < from + n; i++) sq += (v[i] - mean) * (v[i] - mean);
		double norm = sq > 0 ? Math.sqrt(sq) : 1;
		for (int i = from; i < from + n; i++) v[i] = (float) ((v[i] - mean) / norm);
	}

	@Override
	public void close() {
		manager.close();
	}
}
