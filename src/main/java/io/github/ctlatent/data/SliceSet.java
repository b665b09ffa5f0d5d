package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A prepared slice set on disk: {@code dataset.json} (the card), {@code slices.f32} (all slices, float32 little
 * endian, size² each, memory-mapped — the OS pages in what is read, so sets far larger than the heap work) and
 * {@code slices.csv} (slice → volume, split).
 */
public final class SliceSet {

	public static final String DATA = "slices.f32", INDEX = "slices.csv";

	/** Mapped in chunks: one MappedByteBuffer addresses at most 2 GiB. */
	private static final long CHUNK_BYTES = 1L << 30;

	public enum Split { TRAIN, TEST, ALL }

	private final Path folder;
	private final DatasetCard card;
	private final int size, sliceFloats, slicesPerChunk;
	private final FloatBuffer[] chunks;
	private final String[] splitOf;

	private SliceSet(Path folder) throws IOException {
		this.folder = folder;
		this.card = DatasetCard.read(folder);
		if (card.formatVersion != DatasetCard.FORMAT_VERSION)
			throw new ExplorerException("Slice set " + folder + " has format version " + card.formatVersion + "; this tool reads "
				+ DatasetCard.FORMAT_VERSION + ". Prepare it again with 'Prepare Slice Set'.");
		this.size = card.preprocessing.size();
		this.sliceFloats = size * size;
		long bytesPerSlice = 4L * sliceFloats;
		Path data = folder.resolve(DATA);
		long expected = bytesPerSlice * card.sliceCount;
		if (!Files.isRegularFile(data) || Files.size(data) != expected)
			throw new ExplorerException("Slice data " + data + " is missing or truncated (expected " + expected + " bytes for "
				+ card.sliceCount + " slices of " + size + "²). Prepare the slice set again.");
		this.slicesPerChunk = (int) Math.max(1, CHUNK_BYTES / bytesPerSlice);
		int nChunks = (int) ((card.sliceCount + slicesPerChunk - 1L) / slicesPerChunk);
		this.chunks = new FloatBuffer[nChunks];
		try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
			for (int c = 0; c < nChunks; c++) {
				long start = (long) c * slicesPerChunk * bytesPerSlice;
				long len = Math.min(expected - start, (long) slicesPerChunk * bytesPerSlice);
				MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, start, len);
				chunks[c] = m.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
			}
		}
		this.splitOf = card.splitPerSlice();
	}

	public static SliceSet open(Path folder) {
		if (!Files.isRegularFile(folder.resolve(DatasetCard.FILE)))
			throw new ExplorerException(folder + " is not a slice set (no " + DatasetCard.FILE + "). Create one with 'Prepare Slice Set'.");
		try {
			return new SliceSet(folder);
		} catch (IOException e) {
			throw new ExplorerException("Cannot open slice set " + folder + ": " + e.getMessage(), e);
		}
	}

	public Path folder() { return folder; }
	public DatasetCard card() { return card; }
	public int size() { return size; }
	public int count() { return card.sliceCount; }

	/** Slice indices of a split, in storage order. */
	public int[] indices(Split split) {
		if (split == Split.ALL) return java.util.stream.IntStream.range(0, count()).toArray();
		String s = split.name().toLowerCase(java.util.Locale.ROOT);
		return java.util.stream.IntStream.range(0, count()).filter(i -> splitOf[i].equals(s)).toArray();
	}

	/** Copies slice {@code index} into {@code dst} at {@code offset} (thread-safe). */
	public void read(int index, float[] dst, int offset) {
		if (index < 0 || index >= count()) throw new IndexOutOfBoundsException("slice " + index + " of " + count());
		FloatBuffer chunk = chunks[index / slicesPerChunk].duplicate();
		chunk.position((index % slicesPerChunk) * sliceFloats);
		chunk.get(dst, offset, sliceFloats);
	}

	/**
	 * Refuses a set whose slices hold NaN or ±Infinity (an edited or damaged {@code slices.f32}): every figure read
	 * against it would be NaN. Reads the whole set once (memory-mapped: about a second per GiB).
	 */
	public SliceSet requireFinite() {
		float[] s = new float[sliceFloats];
		for (int i = 0; i < count(); i++) {
			read(i, s, 0);
			for (float v : s)
				if (!Float.isFinite(v)) throw new ExplorerException(folder.resolve(DATA) + ": slice " + i + " holds NaN or infinite values, so the file is "
					+ "damaged. Prepare the slice set again with 'Prepare Slice Set'.");
		}
		return this;
	}

	public float[] slice(int index) {
		float[] s = new float[sliceFloats];
		read(index, s, 0);
		return s;
	}

	/** At most {@code max} of the slices {@code indices} names, evenly spread over them in their order (all when fewer). */
	public float[][] spread(int[] indices, int max) {
		int n = Math.min(max, indices.length);
		float[][] out = new float[n][];
		for (int i = 0; i < n; i++) out[i] = slice(indices[(int) ((long) i * indices.length / n)]);
		return out;
	}
}
