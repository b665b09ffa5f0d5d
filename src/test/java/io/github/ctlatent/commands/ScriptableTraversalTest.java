package io.github.ctlatent.commands;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.MacroHarness;
import io.github.ctlatent.traverse.Traversal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Headless Traverse Directions writes its walks; many bases (seeds, explicit latents, a latents file) in one macro call. */
class ScriptableTraversalTest {

	static final Path PT = ExploreCommandsTest.PT;

	@TempDir
	Path dir;

	private static String macro(String args) {
		return "run(\"Traverse Directions\", \"" + args.replace("\"", "\\\"") + "\");";
	}

	@Test
	void oneMacroCallWalksManyBasesAndWritesEveryExport() throws Exception {
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("sefa"), "method", "sefa");
		String common = "model=[" + PT + "] directions=[" + dir.resolve("sefa/directions.json") + "] indices=0-1 range=custom radius=3 frames=5 device=cpu ";
		List<MacroHarness.Call> calls = MacroHarness.run(macro(common + "seeds=3-5 output=[" + dir.resolve("seeds") + "] format=all"));
		ImagePlus hyper = (ImagePlus) calls.get(0).outputs().get("traversal");
		assertEquals(List.of(2, 5, 3), List.of(hyper.getNChannels(), hyper.getNSlices(), hyper.getNFrames()));
		assertTrue(String.valueOf(calls.get(0).outputs().get("summary")).startsWith("3 walk(s) of 2 direction(s) x 5 frames; 15 file(s) in "),
			String.valueOf(calls.get(0).outputs().get("summary")));
		for (String f : List.of("traversal_base00.tif", "traversal_base02.tif", "traversal_base01.xml", "traversal_base01.png", "direction_01_base02.gif"))
			assertTrue(Files.isRegularFile(dir.resolve("seeds").resolve(f)), f);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> bases = (List<Map<String, Object>>) Json.read(dir.resolve("seeds/export.json"), Map.class).get("bases");
		assertEquals(List.of("seed 3", "seed 4", "seed 5"), bases.stream().map(b -> b.get("name")).toList());

		// an explicit latent and a file of latents give exactly the walk of the seed whose latent they spell out
		float[] z4 = Traversal.seedLatent(8, 4);
		StringBuilder line = new StringBuilder();
		for (float v : z4) line.append(line.length() == 0 ? "" : ", ").append(v);
		MacroHarness.run(macro(common + "latent=[" + line + "] output=[" + dir.resolve("explicit") + "]"));
		Files.writeString(dir.resolve("z.txt"), "# two bases\n" + line + "\n" + line.toString().replace(",", " ") + "\n");
		MacroHarness.run(macro(common + "latents=[" + dir.resolve("z.txt") + "] output=[" + dir.resolve("file") + "] format=tiff"));
		float[] seed4 = pixels(dir.resolve("seeds/traversal_base01.tif"));
		assertArrayEquals(seed4, pixels(dir.resolve("explicit/traversal.tif")));
		assertArrayEquals(seed4, pixels(dir.resolve("file/traversal_base00.tif")));
		assertArrayEquals(seed4, pixels(dir.resolve("file/traversal_base01.tif")));

		ExplorerException count = assertThrows(ExplorerException.class, () -> MacroHarness.run(macro(common + "latent=[1, 2, 3]")));
		assertEquals("latent has 3 values; the generator's latent has 8.", count.getMessage());
		ExplorerException two = assertThrows(ExplorerException.class, () -> MacroHarness.run(macro(common + "seeds=1,2 latent=[1 2 3 4 5 6 7 8]")));
		assertTrue(two.getMessage().startsWith("Give the base latents one way"), two.getMessage());
	}

	private static float[] pixels(Path tif) {
		ImagePlus imp = IJ.openImage(tif.toString());
		float[] all = new float[imp.getStackSize() * imp.getWidth() * imp.getHeight()];
		for (int i = 0; i < imp.getStackSize(); i++) {
			float[] p = (float[]) imp.getStack().getProcessor(i + 1).convertToFloat().getPixels();
			System.arraycopy(p, 0, all, i * p.length, p.length);
		}
		return all;
	}
}
