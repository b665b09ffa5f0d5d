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
		// a decay factor of 1000 at every milestone "trained" to loss_d 4.98e17 and identical checkerboards
		refusedNaming("lr_gamma", TrainGanCommand.class, "slices", in, "output", out, "lr_milestones", "2,4,6,8", "lr_gamma", 1000);
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
		// a second run never replaces the first oracle silently
		Map<String, String> first = snapshot(dir.resolve("oracle"));
		refusedNaming("already holds a model", TrainFactorOracleCommand.class, "slices", slices, "output", dir.resolve("oracle"), "iterations", 2,
			"batch_size", 4, "width", 2, "device", "cpu");
		assertEquals(first, snapshot(dir.resolve("oracle")));
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
		// within the seed limit, 10,000 bases of every direction are 36 GiB of walks on the shipped GAN: refused before the
		// first walk (it used to render for minutes and then run out of memory)
		Path gan = Path.of("models/phantom-gan");
		Harness.run(DiscoverDirectionsCommand.class, "model", gan, "output", dir.resolve("gan-sefa"), "method", "sefa", "device", "cpu");
		String m = refused(ExportTraversalCommand.class, "model", gan, "directions", dir.resolve("gan-sefa/directions.json"), "output", dir.resolve("e4"),
			"seeds", "1-10000", "device", "cpu");
		assertTrue(m.contains("from 10000 base(s)") && m.contains("needs about") && m.contains("seeds="), m);
		assertFalse(Files.exists(dir.resolve("e2")) || Files.exists(dir.resolve("e3")) || Files.exists(dir.resolve("e4")));
	}

	@Test
	void anOutputHoldingALinkToItsOwnInputOrADecoyLeftoverLinkBesideItNeverCostsTheInputAFile() throws Exception {
		// with sl_x/source -> ph_in, "Prepare input=ph_in output=sl_x overwrite=true" deleted its own input; a decoy
		// .sl_x.tmp-999999-1 link beside the output did the same when leftovers were cleaned
		Path in = phantom(dir.resolve("ph_in"), 1, "nifti"), out = dir.resolve("sl_x");
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out, "size", 16);
		Map<String, String> before = snapshot(in);
		Files.createSymbolicLink(out.resolve("source"), in);
		Path decoy = Files.createSymbolicLink(dir.resolve(".sl_x.tmp-999999-1"), in);
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out, "size", 16, "overwrite", true);
		assertEquals(before, snapshot(in));
		assertFalse(Files.exists(out.resolve("source"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "the old set (and its link) was replaced");
		assertFalse(Files.exists(decoy, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the decoy link is removed as a link");
		assertTrue(Files.isRegularFile(out.resolve("dataset.json")));
	}

	@Test
	void evaluateKeepsAnEarlierReportWritesNoNaNAndRefusesDamagedStatisticsOrReferences() throws Exception {
		Path gan = Path.of("models/phantom-gan"), report = dir.resolve("report");
		Object[] tiny = {"model", gan, "baseline", "random", "bases", 1, "steps", 1, "random", 2, "random_3d", 2, "frames_3d", 3, "device", "cpu"};
		java.util.function.BiFunction<Path, Object[], Object[]> with = (oracle, more) -> java.util.stream.Stream.of(tiny,
			new Object[] {"oracle", oracle, "output", report}, more).flatMap(java.util.Arrays::stream).toArray();
		Path ref = dir.resolve("ref");
		Harness.run(PrepareSliceSetCommand.class, "input", phantom(dir.resolve("p"), 1, "nifti"), "output", ref, "size", 64);
		Harness.run(EvaluateDirectionsCommand.class, with.apply(Path.of("models/phantom-oracle"), new Object[] {"reference", ref}));
		// its defaults wrote 32 NaN rows into scores.csv and 34 into structure3d.csv: a figure that does not exist is an empty cell
		for (String csv : new String[] {"scores.csv", "structure3d.csv"}) {
			String text = Files.readString(report.resolve(csv));
			assertFalse(java.util.regex.Pattern.compile("(^|,)-?(NaN|Infinity)(,|$)", java.util.regex.Pattern.MULTILINE).matcher(text).find(), csv + ":\n" + text);
		}
		// a second run does not silently replace the first report
		Map<String, String> first = snapshot(report);
		refusedNaming("already exists", EvaluateDirectionsCommand.class, with.apply(Path.of("models/phantom-oracle"), new Object[0]));
		assertEquals(first, snapshot(report));

		// an oracle card with a zero or NaN std made every step CV NaN
		Path oracle = dir.resolve("oracle");
		copyTree(Path.of("models/phantom-oracle"), oracle);
		String card = Files.readString(oracle.resolve("model.json"));
		for (String std : new String[] {"0.0", "NaN"}) {
			Files.writeString(oracle.resolve("model.json"), card.replaceFirst("(\"std\": \\[\\s*)[0-9.eE-]+", "$1" + std));
			assertNotEquals(card, Files.readString(oracle.resolve("model.json")));
			String m = refused(EvaluateDirectionsCommand.class, with.apply(oracle, new Object[] {"overwrite", true}));
			assertTrue(m.contains("model.json") && (m.contains("std of z") || m.contains("NaN")), m);
		}
		// so did a reference slice set holding NaN
		try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(ref.resolve("slices.f32").toFile(), "rw")) {
			f.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array());
		}
		String m = refused(EvaluateDirectionsCommand.class, with.apply(Path.of("models/phantom-oracle"), new Object[] {"reference", ref, "overwrite", true}));
		assertTrue(m.contains("slices.f32") && m.contains("NaN"), m);
		assertEquals(first, snapshot(report), "a refused evaluation leaves the earlier report as it was");
	}
}
