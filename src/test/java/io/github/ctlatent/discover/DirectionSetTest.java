package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DirectionSetTest {

	private static DirectionSet projSet(String fingerprint) {
		SplittableRandom rnd = new SplittableRandom(9);
		float[][] a = new float[5][3];
		for (float[] r : a) for (int i = 0; i < 3; i++) r[i] = (float) rnd.nextGaussian() / 7; // not exactly representable in decimal
		float[] b = {0.1f / 3, -0.2f, 1e-7f};
		List<DirectionSet.DirectionStat> stats = List.of(new DirectionSet.DirectionStat(0, 0.9, 0.01, null), new DirectionSet.DirectionStat(1, 0.5, null, null),
			new DirectionSet.DirectionStat(2, null, null, null), new DirectionSet.DirectionStat(3, 1.0, 0.2, null), new DirectionSet.DirectionStat(4, 0.0, 0.0, null));
		return new DirectionSet("voynov", DeformatorType.PROJ, Map.of("steps", 3000, "reconstructor", "lenet"), fingerprint, a, b, stats);
	}

	@Test
	void saveAndLoadRoundTripBitExactlyIncludingTheGeometry(@TempDir Path dir) {
		DirectionSet set = projSet("gen-1");
		Path file = dir.resolve(DirectionSet.FILE_NAME);

		DirectionSet loaded = DirectionSet.load(set.save(file).source());

		assertEquals(file, loaded.source());
		assertEquals("voynov", loaded.method());
		assertEquals(DeformatorType.PROJ, loaded.deformator());
		assertEquals("gen-1", loaded.generatorFingerprint());
		assertEquals("lenet", loaded.settings().get("reconstructor"));
		assertTrue(java.util.Arrays.deepEquals(set.matrix(), loaded.matrix()));
		assertArrayEquals(set.bias(), loaded.bias(), 0f);
		assertEquals(set.stats(), loaded.stats());
		for (int k = 0; k < 5; k++) assertArrayEquals(set.shift(k, -3.25f), loaded.shift(k, -3.25f), 0f);
	}

	@Test
	void projShiftKeepsTheOriginalsGeometry() {
		DirectionSet set = projSet(null);
		float[] plus = set.shift(2, 2f), minus = set.shift(2, -2f);
		assertEquals(2, Math.sqrt(plus[0] * plus[0] + plus[1] * plus[1] + plus[2] * plus[2]), 1e-6);
		assertNotEquals(-plus[0], minus[0], 1e-4f, "± are not opposite because of the bias");
		assertArrayEquals(new float[3], set.shift(2, 0f), 0f);
	}

	@Test
	void aSetOfAnotherGeneratorIsRefusedNamingBoth(@TempDir Path dir) {
		DirectionSet set = projSet("toy-aaaa").save(dir.resolve("d.json"));
		try (LinearGenerator other = new LinearGenerator(3, 4, 1, 1)) {
			String msg = assertThrows(ExplorerException.class, () -> set.requireGenerator(other)).getMessage();
			assertEquals("direction set " + dir.resolve("d.json") + " was discovered on generator toy-aaaa, not " + other.fingerprint()
				+ ". Use the direction set discovered on this generator, or run discovery on it.", msg);
			assertDoesNotThrow(() -> projSet(other.fingerprint()).requireGenerator(other));
		}
	}

	@Test
	void corruptAndNewerFilesAreClearErrors(@TempDir Path dir) throws Exception {
		Path file = projSet("g").save(dir.resolve("d.json")).source();
		String json = Files.readString(file);
		Files.writeString(file, json.replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
		assertTrue(assertThrows(ExplorerException.class, () -> DirectionSet.load(file)).getMessage().contains("format version 99"));
		Files.writeString(file, json.replace("\"directions\": 5", "\"directions\": 6"));
		assertTrue(assertThrows(ExplorerException.class, () -> DirectionSet.load(file)).getMessage().contains("corrupt"));
		Files.writeString(file, json.substring(0, json.length() / 2));
		assertTrue(assertThrows(ExplorerException.class, () -> DirectionSet.load(file)).getMessage().contains(file.toString()));
		Json.write(file, Map.of("formatVersion", 1));
		assertTrue(assertThrows(ExplorerException.class, () -> DirectionSet.load(file)).getMessage().contains("incomplete"));
	}
}
