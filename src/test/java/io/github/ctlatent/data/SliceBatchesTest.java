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
}
