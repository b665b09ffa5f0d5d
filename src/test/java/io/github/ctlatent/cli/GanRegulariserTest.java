package io.github.ctlatent.cli;

import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Train GAN's regulariser=, regulariser_weight=, regulariser_every= and init= through the headless command string. */
class GanRegulariserTest {

	@TempDir
	Path dir;

	private Path slices(int size) {
		Path in = dir.resolve("phantom" + size), out = dir.resolve("slices" + size);
		if (!Files.isDirectory(out)) {
			Harness.run(GeneratePhantomCommand.class, "output", in, "count", 2, "size", 64, "slices", 8, "format", "nifti");
			Harness.run(PrepareSliceSetCommand.class, "input", in, "output", out, "size", size, "test_fraction", 0.5);
		}
		return out;
	}

	private static Cli.Outcome train(Path slices, Path out, String... extra) {
		List<String> args = new java.util.ArrayList<>(List.of("Train GAN", "slices=" + slices, "output=" + out, "batch_size=4", "sample_every=2",
			"checkpoint_every=2", "device=cpu"));
		args.addAll(List.of(extra));
		return Cli.run(args.toArray(String[]::new));
	}

	@Test
	void aFineTuneWithOrojarRunsAndIsRecordedOnTheCard() throws Exception {
		Path s = slices(16), base = dir.resolve("base"), tuned = dir.resolve("tuned");
		Cli.Outcome first = train(s, base, "iterations=2", "ngf=4", "ndf=4", "latent_dim=6");
		assertEquals(0, first.exit(), first.out() + first.err());

		Cli.Outcome o = train(s, tuned, "iterations=2", "init=" + base, "regulariser=orojar", "regulariser_weight=0.5", "regulariser_every=2");

		assertEquals(0, o.exit(), o.out() + o.err());
		ModelCard card = ModelCard.read(tuned);
		assertEquals(base.toString(), card.architecture.get("fine_tuned_from"));
		assertTrue(String.valueOf(card.architecture.get("regulariser")).startsWith("OroJaR"), card.architecture.toString());
		assertTrue(String.valueOf(card.architecture.get("regulariser")).contains("weight 0.5 every 2"), card.architecture.toString());
		assertTrue(card.commandLine.contains(" init=[" + base + "] regulariser=orojar regulariser_weight=0.5 regulariser_every=2 "), card.commandLine);
		assertTrue(card.commandLine.contains(" latent_dim=0 "), card.commandLine); // the init model's latent size, replayable
		// the penalty is a column with a value where it was applied (iteration index 0 of every 2), empty elsewhere
		List<String> csv = Files.readAllLines(tuned.resolve("metrics.csv"));
		int col = List.of(csv.get(0).split(",", -1)).indexOf("penalty_orojar");
		assertTrue(col >= 0, csv.get(0));
		int it = List.of(csv.get(0).split(",", -1)).indexOf("iteration"), applied = 0;
		for (String row : csv.subList(1, csv.size())) {
			String[] cells = row.split(",", -1);
			if (cells[it].equals("1")) { assertTrue(Double.parseDouble(cells[col]) >= 0, row); applied++; }
			if (cells[it].equals("2")) assertTrue(cells[col].isEmpty(), row);
		}
		assertEquals(1, applied, String.join("\n", csv));
		assertEquals(6, ((Number) ((java.util.Map<?, ?>) card.architecture.get("config")).get("latentDim")).intValue());
	}

	@Test
	void theCardsOfAPlainRunCarryNoRegulariserAndTheHessianAlsoRuns() {
		Path s = slices(16);
		Cli.Outcome plain = train(s, dir.resolve("plain"), "iterations=1", "ngf=4", "ndf=4");
		List<String> log = Harness.logged(() -> Harness.run(io.github.ctlatent.commands.TrainGanCommand.class, "slices", s, "output", dir.resolve("hessian"),
			"iterations", 1, "batch_size", 4, "ngf", 4, "ndf", 4, "regulariser", "hessian", "regulariser_weight", 2, "device", "cpu"));
		assertEquals(0, plain.exit(), plain.out() + plain.err());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Model: ") && l.contains("regulariser=Hessian penalty")), "the run's log names the regulariser: " + log);
		assertEquals("none", ModelCard.read(dir.resolve("plain")).architecture.get("regulariser"));
		assertFalse(ModelCard.read(dir.resolve("plain")).commandLine.contains("regulariser"));
		assertTrue(String.valueOf(ModelCard.read(dir.resolve("hessian")).architecture.get("regulariser")).startsWith("Hessian penalty"));
	}

	@Test
	void badRegulariserSettingsAndInitModelsAreClearErrors() {
		Path s = slices(16), base = dir.resolve("base");
		assertEquals(0, train(s, base, "iterations=1", "ngf=4", "ndf=4").exit());
		String[][] cases = {
			{"regulariser=orojar", "regulariser_weight=0", "needs regulariser_weight > 0"},
			{"regulariser=jacobi", "regulariser_weight=1", "regulariser=jacobi is not one of [none, hessian, orojar]"},
			{"init=" + dir.resolve("nothing"), "iterations=1", "is not a run folder"},
			{"init=" + base, "ngf=8", "which the settings given contradict"},
		};
		for (String[] c : cases) {
			Cli.Outcome o = train(s, dir.resolve("bad" + c[2].length()), c[0], c[1]);
			assertTrue(o.exit() != 0 && (o.out() + o.err()).contains(c[2]), c[2] + ": " + o.out() + o.err());
		}
		ExplorerException java = assertThrows(ExplorerException.class, () -> io.github.ctlatent.train.Training.gan(s).regulariser("jacobi", 1, 1));
		assertTrue(java.getMessage().contains("Unknown regulariser='jacobi'"), java.getMessage());
		Cli.Outcome size = train(slices(32), dir.resolve("size"), "iterations=1", "init=" + base);
		assertTrue(size.exit() != 0 && (size.out() + size.err()).contains("makes 16² images but the slice set holds 32²"), size.out() + size.err());
	}
}
