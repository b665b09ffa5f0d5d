package io.github.ctlatent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
}
