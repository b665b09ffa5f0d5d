package io.github.ctlatent.data;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Builds a slice set folder volume by volume, so that only one volume is in memory at a time. Everything goes to
 * a hidden temporary folder that {@link #commit()} moves into place; closing without commit (error, cancel)
 * deletes it, so the output folder never holds a half-written set.
 * <pre>
 * try (SliceSetWriter w = SliceSetWriter.create(out, Preprocessing.cpuDefault(), seed, 0.1)) {
 *     for (…) w.add(volume.name(), file.toString(), volume);
 *     w.commit();
 * }
 * </pre>
 */
public final class SliceSetWriter implements AutoCloseable {

	private final Path target, tmp;
	private final Preprocessing pre;
	private final OutputStream data;
	private final DatasetCard card = new DatasetCard();
	private final List<DataHealth.Named> health = new ArrayList<>();
	private int count;
	private boolean committed;

	private SliceSetWriter(Path target, Preprocessing pre, long seed, double testFraction) throws IOException {
		this.target = target.toAbsolutePath();
		this.pre = pre;
		Files.createDirectories(this.target.getParent());
		this.tmp = this.target.getParent().resolve("." + this.target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
		Files.createDirectories(tmp);
		this.data = new java.io.BufferedOutputStream(Files.newOutputStream(tmp.resolve(SliceSet.DATA)), 1 << 20);
		card.name = target.getFileName().toString();
		card.preprocessing = pre;
		card.splitSeed = seed;
		card.testFraction = testFraction;
	}

	public static SliceSetWriter create(Path folder, Preprocessing pre, long seed, double testFraction) {
		if (testFraction < 0 || testFraction >= 1) throw new ExplorerException("test_fraction must be in [0, 1), got " + testFraction + ".");
		try {
			return new SliceSetWriter(folder, pre, seed, testFraction);
		} catch (IOException e) {
			throw new ExplorerException("Cannot create slice set folder next to " + folder + ": " + e.getMessage()
				+ ". Check that the folder is writable.", e);
		}
	}

	/** Preprocesses every slice of {@code v} (in parallel) and appends them. */
	public void add(String id, String source, Volume v) {
		for (DatasetCard.VolumeEntry e : card.volumes)
			if (e.id().equals(id)) throw new ExplorerException("Two input volumes are both named '" + id + "' (" + e.source() + ", " + source + "); rename one.");
		health.add(new DataHealth.Named(id, DataHealth.measure(v, pre)));
		float[][] slices = new float[v.depth()][];
		IntStream.range(0, v.depth()).parallel().forEach(z -> slices[z] = pre.apply(v.plane(z), v.width(), v.height()));
		ByteBuffer buf = ByteBuffer.allocate(pre.size() * pre.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
		try {
			for (float[] s : slices) {
				buf.clear();
				buf.asFloatBuffer().put(s);
				data.write(buf.array());
			}
		} catch (IOException e) {
			throw new ExplorerException("Writing slices to " + tmp + " failed: " + e.getMessage() + ". Is the disk full?", e);
		}
		Map<String, String> meta = new LinkedHashMap<>();
		for (String k : new String[] {"modality", "seriesUid", "orientation", "transferSyntax", "format", "sclSlope", "sclInter", "spacingWarning"})
			if (v.metadata().containsKey(k)) meta.put(k, v.metadata().get(k));
		card.volumes.add(new DatasetCard.VolumeEntry(id, source, count, v.depth(), "train", v.width(), v.height(), v.spacing(), meta));
		count += v.depth();
	}

	/** Records a file that was skipped, with the reason (listed in the card and by the command). */
	public void skip(String file, String reason) {
		card.skipped.add(new DatasetCard.Skipped(file, reason));
	}

	/** Copies a per-slice factor table (columns volume, slice, …) into the set: phantom ground truth. */
	public void copyFactors(Path csv) {
		try {
			Files.copy(csv, tmp.resolve("factors.csv"), StandardCopyOption.REPLACE_EXISTING);
			card.factorsFile = "factors.csv";
		} catch (IOException e) {
			throw new ExplorerException("Cannot copy factor table " + csv + ": " + e.getMessage(), e);
		}
	}

	/** Assigns the split ({@link Splits}), measures window fill ({@link DataHealth}), writes card and index, moves the set into place. */
	public DatasetCard commit() {
		if (card.volumes.isEmpty()) throw new ExplorerException("No slices to write: none of the inputs could be read"
			+ (card.skipped.isEmpty() ? "." : " (" + card.skipped.size() + " skipped, first: " + card.skipped.get(0).file() + ": " + card.skipped.get(0).reason() + ")."));
		try {
			data.close();
			Splits.assign(card);
			List<DatasetCard.VolumeEntry> assigned = card.volumes;
			card.sliceCount = count;
			card.testSlices = Splits.count(card, "test");
			card.trainSlices = Splits.count(card, "train");
			card.health = DataHealth.report(health, pre);
			card.pixelSizeMm = median(assigned.stream().mapToDouble(e -> e.spacing()[0] * e.width() / pre.size()).toArray());
			card.sliceSpacingMm = median(assigned.stream().mapToDouble(e -> e.spacing()[2]).toArray());
			card.created = Instant.now().toString();
			card.tool = "ct-latent-explorer " + SliceSetWriter.class.getPackage().getImplementationVersion();
			Json.write(tmp.resolve(DatasetCard.FILE), card);
			try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve(SliceSet.INDEX))) {
				w.write("index,volume,slice,split\n");
				String[] splitOf = card.splitPerSlice();
				for (DatasetCard.VolumeEntry e : assigned)
					for (int s = 0; s < e.slices(); s++) w.write((e.firstSlice() + s) + "," + e.id() + "," + s + "," + splitOf[e.firstSlice() + s] + "\n");
			}
			// a swap: an existing set (checked to be a slice set by the caller) is renamed aside, deleted only after
			AtomicFiles.replaceFolderVia(target, io.github.ctlatent.core.Outputs.replaceable(DatasetCard.FILE), t -> Files.move(tmp, t));
			committed = true;
			return card;
		} catch (IOException e) {
			throw new ExplorerException("Finishing slice set " + target + " failed: " + e.getMessage() + ". Is the disk full?", e);
		}
	}

	private static double median(double[] v) {
		java.util.Arrays.sort(v);
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}

	public int sliceCount() {
		return count;
	}

	@Override
	public void close() {
		if (committed) return;
		try {
			data.close();
		} catch (IOException ignored) {
			// the folder is deleted next
		}
		AtomicFiles.deleteQuietly(tmp);
	}
}
