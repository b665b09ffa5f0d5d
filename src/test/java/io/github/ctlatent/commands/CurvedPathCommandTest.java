package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** path=curved and local_rank through the macro string of Traverse Directions: a 2-frame curved walk, written down as curved. */
class CurvedPathCommandTest {

	@TempDir
	Path dir;

	@Test
	@SuppressWarnings("unchecked")
	void curvedPathReplaysFromItsMacroAndSaysSo() throws Exception {
		Harness.run(DiscoverDirectionsCommand.class, "model", ExploreCommandsTest.PT, "output", dir.resolve("sefa"), "method", "sefa");
		String common = "model=[" + ExploreCommandsTest.PT + "] directions=[" + dir.resolve("sefa/directions.json") + "] indices=0 range=custom radius=2 frames=2 device=cpu seed=3 ";
		List<MacroHarness.Call> calls = MacroHarness.run("run(\"Traverse Directions\", \"" + common + "path=curved local_rank=3 output=[" + dir.resolve("curved") + "] format=tiff\");"
			+ "run(\"Traverse Directions\", \"" + common + "output=[" + dir.resolve("straight") + "] format=tiff\");"
			+ "run(\"Traverse Directions\", \"" + common + "path=projected local_rank=2 output=[" + dir.resolve("projected") + "] format=tiff\");");
		ImagePlus curved = (ImagePlus) calls.get(0).outputs().get("traversal"), straight = (ImagePlus) calls.get(1).outputs().get("traversal");
		assertEquals(2, curved.getStackSize());
		String info = String.valueOf(curved.getProperty("Info"));
		assertTrue(info.contains("path=curved (local_rank=3)"), info);
		assertFalse(String.valueOf(straight.getProperty("Info")).contains("path=curved"));
		assertEquals("shift", curved.getCalibration().getZUnit(), "curved frames keep the straight walk's shift values, so the axis stays calibrated");

		Map<String, Object> card = Json.read(dir.resolve("curved/export.json"), Map.class);
		assertEquals("curved", card.get("path"));
		assertEquals(3, ((Number) card.get("localRank")).intValue());
		assertEquals(List.of(-2.0, 2.0), ((List<Number>) card.get("shifts")).stream().map(Number::doubleValue).toList());
		assertEquals("straight", Json.read(dir.resolve("straight/export.json"), Map.class).get("path"));
		Map<String, Object> projected = Json.read(dir.resolve("projected/export.json"), Map.class);
		assertEquals("projected", projected.get("path"));
		assertEquals(2, ((Number) projected.get("localRank")).intValue());
		assertTrue(String.valueOf(((ImagePlus) calls.get(2).outputs().get("traversal")).getProperty("Info")).contains("path=projected (local_rank=2): each frame"));

		// the fixture's Jacobian turns a little along its top SeFa direction (the +2 frames differ by 0.005 in model units
		// when measured): the walk was curved, not the straight one relabelled
		float[] c = (float[]) curved.getStack().getPixels(2), s = (float[]) straight.getStack().getPixels(2);
		double diff = 0;
		for (int i = 0; i < c.length; i++) diff = Math.max(diff, Math.abs(c[i] - s[i]));
		assertTrue(diff > 1e-3, "largest difference of the +2 frames " + diff);
	}
}
