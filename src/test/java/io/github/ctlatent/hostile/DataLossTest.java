package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.DiscoverDirectionsCommand;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.GenerateSamplesCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 12, defect 1: no command deletes or replaces anything it did not create. */
class DataLossTest {

	@TempDir
	Path dir;

	@Test
	void samplesPngOntoAFolderOrTheModelItselfIsRefusedAndNothingIsTouched() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("holiday photos"));
		Files.writeString(folder.resolve("beach.txt"), "precious");
		String m = refused(GenerateSamplesCommand.class, "model", PT, "count", 2, "png", folder);
		assertTrue(m.contains("is a folder"), m);
		assertEquals("precious", Files.readString(folder.resolve("beach.txt")));

		Path run = dir.resolve("gan");
		copyTree(Path.of("models/phantom-gan"), run);
		Map<String, String> before = snapshot(run);
		m = refused(GenerateSamplesCommand.class, "model", run, "count", 2, "png", run);
		assertTrue(m.contains("is the same path as the input model"), m);
		m = refused(GenerateSamplesCommand.class, "model", run, "count", 2, "png", run.resolve("generator.params"), "overwrite", true);
		assertTrue(m.contains("lies inside the input model"), m);
		assertEquals(before, snapshot(run));

		// a PNG this command wrote is replaced only with overwrite
		Path png = dir.resolve("s.png");
		Harness.run(GenerateSamplesCommand.class, "model", PT, "count", 2, "png", png);
		assertTrue(refused(GenerateSamplesCommand.class, "model", PT, "count", 2, "png", png).contains("overwrite=true"));
		Harness.run(GenerateSamplesCommand.class, "model", PT, "count", 4, "png", png, "overwrite", true);
		Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
		assertTrue(refused(GenerateSamplesCommand.class, "model", PT, "png", text, "overwrite", true).contains("is not a PNG file"));
		assertEquals("not a picture", Files.readString(text));
	}

	@Test
	void prepareNeverWritesOverOrAboveItsInputNorIntoAForeignFolder() throws Exception {
		Path in = phantom(dir.resolve("ct/patients"), 2, "nifti");
		Map<String, String> before = snapshot(in);
		assertTrue(refused(PrepareSliceSetCommand.class, "input", in, "output", in, "overwrite", true).contains("is the same path as the input"));
		assertTrue(refused(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("ct"), "overwrite", true).contains("contains the input"));
		assertTrue(refused(PrepareSliceSetCommand.class, "input", in, "output", in.resolve("sub"), "overwrite", true).contains("lies inside the input"));
		assertEquals(before, snapshot(in));

		Path foreign = Files.createDirectories(dir.resolve("thesis"));
		Files.writeString(foreign.resolve("chapter1.tex"), "text");
		assertTrue(refused(PrepareSliceSetCommand.class, "input", in, "output", foreign).contains("already exists"));
		assertTrue(refused(PrepareSliceSetCommand.class, "input", in, "output", foreign, "overwrite", true).contains("not a slice set written by this tool"));
		assertEquals("text", Files.readString(foreign.resolve("chapter1.tex")));

		// a slice set of ours is replaced with overwrite, by a swap that leaves nothing behind
		Path set = dir.resolve("set");
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", set, "size", 16);
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", set, "size", 8, "overwrite", true);
		assertTrue(Files.readString(set.resolve("dataset.json")).contains("\"size\": 8"));
		assertEquals(0, leftovers(dir));
	}

	@Test
	void phantomExportTrainingAndDiscoveryRefuseForeignFolders() throws Exception {
		Path foreign = Files.createDirectories(dir.resolve("mine"));
		Files.writeString(foreign.resolve("keep.txt"), "keep");
		assertTrue(refused(GeneratePhantomCommand.class, "output", foreign, "count", 1, "size", 16, "slices", 2, "overwrite", true)
			.contains("not a phantom data set written by this tool"));
		Path sefa = dir.resolve("sefa");
		// a discovery killed while writing its first checkpoint left only a hidden temporary file: cleaned, then run
		Files.createDirectories(sefa);
		Files.writeString(sefa.resolve(".checkpoint.bin.tmp-999999-1"), "half");
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", sefa, "method", "sefa");
		assertFalse(Files.exists(sefa.resolve(".checkpoint.bin.tmp-999999-1")));
		assertTrue(refused(ExportTraversalCommand.class, "model", PT, "directions", sefa.resolve("directions.json"), "output", foreign, "format", "png",
			"overwrite", true).contains("not a traversal export written by this tool"));
		assertTrue(refused(ExportTraversalCommand.class, "model", PT, "directions", sefa.resolve("directions.json"), "output", sefa, "format", "png",
			"overwrite", true).contains("contains the input directions"));
		assertTrue(refused(DiscoverDirectionsCommand.class, "model", PT, "output", foreign, "method", "sefa").contains("not a discovery folder"));
		Path slices = slices(dir);
		assertTrue(refused(TrainGanCommand.class, "slices", slices, "output", foreign, "iterations", 1, "batch_size", 4, "ngf", 4, "ndf", 4, "device", "cpu")
			.contains("not a run folder of this tool"));
		assertTrue(refused(TrainGanCommand.class, "slices", slices, "output", slices.resolve("run"), "iterations", 1).contains("lies inside the input slices"));
		assertEquals(Map.of("", "dir", "keep.txt", "4@" + Files.getLastModifiedTime(foreign.resolve("keep.txt")).toMillis()), snapshot(foreign));

		// an export of ours is replaced whole with overwrite (no mix of old and new files)
		Path export = dir.resolve("export");
		Harness.run(ExportTraversalCommand.class, "model", PT, "directions", sefa.resolve("directions.json"), "output", export, "format", "gif", "indices", "0-2");
		assertTrue(refused(ExportTraversalCommand.class, "model", PT, "directions", sefa.resolve("directions.json"), "output", export).contains("overwrite=true"));
		Harness.run(ExportTraversalCommand.class, "model", PT, "directions", sefa.resolve("directions.json"), "output", export, "format", "png", "overwrite", true);
		assertFalse(Files.exists(export.resolve("direction_00.gif")));
		assertTrue(Files.isRegularFile(export.resolve("traversal.png")) && Files.isRegularFile(export.resolve("export.json")));
		assertEquals(0, leftovers(dir));
	}
}
