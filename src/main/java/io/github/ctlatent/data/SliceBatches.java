package io.github.ctlatent.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;

import java.util.Random;

/**
 * Shuffled mini-batches of one split of a {@link SliceSet}, as one (B, 1, S, S) array per call: the training
 * loop's data source. Order and augmentation depend only on (seed, epoch, batch), so {@link #seek} to a
 * checkpoint's position reproduces exactly the batches an uninterrupted run would have seen. The last incomplete
 * batch of an epoch is dropped (constant batch statistics for BatchNorm).
 * <p>
 * With {@link SlicePairs pairs}, a batch of B holds B/2 pairs: rows 0..B/2−1 are anchors (an epoch visits every
 * training slice once as an anchor), row B/2+i is anchor i's partner; both images of a pair get the same augmentation
 * draw, so the pair differs only in what the pairing changed.
 */
public final class SliceBatches {

	private final SliceSet set;
	private final int[] indices;
	private final int batchSize, sliceFloats;
	private final long seed;
	private final SliceAugmentation augmentation;
	private final SlicePairs.Pairing pairs;
	/** Per slice i of the set: whether slice i+1 is of the same volume (see {@link #sliceWithin}); filled only for blending augmentations. */
	private final boolean[] sameVolumeAsNext;
	private final java.util.Set<Integer> inSplit = new java.util.HashSet<>();
	private final float[] plain, next;
	/** Per slice: 1 / the number of slices of its volume (filled with the neighbour table). */
	private final float[] perVolumeSlice;
	/** The last pair batch's {@link #pairOffsets()}. */
	private float[] offsets = new float[0];
	private float[][] changes = new float[SlicePairs.Change.values().length][0];
	private int[] order;
	private long epoch = -1, position;

	/** @param augmentation null for none (the paper augments its training split) */
	public SliceBatches(SliceSet set, SliceSet.Split split, int batchSize, long seed, SliceAugmentation augmentation) {
		this(set, split, batchSize, seed, augmentation, SlicePairs.Pairing.NONE);
	}

	/** As above, delivering pairs of images as {@code pairs} says (NONE: single slices). */
	public SliceBatches(SliceSet set, SliceSet.Split split, int batchSize, long seed, SliceAugmentation augmentation, SlicePairs.Pairing pairs) {
		this.set = set;
		this.pairs = pairs;
		if (pairs.paired() && (batchSize < 2 || batchSize % 2 != 0))
			throw new ExplorerException("pairs=" + pairs.mode().key + " needs an even batch size of at least 2 (half anchors, half partners), got " + batchSize + ".");
		this.indices = set.indices(split);
		if (batchSize < 1) throw new ExplorerException("batch size must be >= 1, got " + batchSize + ".");
		if (indices.length < batchSize)
			throw new ExplorerException("The " + split.name().toLowerCase() + " split of " + set.folder() + " has " + indices.length
				+ " slices, fewer than one batch of " + batchSize + ". Use a smaller batch or more data.");
		this.batchSize = batchSize;
		this.sliceFloats = set.size() * set.size();
		this.seed = seed;
		this.augmentation = augmentation;
		this.plain = new float[sliceFloats];
		this.next = new float[sliceFloats];
		this.sameVolumeAsNext = new boolean[set.count()];
		this.perVolumeSlice = new float[pairs.paired() ? set.count() : 0];
		if (pairs.paired() || augmentation != null && augmentation.usesNeighbours()) {
			for (int i : indices) inSplit.add(i);
			for (DatasetCard.VolumeEntry v : set.card().volumes) {
				for (int i = v.firstSlice(); i + 1 < v.firstSlice() + v.slices(); i++) sameVolumeAsNext[i] = true;
				if (pairs.paired()) java.util.Arrays.fill(perVolumeSlice, v.firstSlice(), v.firstSlice() + v.slices(), 1f / v.slices());
			}
		}
	}

	/**
	 * A slice d = 1..{@code gap} slices from {@code idx} (d uniform, then up or down, drawn from {@code rnd}), every slice
	 * between the two of the same volume and split — a slab split's gap is never crossed, so held-out anatomy does not
	 * leak into training; where neither side has d such slices, the largest distance below d that one side has; null
	 * when not even a neighbour has. With a gap of 1: the slice above or below, else the other one.
	 */
	private float[] sliceWithin(int idx, int gap, Random rnd) {
		int offset = offsetWithin(idx, gap, rnd);
		if (offset == 0) return null;
		set.read(idx + offset, next, 0);
		return next;
	}

	/** The signed offset (slices, + along the stored order) of the slice {@link #sliceWithin} reads, or 0 when there is none. */
	private int offsetWithin(int idx, int gap, Random rnd) {
		int d = gap == 1 ? 1 : 1 + rnd.nextInt(gap); // no draw at 1: runs from before gaps existed repeat exactly
		boolean pickUp = rnd.nextBoolean();
		for (; d >= 1; d--) {
			boolean up = reachable(idx, d), down = reachable(idx, -d);
			if (!up && !down) continue;
			return up && (pickUp || !down) ? d : -d;
		}
		return 0;
	}

