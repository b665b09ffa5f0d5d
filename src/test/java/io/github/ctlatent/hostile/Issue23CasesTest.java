package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.DiscoverDirectionsCommand;
import io.github.ctlatent.commands.EvaluateDirectionsCommand;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.commands.GenerateSamplesCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.RenderLatentCommand;
import io.github.ctlatent.commands.TrainFactorOracleCommand;
import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.commands.TrainVaeCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 23's listed cases that need a particular file or pair of values (the generated suite varies one key at a time). */
class Issue23CasesTest {

	@TempDir
	Path dir;

	private static void refusedNaming(String text, Class<? extends org.scijava.command.Command> c, Object... kv) {
		String m = refused(c, kv);
		assertTrue(m.contains(text), "message does not name " + text + ": " + m);
	}

	@Test
	void relationsAndRangesAreCheckedBeforeAnythingIsWritten() throws Exception {
		Path in = phantom(dir.resolve("in"), 1, "nifti"), out = dir.resolve("out");
		refusedNaming("hu_min", PrepareSliceSetCommand.class, "input", in, "output", out, "hu_min", -1e308, "hu_max", 1e308);
		refusedNaming("do not make a window", PrepareSliceSetCommand.class, "input", in, "output", out, "hu_min", 0, "hu_max", 1e-300);
		Path gan = Path.of("models/phantom-gan"), oracle = Path.of("models/phantom-oracle");
		for (Object r : new Object[] {0, -3, 1e308})
			refusedNaming("radius", EvaluateDirectionsCommand.class, "model", gan, "oracle", oracle, "output", out, "baseline", "random", "radius", r);
		refusedNaming("steps", EvaluateDirectionsCommand.class, "model", gan, "oracle", oracle, "output", out, "baseline", "random", "steps", 1073741824);
		refusedNaming("ngf", TrainGanCommand.class, "slices", in, "output", out, "ngf", 1024, "ndf", 1024);
		refusedNaming("width", TrainFactorOracleCommand.class, "slices", in, "output", out, "width", 100000);
		refusedNaming("batch_size", TrainFactorOracleCommand.class, "slices", in, "output", out, "batch_size", 1000000);
		refusedNaming("gpu:-1", GenerateSamplesCommand.class, "model", PT, "count", 1, "device", "gpu:-1");
		refusedNaming("latent", RenderLatentCommand.class, "model", PT, "latent", "1e38,1e38,1e38,1e38,1e38,1e38,1e38,1e38", "device", "cpu");
		assertFalse(Files.exists(out));
	}

	@Test
	void oddVaeWidthsAndAbsurdModelCardsAreOneClearMessage() throws Exception {
		Path slices = slices(dir);
		for (int ch : new int[] {1, 3})
			refused(TrainVaeCommand.class, "slices", slices, "output", dir.resolve("vae" + ch), "ch", ch, "iterations", 1, "batch_size", 4, "device", "cpu");
		Path gan = dir.resolve("gan");
		copyTree(Path.of("models/phantom-gan"), gan);
		String card = Files.readString(gan.resolve("model.json"));
		Files.writeString(gan.resolve("model.json"), card.replaceFirst("\"latentDim\": \\d+", "\"latentDim\": 2000000000"));
		String m = refused(GenerateSamplesCommand.class, "model", gan, "count", 1, "device", "cpu");
		assertTrue(m.contains("latentDim"), m);
		Files.writeString(gan.resolve("model.json"), card.replaceFirst("\"pixelSizeMm\": [0-9.E-]+", "\"pixelSizeMm\": -5.0"));
		m = refused(GenerateSamplesCommand.class, "model", gan, "count", 1, "device", "cpu");
		assertTrue(m.contains("pixelSizeMm"), m);
	}

	@Test
	void theOracleNeverWritesIntoItsInputOrAForeignFolder() throws Exception {
		Path slices = slices(dir);
		Map<String, String> before = snapshot(slices);
		refusedNaming("the input slices", TrainFactorOracleCommand.class, "slices", slices, "output", slices, "iterations", 1, "device", "cpu");
		refusedNaming("lies inside the input", TrainFactorOracleCommand.class, "slices", slices, "output", slices.resolve("o"), "iterations", 1, "device", "cpu");
		Path mine = Files.createDirectories(dir.resolve("mine"));
		Files.writeString(mine.resolve("notes.txt"), "mine");
		refusedNaming("already exists", TrainFactorOracleCommand.class, "slices", slices, "output", mine, "iterations", 1, "device", "cpu");
		// one held-out patient: its per-patient factors are constant there, so their R² cannot be measured (was Gson's
		// "NaN is not a valid double value" after training, leaving oracle.params without model.json): recorded as 0
		Harness.run(TrainFactorOracleCommand.class, "slices", slices, "output", dir.resolve("oracle"), "iterations", 2, "batch_size", 4, "width", 2,
			"device", "cpu");
		assertTrue(Files.isRegularFile(dir.resolve("oracle/oracle.params")) && Files.isRegularFile(dir.resolve("oracle/model.json")));
		assertTrue(Files.readString(dir.resolve("oracle/model.json")).contains("\"r2_rotation\": 0.0"));
		assertEquals(before, snapshot(slices));
		assertEquals(java.util.List.of("notes.txt"), Files.list(mine).map(p -> p.getFileName().toString()).toList());
	}

	@Test
	void anAliasedExportIsRefusedAndSizesAreBoundedUpFront() throws Exception {
		Path sefa = dir.resolve("sefa");
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", sefa, "method", "sefa");
		Path dirs = sefa.resolve("directions.json"), export = dir.resolve("export");
		Harness.run(ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", export, "format", "png", "indices", "0-1");
		Map<String, String> before = snapshot(export);
		Path alias = Files.createSymbolicLink(dir.resolve("alias"), export);
		refusedNaming("symbolic link", ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", alias, "format", "png", "overwrite", true);
		assertEquals(before, snapshot(export));
		refusedNaming("seeds", ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", dir.resolve("e2"), "seeds", "1-100000");
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 100_000; i++) lines.append("0 0 0 0 0 0 0 0\n");
		Path latents = Files.writeString(dir.resolve("latents.txt"), lines);
		refusedNaming("latents", ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", dir.resolve("e3"), "latents", latents);
		assertFalse(Files.exists(dir.resolve("e2")) || Files.exists(dir.resolve("e3")));
	}
}
