package io.github.ctlatent.commands;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.JythonHarness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Discover / Traverse / Export / Show in BDV on the real TorchScript fixture and on a freshly trained GAN. */
class ExploreCommandsTest {

	static final Path PT = Path.of("src/test/resources/fixtures/torchscript/generator.pt");

	@TempDir
	Path dir;

	@Test
	void sefaThenTraverseExportAndBdvOnATorchScriptGenerator() throws Exception {
		Map<String, Object> d = Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("sefa"), "method", "sefa");
		assertTrue(String.valueOf(d.get("summary")).startsWith("sefa: 8 directions of a 8-d latent"), String.valueOf(d.get("summary")));
		Path json = dir.resolve("sefa/directions.json");
		Map<String, Object> t = Harness.run(TraverseDirectionsCommand.class, "model", PT, "directions", json, "indices", "0,2,5", "range", "custom",
			"radius", 3, "frames", 9);
		ImagePlus hyper = (ImagePlus) t.get("traversal");
		assertEquals(3, hyper.getNChannels());
		assertEquals(9, hyper.getNSlices());
		assertEquals(32, hyper.getWidth());
		assertEquals(0.75, hyper.getCalibration().pixelDepth, 1e-12);
		assertEquals(9, ((ImagePlus) t.get("reslice")).getHeight());
		Map<String, Object> e = Harness.run(ExportTraversalCommand.class, "model", PT, "directions", json, "indices", "1-2", "output", dir.resolve("export"));
		assertTrue(String.valueOf(e.get("summary")).startsWith("5 file(s)"), String.valueOf(e.get("summary")));
		for (String f : List.of("traversal.xml", "traversal.settings.xml", "traversal.n5/setup1/timepoint0/s0/0/0/0", "traversal.tif", "traversal.png", "direction_01.gif", "direction_02.gif"))
			assertTrue(Files.exists(dir.resolve("export").resolve(f)), f);
		assertEquals(7, IJ.openImage(dir.resolve("export/traversal.tif").toString()).getNSlices());
		if (java.awt.GraphicsEnvironment.isHeadless()) {
			ExplorerException bdv = assertThrows(ExplorerException.class, () -> Harness.run(ShowInBdvCommand.class, "model", PT, "directions", json));
			assertTrue(bdv.getMessage().startsWith("BigDataViewer needs a display"), bdv.getMessage());
		}
		// a report that is not there is one clear error (read before the walk)
		ExplorerException report = assertThrows(ExplorerException.class, () -> Harness.run(ShowInBdvCommand.class, "model", PT, "directions", json,
			"report", dir.resolve("no-report")));
		assertTrue(report.getMessage().startsWith("No evaluation scores at"), report.getMessage());
	}

	@Test
	void voynovOnTheTorchScriptGeneratorWithBaselinesAndClearMismatchErrors() throws Exception {
		Object[] args = {"model", PT, "output", dir.resolve("vb"), "deformator", "ortho", "steps", 4, "batch_size", 8, "checkpoint_every", 2,
			"learning_rate", 1e-3, "direction_learning_rate", 2e-3};
		Map<String, Object> d = Harness.run(DiscoverDirectionsCommand.class, args);
		String s = String.valueOf(d.get("summary"));
		assertTrue(s.startsWith("voynov/ortho: RCA") && s.contains("vs random") && s.contains("vs id"), s);
		DirectionSet set = DirectionSet.load(dir.resolve("vb/directions.json"));
		assertEquals(8, set.directionCount());
		assertEquals(2e-3, ((Number) set.settings().get("deformatorLr")).doubleValue(), 1e-9, set.settings().toString());
		assertEquals(1e-3, ((Number) set.settings().get("reconstructorLr")).doubleValue(), 1e-9, set.settings().toString());
		ExplorerException other = assertThrows(ExplorerException.class, () -> Harness.run(TraverseDirectionsCommand.class,
			"model", Path.of("src/test/resources/fixtures/torchscript/generator_flat.pt"), "directions", dir.resolve("vb/directions.json")));
		assertTrue(other.getMessage().contains("was discovered on generator") || other.getMessage().contains("generator"), other.getMessage());
		ExplorerException idx = assertThrows(ExplorerException.class, () -> Harness.run(TraverseDirectionsCommand.class,
			"model", PT, "directions", dir.resolve("vb/directions.json"), "indices", "9"));
		assertTrue(idx.getMessage().contains("Direction 9 does not exist"), idx.getMessage());
	}

	@Test
	void theMacrosAndTheScriptRunOnAFreshlyTrainedGan() throws Exception {
		Path tmp = Path.of(IJ.getDirectory("temp"));
		try {
			for (String m : List.of("generate_phantom", "prepare_slice_set", "train_gan", "discover_directions", "traverse_directions", "render_latent", "project_slice"))
				MacroHarness.runFile(Path.of("macros/" + m + ".ijm"));
			assertTrue(Files.isRegularFile(tmp.resolve("ct-latent-gan-voynov/directions.json")));
			assertTrue(Files.isRegularFile(tmp.resolve("ct-latent-gan-export/traversal.xml")));
			assertTrue(Files.isRegularFile(tmp.resolve("ct-latent-gan-bases/traversal_base02.tif")));
			assertTrue(Files.readString(tmp.resolve("ct-latent-gan-projection/latents.txt")).contains("ct-latent-slices slice "));
			assertEquals(4, DirectionSet.load(tmp.resolve("ct-latent-gan-sefa/directions.json")).directionCount() >= 4 ? 4 : -1);
			Map<String, Object> out = JythonHarness.run(Path.of("scripts/discover_and_traverse.py"), Harness.context(),
				Map.of("model", PT.toString(), "folder", dir.toString()));
			assertTrue(String.valueOf(out.get("summary")).contains("file(s)"), String.valueOf(out.get("summary")));
			assertEquals(3, ((ImagePlus) out.get("traversal")).getNChannels());
		} finally {
			for (String f : List.of("ct-latent-phantom", "ct-latent-slices", "ct-latent-gan", "ct-latent-gan-sefa", "ct-latent-gan-voynov", "ct-latent-gan-export", "ct-latent-gan-bases", "ct-latent-gan-projection"))
				AtomicFiles.deleteRecursively(tmp.resolve(f));
		}
	}
}