	/** Whether every slice from idx (exclusive) to idx + offset (inclusive) is of idx's volume and in the split. */
	private boolean reachable(int idx, int offset) {
		int step = offset > 0 ? 1 : -1;
		for (int i = idx; i != idx + offset; i += step) {
			int j = i + step;
			if (j < 0 || j >= sameVolumeAsNext.length || !sameVolumeAsNext[Math.min(i, j)] || !inSplit.contains(j)) return false;
		}
		return true;
	}

	public int batchesPerEpoch() {
		return indices.length / anchorsPerBatch();
	}

	private int anchorsPerBatch() {
		return pairs.paired() ? batchSize / 2 : batchSize;
	}

	/** Batches delivered so far (the resume position). */
	public long position() {
		return position;
	}

	/** Continues as if {@code batches} batches had been delivered. */
	public void seek(long batches) {
		position = batches;
	}

	public int batchSize() {
		return batchSize;
	}

	/** Fills {@code dst} (length B·S·S) with the next batch. */
	public float[] nextBatch(float[] dst) {
		if (pairs.paired()) return nextPairs(dst);
		int b = batchInEpoch();
		Random rnd = augmentation == null ? null : batchRandom(b);
		for (int i = 0; i < batchSize; i++) {
			int idx = order[b * batchSize + i];
			if (rnd == null) set.read(idx, dst, i * sliceFloats);
			else {
				set.read(idx, plain, 0);
				augmentation.apply(plain, augmentation.usesNeighbours() ? sliceWithin(idx, 1, rnd) : null, set.size(), dst, i * sliceFloats, rnd);
			}
		}
		position++;
		return dst;
	}

	/** The current batch's index in its epoch, with that epoch's slice order in {@code order}. */
	private int batchInEpoch() {
		long e = position / batchesPerEpoch();
		if (e != epoch) {
			order = permutation(indices, new Random(seed * 1_000_003L + e));
			epoch = e;
		}
		return (int) (position % batchesPerEpoch());
	}

	/** The random stream of batch {@code b} of the current epoch: a function of (seed, epoch, batch) alone. */
	private Random batchRandom(int b) {
		return new Random((seed * 1_000_003L + epoch) * 1_000_033L + b);
	}

	/** The anchors of the next batch in the first half of {@code dst}, their partners in the second (see the class comment). */
	private float[] nextPairs(float[] dst) {
		int n = anchorsPerBatch(), b = batchInEpoch();
		Random rnd = batchRandom(b);
		float[] partner = new float[sliceFloats];
		offsets = new float[n];
		changes = new float[SlicePairs.Change.values().length][n];
		for (int i = 0; i < n; i++) {
			int idx = order[b * n + i];
			set.read(idx, plain, 0);
			boolean geometric = pairs.mode() == SlicePairs.Mode.SLICES_GEOMETRY && rnd.nextBoolean();
			int offset = geometric ? 0 : offsetWithin(idx, pairs.maxGap(), rnd);
			if (geometric) {
				SlicePairs.Changed c = SlicePairs.geometric(plain, set.size(), partner, 0, rnd, pairs.changes());
				changes[c.change().ordinal()][i] = (float) (c.amount() / 2); // the change's whole range (−1…+1) is one "volume"
			}
			else if (offset != 0) set.read(idx + offset, partner, 0);
			else System.arraycopy(plain, 0, partner, 0, sliceFloats); // a one-slice volume pairs with itself
			offsets[i] = offset * perVolumeSlice[idx];
			long draw = rnd.nextLong(); // one augmentation draw for both images of the pair
			place(plain, dst, i, draw);
			place(partner, dst, n + i, draw);
		}
		position++;
		return dst;
	}

	/**
	 * Per pair of the last batch: how far its second image lies from its first along the volume's stored slice order,
	 * as a signed fraction of the volume's slices (+ further along); 0 where the pair is not two slices (a geometric
	 * change, a one-slice volume). Empty without pairs.
	 */
	public float[] pairOffsets() {
		return offsets.clone();
	}

	/**
	 * Per {@link SlicePairs.Change} (by ordinal), per pair of the last batch: how far its second image was changed that
	 * way, as a signed share of the change's whole range (±0.1…±0.5: half the drawn size), 0 where the pair is not that
	 * change — the geometric counterpart of {@link #pairOffsets()}, for a loss that knows which factor changed.
	 */
	public float[][] pairChanges() {
		float[][] copy = new float[changes.length][];
		for (int c = 0; c < changes.length; c++) copy[c] = changes[c].clone();
		return copy;
	}

	/** Row {@code row} of {@code dst}: {@code slice} augmented with the stream of {@code draw} (the along-body blend is left out: the pair is that). */
	private void place(float[] slice, float[] dst, int row, long draw) {
		if (augmentation == null) System.arraycopy(slice, 0, dst, row * sliceFloats, sliceFloats);
		else augmentation.apply(slice, null, set.size(), dst, row * sliceFloats, new Random(draw));
	}

	/** The next batch as a (B, 1, S, S) array owned by {@code manager}. */
	public NDArray next(NDManager manager) {
		float[] buf = nextBatch(new float[batchSize * sliceFloats]);
		return manager.create(buf, new Shape(batchSize, 1, set.size(), set.size()));
	}

	private static int[] permutation(int[] values, Random rnd) {
		int[] p = values.clone();
		for (int i = p.length - 1; i > 0; i--) {
			int j = rnd.nextInt(i + 1);
			int t = p[i];
			p[i] = p[j];
			p[j] = t;
		}
		return p;
	}
}
