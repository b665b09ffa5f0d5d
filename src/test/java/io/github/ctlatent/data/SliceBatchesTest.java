package io.github.ctlatent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SliceBatchesTest {

	@TempDir
	Path dir;

	@Test
	void anEpochVisitsEveryTrainingSliceOnceAndSeekReproducesTheStream() {
		SliceSet set = SliceSet.open(SliceSetTest.write(dir.resolve("s"), 8, 3));
		SliceBatches a = new SliceBatches(set, SliceSet.Split.TRAIN, 3, 9, null);
		assertEquals(18 / 3, a.batchesPerEpoch());
		Set<Float> seen = new HashSet<>();
		float[] buf = new float[3 * 64];
		for (int b = 0; b < a.batchesPerEpoch(); b++) {
			a.nextBatch(buf);
			for (int i = 0; i < 3; i++) assertTrue(seen.add(buf[i * 64]), "slice delivered twice in an epoch");
		}
		float[] later = new float[buf.length];
		a.nextBatch(buf); // epoch 1, batch 0
		SliceBatches resumed = new SliceBatches(set, SliceSet.Split.TRAIN, 3, 9, null);
		resumed.seek(a.batchesPerEpoch());
		assertArrayEquals(buf, resumed.nextBatch(later));
	}

	@Test
	void augmentationIsReproducibleAndFillsOutsideWithZero() {
		SliceSet set = SliceSet.open(SliceSetTest.write(dir.resolve("s"), 4, 3));
		Augmentation strong = new Augmentation(30, 0.6, 0.6, 0f); // shrink: corners come from outside
		float[] x = new SliceBatches(set, SliceSet.Split.TRAIN, 2, 5, strong).nextBatch(new float[128]);
		float[] y = new SliceBatches(set, SliceSet.Split.TRAIN, 2, 5, strong).nextBatch(new float[128]);
		assertArrayEquals(x, y);
		assertEquals(0f, x[0]);
	}

	@Test
	void theFewScanBlendMixesASliceOnlyWithANeighbourOfTheSameVolumeAndSplit() {
		// given 4 volumes of 3 constant slices (level 10·volume + z), one volume held out, and a blend-only augmentation
		SliceSet set = SliceSet.open(SliceSetTest.write(dir.resolve("s"), 4, 3));
		Set<Integer> train = new HashSet<>();
		for (DatasetCard.VolumeEntry v : set.card().volumes) if (v.split().equals("train")) train.add(Integer.parseInt(v.id().substring(1)));
		assertEquals(3, train.size());
		SliceBatches batches = new SliceBatches(set, SliceSet.Split.TRAIN, 3, 5, new FewScanAugmentation(1, 0, 0, 0, 0, 0, 0, -1f));
		// when three epochs are drawn
		boolean blended = false;
		float[] buf = new float[3 * 64];
		for (int b = 0; b < 9; b++) {
			batches.nextBatch(buf);
			for (int i = 0; i < 3; i++) {
				double level = (set.card().preprocessing.toHounsfield(buf[i * 64]) + 1000) / 25;
				int volume = (int) Math.floor(level / 10 + 0.05);
				// then every slice lies between two slices of one training volume: no other volume, no held-out anatomy
				assertTrue(train.contains(volume), "level " + level + " is not of a training volume");
				assertTrue(level - 10 * volume > -1e-3 && level - 10 * volume < 2 + 1e-3, "level " + level + " leaves volume " + volume);
				assertEquals(buf[i * 64], buf[i * 64 + 63], 1e-6, "a blend without affine keeps the slice flat");
				blended |= Math.abs(level - Math.round(level)) > 0.01;
			}
		}
		assertTrue(blended, "some slices are blends of two neighbours");
	}

	/** The volume and slice position (z) of a constant slice of {@link SliceSetTest#write}: level 10·volume + z. */
	private static int[] volumeAndZ(SliceSet set, float value) {
		int level = level(set, value);
		return new int[] {level / 10, level % 10};
	}

	/** The level of a constant slice of {@link SliceSetTest#ramp}: 10·volume + z (for one volume, z itself). */
	private static int level(SliceSet set, float value) {
		return (int) Math.round((set.card().preprocessing.toHounsfield(value) + 1000) / 25);
	}

	@Test
	void slicePairsAreAdjacentSlicesOfOneTrainingVolumeAndNeverCrossVolumes() {
		// given 6 volumes of 3 constant slices, some held out
		SliceSet set = SliceSet.open(SliceSetTest.write(dir.resolve("s"), 6, 3));
		Set<Integer> train = new HashSet<>();
		for (DatasetCard.VolumeEntry v : set.card().volumes) if (v.split().equals("train")) train.add(Integer.parseInt(v.id().substring(1)));
		SliceBatches batches = new SliceBatches(set, SliceSet.Split.TRAIN, 4, 3, null, SlicePairs.Pairing.of(SlicePairs.Mode.SLICES));
		int anchors = set.indices(SliceSet.Split.TRAIN).length;
		assertEquals(anchors / 2, batches.batchesPerEpoch(), "an epoch holds every training slice once as an anchor");
		// when five epochs of pair batches are drawn
		float[] buf = new float[4 * 64];
		Set<String> seen = new HashSet<>();
		for (int b = 0; b < 5 * batches.batchesPerEpoch(); b++) {
			batches.nextBatch(buf);
			for (int i = 0; i < 2; i++) {
				int[] a = volumeAndZ(set, buf[i * 64]), p = volumeAndZ(set, buf[(2 + i) * 64]);
				// then each partner is the slice above or below its anchor, in the same training volume
				assertEquals(a[0], p[0], "a pair crosses volumes");
				assertTrue(train.contains(a[0]), "volume " + a[0] + " is held out");
				assertEquals(1, Math.abs(a[1] - p[1]), "slices " + a[1] + " and " + p[1] + " are not neighbours");
				seen.add(a[1] + ">" + p[1]);
			}
		}
		assertTrue(seen.containsAll(Set.of("0>1", "1>0", "1>2", "2>1")), "both directions are drawn: " + seen);
		assertThrows(io.github.ctlatent.core.ExplorerException.class, () -> new SliceBatches(set, SliceSet.Split.TRAIN, 3, 3, null, SlicePairs.Pairing.of(SlicePairs.Mode.SLICES)));
	}

	@Test
	void withAGapPartnersLieUpToThatManySlicesAwayAndNeverAcrossTheHeldOutSlab() {
		// given one volume of 40 constant slices (level = slice position), split by slab: a test slab with gaps around it
		SliceSet set = oneVolume("one");
		int[] test = set.indices(SliceSet.Split.TEST);
		assertEquals("slabs", set.card().split);
		Set<Integer> train = new HashSet<>();
		for (int i : set.indices(SliceSet.Split.TRAIN)) train.add(i);
		SliceBatches batches = new SliceBatches(set, SliceSet.Split.TRAIN, 8, 3, null, new SlicePairs.Pairing(SlicePairs.Mode.SLICES, 12));
		// when twenty epochs of pair batches are drawn
		float[] buf = new float[8 * 64];
		Set<Integer> distances = new HashSet<>();
		for (int b = 0; b < 20 * batches.batchesPerEpoch(); b++) {
			batches.nextBatch(buf);
			float[] offsets = batches.pairOffsets();
			for (int i = 0; i < 4; i++) {
				int a = level(set, buf[i * 64]), p = level(set, buf[(4 + i) * 64]);
				// and the batch says where the partner lies, signed, as a share of the volume's 40 slices
				assertEquals((p - a) / 40f, offsets[i], 1e-6f, "pair " + a + "-" + p);
				// then the partner is 1..12 slices away (the held-out slab and its gaps are 8 slices), a training slice, with no held-out or gap slice between the two
				int d = Math.abs(a - p);
				assertTrue(d >= 1 && d <= 12, "slices " + a + " and " + p + " are " + d + " apart");
				for (int z = Math.min(a, p); z <= Math.max(a, p); z++) assertTrue(train.contains(z), "pair " + a + "-" + p + " crosses slice " + z);
				distances.add(d);
			}
		}
		assertEquals(java.util.stream.IntStream.rangeClosed(1, 12).boxed().collect(java.util.stream.Collectors.toSet()), distances, "every distance up to the gap is drawn");
		assertTrue(test.length > 0);
		assertThrows(io.github.ctlatent.core.ExplorerException.class, () -> new SlicePairs.Pairing(SlicePairs.Mode.SLICES, 0));
	}

	/** Variance in x, variance in y, centroid y and the xy moment of a {@code size}² image weighted by brightness above air (−1). */
	private static double[] shape(float[] img, int size) {
		double n = 0, cx = 0, cy = 0, xx = 0, yy = 0, xy = 0;
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				double w = img[y * size + x] + 1;
				n += w; cx += w * x; cy += w * y;
			}
		cx /= n; cy /= n;
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				double w = img[y * size + x] + 1;
				xx += w * (x - cx) * (x - cx); yy += w * (y - cy) * (y - cy); xy += w * (x - cx) * (y - cy);
			}
		return new double[] {xx / n, yy / n, cy, xy / n};
	}

	/** One volume of 40 constant slices (level = slice position), split by slab (a test slab with gaps around it). */
	private SliceSet oneVolume(String name) {
		Path out = dir.resolve(name);
		try (SliceSetWriter w = SliceSetWriter.create(out, new Preprocessing(-1000, 2000, 8, "lanczos4"), 1, 0.1)) {
			w.add("v0", "mem:0", SliceSetTest.ramp(0, 40));
			w.commit();
		}
		return SliceSet.open(out);
	}

	@Test
	void everyPairOfAGeometryBatchSaysWhichOneChangeMadeIt() {
		// given one volume of 40 slices, paired with slices up to 12 away or with one geometric change
		SliceBatches batches = new SliceBatches(oneVolume("geometry"), SliceSet.Split.TRAIN, 8, 3, null, new SlicePairs.Pairing(SlicePairs.Mode.SLICES_GEOMETRY, 12));
		int slicePairs = 0, geometric = 0;
		for (int b = 0; b < 10; b++) {
			// when a batch is drawn
			batches.nextBatch(new float[8 * 64]);
			float[] offsets = batches.pairOffsets();
			float[][] changes = batches.pairChanges();
			assertEquals(SlicePairs.Change.values().length, changes.length);
			for (int i = 0; i < 4; i++) {
				int changed = 0;
				for (float[] c : changes) if (c[i] != 0) {
					changed++;
					// half the drawn size: ±0.1..±0.5 of the change's range
					assertTrue(Math.abs(c[i]) >= 0.1f - 1e-6f && Math.abs(c[i]) <= 0.5f + 1e-6f, "change " + c[i]);
				}
				// then a pair is either two slices (an offset, no change) or one geometric change of one slice
				if (offsets[i] != 0) {
					assertEquals(0, changed);
					slicePairs++;
				} else {
					assertEquals(1, changed);
					geometric++;
				}
			}
		}
		assertTrue(slicePairs > 5 && geometric > 5, slicePairs + " slice pairs, " + geometric + " geometric");
	}

	@Test
	void aChosenSetOfChangesIsAllAGeometryBatchDrawsAndTheFullSetDrawsAsBefore() {
		SlicePairs.Pairing all = new SlicePairs.Pairing(SlicePairs.Mode.SLICES_GEOMETRY, 12);
		Set<SlicePairs.Change> two = EnumSet.of(SlicePairs.Change.ROTATION, SlicePairs.Change.X_SCALE);
		// given batches of one volume drawing all four changes, and the same seed drawing two
		SliceBatches four = new SliceBatches(oneVolume("four"), SliceSet.Split.TRAIN, 8, 3, null, all);
		SliceBatches some = new SliceBatches(oneVolume("two"), SliceSet.Split.TRAIN, 8, 3, null, all.withChanges(two));
		SliceBatches same = new SliceBatches(oneVolume("same"), SliceSet.Split.TRAIN, 8, 3, null, all.withChanges(EnumSet.allOf(SlicePairs.Change.class)));
		int drawn = 0;
		for (int b = 0; b < 20; b++) {
			// when their batches are drawn
			float[] x = new float[8 * 64], y = new float[8 * 64];
			four.nextBatch(x);
			same.nextBatch(y);
			some.nextBatch(new float[8 * 64]);
			// then the two-change batches change only by rotation and x-scale
			float[][] c = some.pairChanges();
			for (SlicePairs.Change ch : SlicePairs.Change.values())
				for (float v : c[ch.ordinal()]) if (v != 0) {
					assertTrue(two.contains(ch), ch + " was drawn");
					drawn++;
				}
			// and a set naming all four draws exactly the default's pairs
			assertArrayEquals(x, y);
			assertArrayEquals(four.pairChanges(), same.pairChanges());
		}
		assertTrue(drawn > 10, drawn + " geometric pairs");
		assertEquals(two, SlicePairs.Change.parse("x_scale rotation"));
		assertEquals(EnumSet.allOf(SlicePairs.Change.class), SlicePairs.Change.parse(" "));
		assertThrows(io.github.ctlatent.core.ExplorerException.class, () -> SlicePairs.Change.parse("rotation,shear"));
	}

	@Test
	void aGeometricPairChangesExactlyOneOfRotationVerticalShiftWidthAndHeight() {
		// given a centred 32 x 20 bright rectangle on air in a 64² image
		int size = 64;
		float[] src = new float[size * size];
		for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) src[y * size + x] = Math.abs(x - 31.5) < 16 && Math.abs(y - 31.5) < 10 ? 1f : -1f;
		double[] before = shape(src, size);
		java.util.Random rnd = new java.util.Random(4);
		java.util.EnumSet<SlicePairs.Change> drawn = java.util.EnumSet.noneOf(SlicePairs.Change.class);
		for (int k = 0; k < 40; k++) {
			// when one geometric change is drawn
			float[] dst = new float[size * size];
			SlicePairs.Changed changed = SlicePairs.geometric(src, size, dst, 0, rnd, EnumSet.allOf(SlicePairs.Change.class));
			SlicePairs.Change c = changed.change();
			assertTrue(Math.abs(changed.amount()) >= 0.2 && Math.abs(changed.amount()) <= 1, "size " + changed.amount());
			drawn.add(c);
			double[] after = shape(dst, size);
			// the smallest scale change is 2.6% (variance 5%), the smallest shift 0.7 px; the smallest turn (3°) gives an xy moment of about 2.7
			boolean width = Math.abs(after[0] / before[0] - 1) > 0.03, height = Math.abs(after[1] / before[1] - 1) > 0.03;
			boolean shifted = Math.abs(after[2] - before[2]) > 0.3, turned = Math.abs(after[3]) > 1;
			// then exactly the drawn property changes (a turn also mixes the variances: only the turn is checked then)
			String got = c + " " + java.util.Arrays.toString(after) + " from " + java.util.Arrays.toString(before);
			switch (c) {
				case ROTATION -> assertTrue(turned && !shifted, got);
				case Y_SHIFT -> assertTrue(shifted && !width && !height && !turned, got);
				case X_SCALE -> assertTrue(width && !height && !shifted && !turned && after[0] > before[0] == changed.amount() > 0, got);
				case Y_SCALE -> assertTrue(height && !width && !shifted && !turned && after[1] > before[1] == changed.amount() > 0, got);
			}
		}
		assertEquals(java.util.EnumSet.allOf(SlicePairs.Change.class), drawn);
	}
}
