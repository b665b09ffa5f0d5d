package io.github.ctlatent.commands;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.evaluate.EvaluationReport;
import io.github.ctlatent.evaluate.LabelFreeReport;
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

/** Train Factor Oracle and Evaluate Directions: on the shipped GAN and oracle, through macros and through Jython. */
class EvaluateCommandsTest {

	static final Path GAN = Path.of("models/phantom-gan"), ORACLE = Path.of("models/phantom-oracle");

	@TempDir
	Path dir;

	@Test
	void sefaDirectionsOfTheShippedGanAreScoredAgainstTheNullWithBothThreeDReadings() throws Exception {
		Harness.run(DiscoverDirectionsCommand.class, "model", GAN, "output", dir.resolve("sefa"), "method", "sefa");
		Path slices = dir.resolve("slices");
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("phantom"), "count", 3, "size", 64, "slices", 24, "format", "nifti", "seed", 5);
		Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("phantom"), "output", slices, "size", 64);
		Map<String, Object> out = Harness.run(EvaluateDirectionsCommand.class, "model", GAN, "oracle", ORACLE, "output", dir.resolve("report"),
			"directions", dir.resolve("sefa/directions.json"), "reference", slices, "bases", 2, "steps", 2, "random", 40, "random_3d", 10,
			"frames_3d", 5, "curved_walks", true);
		String summary = String.valueOf(out.get("summary"));
		assertTrue(summary.startsWith("Evaluation of sefa directions of phantom-gan"), summary);
		assertTrue(summary.contains("Coverage: ") && summary.contains("3D (oracle z): direction ") && summary.contains("3D (nearest slice): direction "),
			summary);
		for (String f : List.of(EvaluationReport.SUMMARY, EvaluationReport.SCORES, EvaluationReport.STRUCTURE, EvaluationReport.HEATMAP))
			assertTrue(Files.isRegularFile(dir.resolve("report").resolve(f)), f);
		List<String> scores = Files.readAllLines(dir.resolve("report").resolve(EvaluationReport.SCORES));
		assertTrue(scores.get(0).startsWith("direction,factor,rho,"));
		assertTrue(scores.size() > 32, "32 directions × every scored factor: " + scores.size());
		// a pair that cannot be measured says so; no NaN reaches a file a user reads
		assertFalse(String.join("\n", scores).contains("NaN") || summary.contains("NaN"), "no NaN in scores.csv or the summary");
		assertTrue(scores.get(0).endsWith(",evaluator_version,note"));
		ImagePlus heat = (ImagePlus) out.get("heatmap");
		assertTrue(heat.getHeight() > 32 * 22, "one row per direction");
		assertTrue(Files.readString(dir.resolve("report").resolve(EvaluationReport.STRUCTURE)).contains("nearest slice,random p99"));
		// beside each plain 3D reading, the same direction walked with even steps: a line in the summary, a row in the CSV
		assertEquals(2, summary.split("with even steps \\(spacing=even", -1).length - 1, summary);
		String structure = Files.readString(dir.resolve("report").resolve(EvaluationReport.STRUCTURE));
		assertTrue(structure.contains("\noracle z (even steps),") && structure.contains("\nnearest slice (even steps),"), structure);
		// and, asked for with curved_walks=true, along a curved path (issue 24), with equal shift steps and with even steps
		assertEquals(2, summary.split("along a curved path \\(path=curved:", -1).length - 1, summary);
		assertEquals(2, summary.split("along a curved path with even steps \\(path=curved spacing=even", -1).length - 1, summary);
		for (String reading : List.of("oracle z", "nearest slice"))
			for (String kind : List.of("curved path", "curved path, even steps")) assertTrue(structure.contains("\n" + reading + " (" + kind + "),"), reading + ", " + kind + ":\n" + structure);
		assertFalse(structure.contains("NaN"), structure);
		// and every frame of every plain walk, per reading: 32 directions × 2 bases × 5 frames each
		List<String> walks = Files.readAllLines(dir.resolve("report").resolve(LabelFreeReport.WALKS));
		assertEquals("reading,direction,base,frame,shift,position", walks.get(0));
		for (String reading : List.of("oracle z,", "nearest slice,"))
			assertEquals(32 * 2 * 5, walks.stream().filter(l -> l.startsWith(reading)).count(), reading);

		Map<String, Object> axes = Harness.run(EvaluateDirectionsCommand.class, "model", GAN, "oracle", ORACLE, "output", dir.resolve("axes"),
			"baseline", "axes", "bases", 1, "steps", 1, "random", 5, "random_3d", 3, "frames_3d", 3);
		assertTrue(String.valueOf(axes.get("summary")).startsWith("Evaluation of coordinate axes of phantom-gan"));
		// the supervised ceiling: one direction per scored factor (lung is oracle-limited), fitted to the oracle's readings
		Map<String, Object> ceiling = Harness.run(EvaluateDirectionsCommand.class, "model", GAN, "oracle", ORACLE, "output", dir.resolve("ceiling"),
			"baseline", "supervised", "bases", 2, "steps", 1, "random", 5, "random_3d", 3, "frames_3d", 3);
		assertTrue(String.valueOf(ceiling.get("summary")).startsWith("Evaluation of supervised ceiling"), String.valueOf(ceiling.get("summary")));
		assertEquals(1 + 7 * 7, Files.readAllLines(dir.resolve("ceiling").resolve(EvaluationReport.SCORES)).size(), "7 directions × 7 scored factors");
		ExplorerException none = assertThrows(ExplorerException.class, () -> Harness.run(EvaluateDirectionsCommand.class, "model", GAN, "oracle", ORACLE,
			"output", dir.resolve("x")));
		assertTrue(none.getMessage().startsWith("Give directions="), none.getMessage());
		ExplorerException notOracle = assertThrows(ExplorerException.class, () -> Harness.run(EvaluateDirectionsCommand.class, "model", GAN,
			"oracle", GAN, "output", dir.resolve("x"), "baseline", "axes"));
		assertTrue(notOracle.getMessage().contains("not a factor oracle"), notOracle.getMessage());
		assertFalse(Files.exists(dir.resolve("x")), "a failed evaluation writes nothing");
	}

	@Test
	void withoutAnOracleTheDirectionsAreRankedLabelFreeThroughTheCommandServiceTheMacroAndJython() throws Exception {
		// given one phantom scan prepared at the shipped GAN's size
		Path slices = dir.resolve("slices");
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("scan"), "count", 1, "size", 64, "slices", 16, "format", "nifti", "seed", 3);
		Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("scan"), "output", slices, "size", 64);
		// when Evaluate Directions runs without oracle= through SciJava's CommandService
		Map<String, Object> out = Harness.run(EvaluateDirectionsCommand.class, "model", GAN, "output", dir.resolve("lf"), "baseline", "axes",
			"reference", slices, "bases", 2, "random_3d", 8, "frames_3d", 5);
		// then it writes the ranked label-free report and no heat-map
		String summary = String.valueOf(out.get("summary"));
		assertTrue(summary.startsWith("Label-free evaluation of coordinate axes of phantom-gan"), summary);
		assertTrue(summary.contains("No factor oracle: the factor tables") && summary.contains("  1. direction ") && summary.contains("3D (nearest slice)"),
			summary);
		assertTrue(summary.contains("\n  with even steps (spacing=even") && !summary.contains("NaN"), summary);
		assertFalse(summary.contains("along a curved path"), "curved walks only when asked (curved_walks=true): " + summary);
		assertNull(out.get("heatmap"));
		for (String f : List.of(LabelFreeReport.SUMMARY, LabelFreeReport.RANKING, LabelFreeReport.REDUNDANCY, LabelFreeReport.WALKS, LabelFreeReport.STRIPS))
			assertTrue(Files.isRegularFile(dir.resolve("lf").resolve(f)), f);
		List<String> ranking = Files.readAllLines(dir.resolve("lf").resolve(LabelFreeReport.RANKING));
		assertTrue(ranking.get(0).startsWith("rank,direction,score,significant,beats_random,null_p99,effect_hu_per_unit,"), ranking.get(0));
		assertEquals(1 + 32, ranking.size(), "one row per axis");
		assertTrue(ranking.get(1).startsWith("1,"));

		// and through a macro string, replacing its own report (overwrite)
		List<MacroHarness.Call> calls = MacroHarness.run("run(\"Evaluate Directions\", \"model=[" + GAN.toAbsolutePath() + "] output=[" + dir.resolve("lf")
			+ "] baseline=random reference=[" + slices + "] overwrite bases=1 random_3d=5 frames_3d=3 device=cpu\");");
		assertNull(calls.get(0).args().get("oracle"));
		assertTrue(String.valueOf(calls.get(0).outputs().get("summary")).startsWith("Label-free evaluation of random orthonormal directions"),
			String.valueOf(calls.get(0).outputs().get("summary")));
		assertTrue(Files.readString(dir.resolve("lf").resolve(LabelFreeReport.SUMMARY)).contains("Ranking ("));

		// and through Jython with no oracle
		Harness.run(DiscoverDirectionsCommand.class, "model", GAN, "output", dir.resolve("sefa"), "method", "sefa", "directions", 4);
		Map<String, Object> py = JythonHarness.run(Path.of("scripts/evaluate_directions.py"), Harness.context(), Map.of("model", GAN.toString(),
			"directions", dir.resolve("sefa/directions.json").toString(), "reference", slices.toString(), "report", dir.resolve("py").toString(),
			"bases", "1", "random", "10", "random_3d", "5"));
		assertTrue(String.valueOf(py.get("summary")).startsWith("Label-free evaluation of sefa directions"), String.valueOf(py.get("summary")));
		assertNull(py.get("heatmap"));

		// without reference slices, or with the oracle's own baseline, it says what to give and writes nothing
		ExplorerException noReference = assertThrows(ExplorerException.class, () -> Harness.run(EvaluateDirectionsCommand.class, "model", GAN,
			"output", dir.resolve("x"), "baseline", "axes"));
		assertTrue(noReference.getMessage().startsWith("Without oracle= the directions are scored against real slices: give reference="),
			noReference.getMessage());
		ExplorerException supervised = assertThrows(ExplorerException.class, () -> Harness.run(EvaluateDirectionsCommand.class, "model", GAN,
			"output", dir.resolve("x"), "baseline", "supervised", "reference", slices));
		assertTrue(supervised.getMessage().contains("give oracle="), supervised.getMessage());
		assertFalse(Files.exists(dir.resolve("x")), "a failed evaluation writes nothing");
	}

	@Test
	void theMacrosAndTheScriptTrainAnOracleAndEvaluate() throws Exception {
		Path tmp = Path.of(IJ.getDirectory("temp"));
		try {
			for (String m : List.of("generate_phantom", "prepare_slice_set", "train_gan", "discover_directions", "train_factor_oracle", "evaluate_directions"))
				MacroHarness.runFile(Path.of("macros/" + m + ".ijm"));
			assertTrue(Files.isRegularFile(tmp.resolve("ct-latent-oracle/model.json")));
			assertTrue(Files.readString(tmp.resolve("ct-latent-gan-evaluation/summary.txt")).contains("3D (nearest slice)"));
			assertTrue(Files.readString(tmp.resolve("ct-latent-gan-labelfree/summary.txt")).contains("No factor oracle"));
			Harness.run(DiscoverDirectionsCommand.class, "model", GAN, "output", dir.resolve("sefa"), "method", "sefa");
			Map<String, Object> out = JythonHarness.run(Path.of("scripts/evaluate_directions.py"), Harness.context(), Map.of("model", GAN.toString(),
				"oracle", ORACLE.toString(), "directions", dir.resolve("sefa/directions.json").toString(), "report",
				dir.resolve("py").toString(), "bases", "1", "random", "10", "random_3d", "5"));
			assertTrue(String.valueOf(out.get("summary")).contains("Labelled directions"), String.valueOf(out.get("summary")));
			assertNotNull(out.get("heatmap"));
		} finally {
			for (String f : List.of("ct-latent-phantom", "ct-latent-slices", "ct-latent-gan", "ct-latent-gan-sefa", "ct-latent-gan-voynov",
				"ct-latent-gan-evaluation", "ct-latent-gan-labelfree", "ct-latent-oracle"))
				AtomicFiles.deleteRecursively(tmp.resolve(f));
		}
	}
}
