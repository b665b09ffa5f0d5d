package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

public class SliceSetTest {

	@TempDir
	Path dir;

	/** A volume whose slice z has the constant HU value 25·(id·10 + z) − 1000. */
	public static Volume ramp(int id, int depth) {
		float[][] planes = new float[depth][32 * 32];
		for (int z = 0; z < depth; z++) java.util.Arrays.fill(planes[z], 25f * (id * 10 + z) - 1000);
		return new Volume("v" + id, 32, 32, planes, new double[] {1, 1, 2}, true, Map.of("modality", "CT"));
	}

	public static Path write(Path out, int volumes, long seed) {
		try (SliceSetWriter w = SliceSetWriter.create(out, new Preprocessing(-1000, 2000, 8, "lanczos4"), seed, 0.25)) {
			for (int i = 0; i < volumes; i++) w.add("v" + i, "mem:" + i, ramp(i, 3));
			w.commit();
		}
		return out;
	}

	@Test
	void writesAndMapsEverySliceInOrder() {
		SliceSet set = SliceSet.open(write(dir.resolve("set"), 4, 1));
		assertEquals(12, set.count());
		assertEquals(8, set.size());
		assertEquals(4.0, set.card().pixelSizeMm, 1e-12); // 1 mm pixels, 32 px wide, resized to 8
		assertEquals(2.0, set.card().sliceSpacingMm, 1e-12);
		Preprocessing p = set.card().preprocessing;
		for (int i = 0; i < 12; i++) {
			int id = i / 3, z = i % 3;
			assertEquals(p.fromHounsfield(25.0 * (id * 10 + z) - 1000), set.slice(i)[17], 1e-5);
		}
	}

	@Test
	void splitsByVolumeDeterministicallyForTheSeed() throws IOException {
		SliceSet a = SliceSet.open(write(dir.resolve("a"), 8, 42));
		SliceSet b = SliceSet.open(write(dir.resolve("b"), 8, 42));
		assertArrayEquals(a.indices(SliceSet.Split.TEST), b.indices(SliceSet.Split.TEST));
		assertEquals(2 * 3, a.indices(SliceSet.Split.TEST).length); // 25% of 8 volumes, 3 slices each
		for (DatasetCard.VolumeEntry e : a.card().volumes) { // never a volume in both splits
			long inTest = java.util.stream.IntStream.of(a.indices(SliceSet.Split.TEST)).filter(i -> i >= e.firstSlice() && i < e.firstSlice() + e.slices()).count();
			assertTrue(inTest == 0 || inTest == e.slices());
		}
		assertTrue(Files.readString(a.folder().resolve(SliceSet.INDEX)).startsWith("index,volume,slice,split\n0,v0,0,"));
	}

	@Test
	void anUncommittedWriterLeavesNothingBehind() throws IOException {
		try (SliceSetWriter w = SliceSetWriter.create(dir.resolve("set"), Preprocessing.cpuDefault(), 1, 0.1)) {
			w.add("v0", "mem", ramp(0, 2));
			// no commit: an error or cancel happened
		}
		try (var s = Files.list(dir)) {
			assertEquals(0, s.count());
		}
	}

	@Test
	void truncatedDataAndDuplicateNamesAreClearErrors() throws IOException {
		Path set = write(dir.resolve("set"), 2, 1);
		byte[] data = Files.readAllBytes(set.resolve(SliceSet.DATA));
		Files.write(set.resolve(SliceSet.DATA), java.util.Arrays.copyOf(data, data.length - 4));
		assertTrue(assertThrows(ExplorerException.class, () -> SliceSet.open(set)).getMessage().contains("missing or truncated"));
		try (SliceSetWriter w = SliceSetWriter.create(dir.resolve("dup"), Preprocessing.cpuDefault(), 1, 0.1)) {
			w.add("same", "a", ramp(0, 1));
			assertThrows(ExplorerException.class, () -> w.add("same", "b", ramp(1, 1)));
		}
		assertTrue(assertThrows(ExplorerException.class, () -> SliceSet.open(dir)).getMessage().contains("is not a slice set"));
	}
}
