package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** "Project Slice to Latent" replayed as a macro on the TorchScript fixture, and its codes walked with latents=. */
class ProjectSliceCommandTest {

	static final Path PT = ExploreCommandsTest.PT;

	@TempDir
	Path dir;

	private Path sliceSet() {
		Path in = dir.resolve("phantom"), set = dir.resolve("slices32");
		Harness.run(GeneratePhantomCommand.class, "output", in, "count", 3, "size", 32, "slices", 4, "format", "nifti", "noise", 0);
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", set, "size", 32, "test_fraction", 0.34);
		return set;
	}

	@Test
	void theMacroWritesLatentsThatTraverseDirectionsWalksFrom() throws Exception {
		Path set = sliceSet(), out = dir.resolve("projection");
		String call = "run(\"Project Slice to Latent\", \"model=[" + PT + "] slices=[" + set + "] indices=0,5 steps=40 restarts=2 seed=3 output=[" + out
			+ "] device=cpu\");";
		List<MacroHarness.Call> calls = MacroHarness.run(call);
		String summary = String.valueOf(calls.get(0).outputs().get("summary"));
		assertTrue(summary.startsWith("Projected 2 slice(s)") && summary.contains("best random code") && summary.contains("mean training image")
			&& summary.contains("HU"), summary);
		for (String f : List.of("latents.txt", "projection.json", "projection.csv")) assertTrue(Files.isRegularFile(out.resolve(f)), f);
		assertEquals(3, Files.readAllLines(out.resolve("projection.csv")).size());
		ImagePlus shown = (ImagePlus) calls.get(0).outputs().get("projection");
		assertEquals(4, shown.getStackSize());
		// the walks start exactly at the projected codes: the centre frame of a 3-frame walk is the projection's image
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("sefa"), "method", "sefa");
		Map<String, Object> t = Harness.run(TraverseDirectionsCommand.class, "model", PT, "directions", dir.resolve("sefa/directions.json"), "indices", "0",
			"latents", out.resolve("latents.txt"), "range", "custom", "radius", 2, "frames", 3, "model_units", true, "device", "cpu");
		ImagePlus walks = (ImagePlus) t.get("traversal");
		float[] centre = (float[]) walks.getStack().getProcessor(walks.getStackIndex(1, 2, 2)).getPixels();
		float[] projected = (float[]) shown.getStack().getProcessor(4).getPixels();
		assertArrayEquals(projected, centre, 1e-5f, "second base's centre frame = projection of slice 5");
		// the output is never replaced unasked, and a foreign folder never
		ExplorerException again = assertThrows(ExplorerException.class, () -> MacroHarness.run(call));
		assertTrue(again.getMessage().contains("already exists"), again.getMessage());
		MacroHarness.run(call.replace("device=cpu", "device=cpu overwrite"));
		Path foreign = Files.createDirectories(dir.resolve("mine"));
		Files.writeString(foreign.resolve("notes.txt"), "keep");
		ExplorerException mine = assertThrows(ExplorerException.class, () -> Harness.run(ProjectSliceCommand.class, "model", PT, "slices", set,
			"indices", "0", "steps", 1, "output", foreign, "overwrite", true));
		assertTrue(mine.getMessage().contains("not a projection folder written by this tool"), mine.getMessage());
		assertEquals("keep", Files.readString(foreign.resolve("notes.txt")));
	}

	@Test
	void badInputsAreOneClearMessage() throws Exception {
		ExplorerException missing = assertThrows(ExplorerException.class, () -> Harness.run(ProjectSliceCommand.class, "model", dir.resolve("no-model"),
			"slices", dir.resolve("none")));
		assertTrue(missing.getMessage().startsWith("No model at "), missing.getMessage());
		Path set = sliceSet();
		ExplorerException size = assertThrows(ExplorerException.class, () -> Harness.run(ProjectSliceCommand.class, "model",
			Path.of("models/phantom-gan"), "slices", set, "steps", 1));
		assertTrue(size.getMessage().contains("32² slices; the model makes 64² images") && size.getMessage().contains("size=64"), size.getMessage());
		Path tif = dir.resolve("slice.tif");
		ij.IJ.save(new ImagePlus("slice", new ij.process.FloatProcessor(32, 32)), tif.toString());
		ExplorerException noCard = assertThrows(ExplorerException.class, () -> Harness.run(ProjectSliceCommand.class, "model", PT, "image", tif));
		assertTrue(noCard.getMessage().contains("reference="), noCard.getMessage());
		Map<String, Object> ok = Harness.run(ProjectSliceCommand.class, "model", PT, "image", tif, "reference", set, "steps", 5, "restarts", 1);
		assertTrue(String.valueOf(ok.get("summary")).startsWith("Projected 1 slice(s)"), String.valueOf(ok.get("summary")));
	}
}
