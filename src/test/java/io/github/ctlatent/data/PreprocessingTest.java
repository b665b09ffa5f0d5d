package io.github.ctlatent.data;

import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessingTest {

	@Test
	void mapsThePaperWindowToMinusOneOne() {
		Preprocessing p = new Preprocessing(-1000, 2000, 8, "lanczos4");
		float[] hu = new float[64];
		java.util.Arrays.fill(hu, 500);
		assertEquals(0f, p.apply(hu, 8, 8)[0], 1e-6);
		java.util.Arrays.fill(hu, -3024); // CT padding value, below air
		assertEquals(-1f, p.apply(hu, 8, 8)[0]);
		java.util.Arrays.fill(hu, 3000);
		assertEquals(1f, p.apply(hu, 8, 8)[0]);
		assertEquals(-1000, p.toHounsfield(-1), 1e-9);
		assertEquals(2000, p.toHounsfield(1), 1e-9);
		assertEquals(0.2, p.fromHounsfield(p.toHounsfield(0.2)), 1e-12);
	}

	@Test
	void clipsLanczosOvershootAtSharpEdges() {
		Preprocessing p = new Preprocessing(-1000, 2000, 16, "lanczos4");
		float[] hu = new float[64 * 64];
		for (int y = 0; y < 64; y++) for (int x = 32; x < 64; x++) hu[y * 64 + x] = 2000; // air | bone step
		for (int i = 0; i < 64 * 32; i++) if (hu[i] == 0) hu[i] = -1000;
		for (int y = 0; y < 64; y++) for (int x = 0; x < 32; x++) hu[y * 64 + x] = -1000;
		float[] r = p.apply(hu, 64, 64);
		for (float v : r) assertTrue(v >= -1 && v <= 1);
	}

	@Test
	void rejectsImpossibleSettingsAndNaN() {
		assertThrows(ExplorerException.class, () -> new Preprocessing(100, 100, 64, "lanczos4"));
		assertThrows(ExplorerException.class, () -> new Preprocessing(-1000, 2000, 4, "lanczos4"));
		assertThrows(ExplorerException.class, () -> new Preprocessing(-1000, 2000, 64, "cubic"));
		float[] nan = new float[64];
		nan[3] = Float.NaN;
		assertThrows(ExplorerException.class, () -> new Preprocessing(-1000, 2000, 8, "area").apply(nan, 8, 8));
	}
}
