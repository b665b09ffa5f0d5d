package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** spacing=even through the macro string of the commands that walk: every frame's shift is written down, none is calibrated. */
class EvenSpacingCommandTest {

	@TempDir
	Path dir;

	@Test
	@SuppressWarnings("unchecked")
	void evenSpacingReplaysFromItsMacroAndRecordsEveryShift() throws Exception {
		Harness.run(DiscoverDirectionsCommand.class, "model", ExploreCommandsTest.PT, "output", dir.resolve("sefa"), "method", "sefa");
		String common = "model=[" + ExploreCommandsTest.PT + "] directions=[" + dir.resolve("sefa/directions.json") + "] indices=0-1 range=custom radius=3 frames=5 device=cpu spacing=even ";
		List<MacroHarness.Call> calls = MacroHarness.run("run(\"Traverse Directions\", \"" + common + "seeds=3-4 output=[" + dir.resolve("even") + "] format=all\");");
		ImagePlus hyper = (ImagePlus) calls.get(0).outputs().get("traversal");
		assertEquals("frame", hyper.getCalibration().getZUnit());
		String info = String.valueOf(hyper.getProperty("Info"));
		assertTrue(info.contains("spacing=even: frames at equal image change") && info.contains("\nseed 4: spacing=even"), info);

		Map<String, Object> card = Json.read(dir.resolve("even/export.json"), Map.class);
		assertEquals("even", card.get("spacing"));
		assertFalse(card.containsKey("shifts"), "one shift list would be wrong for every other direction and base");
		List<Map<String, Object>> bases = (List<Map<String, Object>>) card.get("bases");
		assertEquals(2, bases.size());
		for (Map<String, Object> b : bases) {
			Map<String, List<Number>> shifts = (Map<String, List<Number>>) b.get("shifts");
			assertEquals(List.of("0", "1"), List.copyOf(shifts.keySet()));
			for (List<Number> s : shifts.values()) {
				assertEquals(5, s.size());
				assertEquals(-3, s.get(0).doubleValue(), 1e-9);
				assertEquals(3, s.get(4).doubleValue(), 1e-9);
				for (int f = 1; f < 5; f++) assertTrue(s.get(f).doubleValue() > s.get(f - 1).doubleValue(), s.toString());
			}
		}
		double[] linear = {-3, -1.5, 0, 1.5, 3};
		boolean moved = bases.stream().flatMap(b -> ((Map<String, List<Number>>) b.get("shifts")).values().stream())
			.anyMatch(s -> java.util.stream.IntStream.range(0, 5).anyMatch(f -> Math.abs(s.get(f).doubleValue() - linear[f]) > 1e-3));
		assertTrue(moved, "even spacing should move some frames off the equal shift steps");

		// Export Traversal takes the same key (the commands that walk share it), and linear keeps the one shift list
		Harness.run(ExportTraversalCommand.class, "model", ExploreCommandsTest.PT, "directions", dir.resolve("sefa/directions.json"), "indices", "0",
			"output", dir.resolve("linear"), "format", "png", "device", "cpu");
		Map<String, Object> plain = Json.read(dir.resolve("linear/export.json"), Map.class);
		assertEquals("linear", plain.get("spacing"));
		assertEquals(7, ((List<?>) plain.get("shifts")).size());
		assertTrue(Files.isRegularFile(dir.resolve("even/traversal_base01.png")));

		// Render Latent's walk takes it too (the explorer's latent, the same directions)
		Map<String, Object> render = Harness.run(RenderLatentCommand.class, "model", ExploreCommandsTest.PT, "directions", dir.resolve("sefa/directions.json"),
			"walk", 1, "frames", 5, "radius", 3, "spacing", "even", "device", "cpu");
		ImagePlus walk = (ImagePlus) render.get("traversal");
		assertEquals(5, walk.getStackSize());
		assertEquals("frame", walk.getCalibration().getZUnit());
	}
}
