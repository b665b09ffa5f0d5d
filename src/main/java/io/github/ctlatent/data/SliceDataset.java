package io.github.ctlatent.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

/**
 * A split of a {@link SliceSet} as a DJL {@link RandomAccessDataset}: data = one (1, S, S) slice, label = its
 * index in the set. For DJL's own {@code EasyTrain}/{@code Trainer} users; the project's training loop reads
 * whole batches through the faster {@link SliceBatches}.
 * <pre>
 * SliceDataset ds = SliceDataset.builder().set(SliceSet.open(dir)).split(SliceSet.Split.TRAIN).setSampling(64, true).build();
 * </pre>
 */
public final class SliceDataset extends RandomAccessDataset {

	private final SliceSet set;
	private final int[] indices;

	private SliceDataset(Builder b) {
		super(b);
		this.set = b.set;
		this.indices = b.set.indices(b.split);
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public Record get(NDManager manager, long index) {
		int i = indices[Math.toIntExact(index)];
		NDList data = new NDList(manager.create(set.slice(i), new Shape(1, set.size(), set.size())));
		return new Record(data, new NDList(manager.create((float) i)));
	}

	@Override
	protected long availableSize() {
		return indices.length;
	}

	@Override
	public void prepare(Progress progress) {
		// the slice set is prepared on disk by 'Prepare Slice Set'
	}

	public static final class Builder extends BaseBuilder<Builder> {
		private SliceSet set;
		private SliceSet.Split split = SliceSet.Split.TRAIN;

		public Builder set(SliceSet s) {
			this.set = s;
			return this;
		}

		public Builder split(SliceSet.Split s) {
			this.split = s;
			return this;
		}

		@Override
		protected Builder self() {
			return this;
		}

		public SliceDataset build() {
			if (set == null) throw new IllegalStateException("set(SliceSet) is required");
			return new SliceDataset(this);
		}
	}
}
