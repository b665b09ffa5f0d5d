package io.github.ctlatent.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The train/test split of a slice set, deterministic for a seed. With two or more volumes the split is by volume
 * (patient), as in the paper. With one volume there is nothing to hold out by patient, so the volume is cut into
 * a contiguous test slab and training slices, with a gap of unused slices on each side of the test slab: adjacent
 * CT slices are nearly identical, and without the gap the "held-out" error would be a training error in disguise.
 * Whatever happens, the card says so in {@link DatasetCard#splitNote}; an empty test set is never silent.
 */
final class Splits {

	/** Gap on each side of a test slab, as a share of the volume's slices (at least one slice). */
	static final double GAP_FRACTION = 0.05;

	private Splits() {}

	/** Fills the card's volume splits, slabs, split kind and note. */
	static void assign(DatasetCard card) {
		List<DatasetCard.VolumeEntry> v = card.volumes;
		double f = card.testFraction;
		card.slabs = new ArrayList<>();
		if (f <= 0) {
			card.volumes = withSplits(v, new String[v.size()], "train");
			card.split = "none";
			card.splitNote = "No test split (test_fraction=0): held-out figures during training are measured on training slices.";
		} else if (v.size() >= 2) {
			card.volumes = byVolume(v, card.splitSeed, f);
			card.split = "volumes";
			long test = card.volumes.stream().filter(e -> e.split().equals("test")).count();
			card.splitNote = String.format(Locale.ROOT, "Split by volume (patient): %d of %d volumes held out for testing.", test, v.size());
		} else {
			bySlab(card, f);
		}
	}

	/** Volume-wise (patient-wise) split; ≥ 1 test volume. */
	private static List<DatasetCard.VolumeEntry> byVolume(List<DatasetCard.VolumeEntry> volumes, long seed, double testFraction) {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < volumes.size(); i++) order.add(i);
		Collections.shuffle(order, new Random(seed));
		int nTest = Math.max(1, (int) Math.round(testFraction * volumes.size()));
		String[] split = new String[volumes.size()];
		for (int i = 0; i < nTest; i++) split[order.get(i)] = "test";
		return withSplits(volumes, split, "train");
	}

	/** One volume: a test slab of ≈ testFraction of its slices at a seeded position, gaps on both sides. */
	private static void bySlab(DatasetCard card, double testFraction) {
		DatasetCard.VolumeEntry e = card.volumes.get(0);
		int depth = e.slices(), nTest = Math.max(1, (int) Math.round(testFraction * depth)), gap = Math.max(1, (int) Math.round(GAP_FRACTION * depth));
		if (depth - nTest - gap < 1) { // too thin for a slab split: everything trains, and the card says so
			card.volumes = withSplits(card.volumes, new String[1], "train");
			card.split = "none";
			card.splitNote = String.format(Locale.ROOT, "WARNING: no test split: one volume of only %d slices is too thin for a test slab of %d slices "
				+ "with a %d-slice gap. Held-out figures during training are measured on training slices; give more volumes or slices.", depth, nTest, gap);
			return;
		}
		int start = new Random(card.splitSeed).nextInt(depth - nTest + 1), end = start + nTest; // [start, end) is the test slab
		int first = e.firstSlice();
		slab(card, e.id(), first, 0, Math.max(0, start - gap), "train");
		slab(card, e.id(), first, Math.max(0, start - gap), start, "gap");
		slab(card, e.id(), first, start, end, "test");
		slab(card, e.id(), first, end, Math.min(depth, end + gap), "gap");
		slab(card, e.id(), first, Math.min(depth, end + gap), depth, "train");
		card.volumes = withSplits(card.volumes, new String[] {"slabs"}, "slabs");
		card.split = "slabs";
		int unused = Math.min(gap, start) + Math.min(gap, depth - end);
		card.splitNote = String.format(Locale.ROOT, "Only one volume, so the split is by slab, not by patient: slices %d-%d of %s (%d slices) are the "
			+ "test set, %d slices around it are left out as a gap so that neighbouring slices do not leak, %d slices train. Held-out figures "
			+ "measure other anatomy of the same patient, not other patients.", start, end - 1, e.id(), nTest, unused, depth - nTest - unused);
	}

	private static void slab(DatasetCard card, String volume, int first, int from, int to, String split) {
		if (to > from) card.slabs.add(new DatasetCard.Slab(volume, first + from, to - from, split));
	}

	private static List<DatasetCard.VolumeEntry> withSplits(List<DatasetCard.VolumeEntry> volumes, String[] split, String otherwise) {
		List<DatasetCard.VolumeEntry> out = new ArrayList<>();
		for (int i = 0; i < volumes.size(); i++) {
			DatasetCard.VolumeEntry e = volumes.get(i);
			out.add(new DatasetCard.VolumeEntry(e.id(), e.source(), e.firstSlice(), e.slices(), split[i] != null ? split[i] : otherwise, e.width(),
				e.height(), e.spacing(), e.metadata()));
		}
		return out;
	}

	/** Slices of {@code split} ("train", "test"), counting slabs. */
	static int count(DatasetCard card, String split) {
		int n = card.volumes.stream().filter(e -> e.split().equals(split)).mapToInt(DatasetCard.VolumeEntry::slices).sum();
		return n + card.slabs.stream().filter(b -> b.split().equals(split)).mapToInt(DatasetCard.Slab::slices).sum();
	}
}
