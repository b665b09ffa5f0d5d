package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.SliceSetTest;
import io.github.ctlatent.model.ModelCard;
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

/** "Train GAN", "Train VAE" and "Generate Samples" on tiny real models (32² slices, narrow networks). */
class TrainingCommandsTest {

	@TempDir
	Path dir;

	private Path slices() throws Exception {
		Path in = dir.resolve("phantom");
		Harness.run(GeneratePhantomCommand.class, "output", in, "count", 3, "size", 64, "slices", 12, "format", "nifti");
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("slices"), "size", 32, "test_fraction", 0.34);
		return dir.resolve("slices");
	}

	private static Object[] tinyGan(Path slices, Path out, int iterations, boolean resume) {
		return new Object[] {"slices", slices, "output", out, "iterations", iterations, "batch_size", 8, "ngf", 8, "ndf", 8,
			"checkpoint_every", 2, "sample_every", 2, "resume", resume, "device", "cpu"};
	}

	@Test
	void aResumedGanRunRepeatsTheUninterruptedLossTrajectoryExactly() throws Exception {
		Path s = slices();
		Harness.run(TrainGanCommand.class, tinyGan(s, dir.resolve("straight"), 4, false));
		Harness.run(TrainGanCommand.class, tinyGan(s, dir.resolve("resumed"), 2, false));
		Harness.run(TrainGanCommand.class, tinyGan(s, dir.resolve("resumed"), 4, true));
		assertEquals(losses(dir.resolve("straight")), losses(dir.resolve("resumed")));
		assertArrayEquals(Files.readAllBytes(dir.resolve("straight/generator.params")), Files.readAllBytes(dir.resolve("resumed/generator.params")));
		ModelCard card = ModelCard.read(dir.resolve("resumed"));
		assertEquals("dcgan", card.kind);
		assertEquals(4, card.iterationsDone);
		assertTrue(card.commandLine.startsWith("run(\"Train GAN\""), card.commandLine);
		assertTrue(card.commandLine.contains(" preset=cpu ngf=8 ndf=8 iterations=4 "), card.commandLine);
		assertEquals(32, card.dataset.preprocessing.size());
		ExplorerException again = assertThrows(ExplorerException.class, () -> Harness.run(TrainGanCommand.class, tinyGan(s, dir.resolve("straight"), 4, false)));
		assertTrue(again.getMessage().contains("already holds a checkpoint"), again.getMessage());
	}

	@Test
	void pairTrainingRunsThroughTheMacroStringAndTheCardSaysItUsesSliceOrder() throws Exception {
		// given a slice set of 3 phantom volumes
		Path s = slices(), run = dir.resolve("pairs");
		// when "Train VAE" runs 2 iterations of slice + geometry pairs from its macro string
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + run + "] iterations=2 batch_size=8 ch=8 pairs=slices+geometry pair_gap=3 "
			+ "order_weight=1.0 pair_sharing=swap sample_every=2 checkpoint_every=2 device=cpu\");");
		// then the card records the pairing, its marks and the macro that repeats it, and the log holds the shared dimensions
		ModelCard card = ModelCard.read(run);
		assertEquals("slices+geometry", card.training.get("pairs"), card.training.toString());
		assertEquals("uses slice order; uses geometric augmentation pairs", card.training.get("weak_supervision"));
		assertTrue(card.commandLine.contains(" pairs=slices+geometry pair_gap=3 order_weight=1.0 pair_sharing=swap "), card.commandLine);
		String orderLoss = String.valueOf(card.architecture.get("order_loss"));
		assertTrue(orderLoss.startsWith("1.0 * slice-order hinge on latent axis 0") && orderLoss.endsWith("(each image is decoded with its partner's there)"), orderLoss);
		assertEquals(3, ((Number) card.training.get("pair_gap")).intValue(), card.training.toString());
		String detail = String.valueOf(card.training.get("pairs_detail"));
		assertTrue(detail.startsWith("slices+geometry: each pair is a slice up to 3 slices away") && !detail.contains("neighbouring"), detail);
		assertTrue(String.valueOf(card.architecture.get("pair_loss")).startsWith("Ada-GVAE"), card.architecture.toString());
		List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
		assertTrue(metrics.get(0).contains("shared_dims") && metrics.get(0).contains("order_hinge"), metrics.get(0));
		// and an evaluation report names the model with its mark
		Map<String, Object> eval = Harness.run(EvaluateDirectionsCommand.class, "model", run, "reference", s, "output", dir.resolve("eval"),
			"baseline", "axes", "bases", 2, "random_3d", 2, "frames_3d", 5);
		assertTrue(Files.readString(dir.resolve("eval/summary.txt")).contains("pairs (uses slice order; uses geometric augmentation pairs)"),
			String.valueOf(eval.get("summary")));
		// and the paper's training stays the default: no pairing on a card trained without the key
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + dir.resolve("plain") + "] iterations=1 batch_size=8 ch=8 device=cpu\");");
		assertFalse(ModelCard.read(dir.resolve("plain")).training.containsKey("pairs"));
		ExplorerException odd = assertThrows(ExplorerException.class, () -> MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=["
			+ dir.resolve("odd") + "] iterations=1 batch_size=7 ch=8 pairs=slices device=cpu\");"));
		assertTrue(odd.getMessage().contains("even batch size"), odd.getMessage());
		// a setting of pair training that its companion setting does not back is refused by name, naming what to add,
		// before anything is written
		assertRefused(s, "pair_gap=4", "pair_gap=4", "pairs=slices");
		assertRefused(s, "order_weight=2", "order_weight=2.0", "pairs=slices");
		assertRefused(s, "pairs=slices pair_sharing=swap", "pair_sharing=swap", "order_weight=1");
		assertRefused(s, "pairs=slices order_weight=1 geometry_axes=true", "geometry_axes=true", "pairs=slices+geometry");
		assertRefused(s, "pairs=slices invariance_weight=0.5", "invariance_weight=0.5", "order_weight=1");
		assertRefused(s, "pairs=slices order_span=7", "order_span=7.0", "order_weight=1");
		assertRefused(s, "pairs=slices order_weight=1 order_span=2", "order_span", "3");
		assertRefused(s, "cycle_weight=-1", "cycle_weight", "0");
		assertRefused(s, "pairs=slices geometry_changes=rotation", "geometry_changes=rotation", "pairs=slices+geometry");
		assertRefused(s, "pairs=slices+geometry geometry_changes=[rotation,tilt]", "'tilt'", "rotation,y_shift,x_scale,y_scale");
		assertRefused(s, "pairs=slices+geometry geometry_changes=rotation warp_weight=1", "geometry_changes=rotation", "one of the two");
	}

	@Test
	void aChosenSetOfGeometricChangesTrainsThroughTheMacroStringAndTheCardSaysSo() throws Exception {
		// given a slice set of 3 phantom volumes
		Path s = slices(), run = dir.resolve("three");
		// when "Train VAE" runs with geometric axes from three of the four changes (no y-scale)
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + run + "] iterations=2 batch_size=8 ch=8 latent_dim=8 pairs=slices+geometry "
			+ "geometry_changes=[x_scale, rotation,y_shift] order_weight=1 geometry_axes=true device=cpu\");");
		// then the card and the macro it records name the changes in their fixed order
		ModelCard card = ModelCard.read(run);
		assertEquals("rotation,y_shift,x_scale", card.training.get("geometry_changes"), card.training.toString());
		assertTrue(card.commandLine.contains(" geometry_changes=[rotation,y_shift,x_scale] "), card.commandLine);
		assertTrue(String.valueOf(card.training.get("pairs_detail")).endsWith("; only rotation,y_shift,x_scale drawn"), card.training.toString());
		// and the recorded macro trains again
		MacroHarness.run(card.commandLine.replace(run.toString(), dir.resolve("again").toString()));
		assertEquals("rotation,y_shift,x_scale", ModelCard.read(dir.resolve("again")).training.get("geometry_changes"));
	}

	/** Train VAE with {@code settings} (1 iteration) must fail with a message holding both phrases, and leave no output folder. */
	private void assertRefused(Path slices, String settings, String names, String remedy) {
		assertRefused("Train VAE", "ch=8", slices, settings, names, remedy);
	}

	/** {@code command} with the tiny {@code widths} and {@code settings} (1 iteration) must fail so, and leave no output folder. */
	private void assertRefused(String command, String widths, Path slices, String settings, String names, String remedy) {
		Path out = dir.resolve("refused");
		ExplorerException e = assertThrows(ExplorerException.class, () -> MacroHarness.run("run(\"" + command + "\", \"slices=[" + slices + "] output=["
			+ out + "] iterations=1 batch_size=8 " + widths + " " + settings + " device=cpu\");"));
		assertTrue(e.getMessage().contains(names) && e.getMessage().contains(remedy), settings + ": " + e.getMessage());
		assertFalse(Files.exists(out), settings + " wrote its output folder");
	}

	@Test
	void knownGeometricAxesTheInvariancePullAndTheTraversalCycleTrainThroughTheMacroStringAndTheCardSaysSo() throws Exception {
		// given a slice set of 3 phantom volumes
		Path s = slices(), run = dir.resolve("axes");
		// when "Train VAE" runs 2 iterations with each geometric change on its own axis, a volume spanning 7 units on the position
		// axis, slice pairs pulled together beyond it, and walks along one axis read back by the encoder
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + run + "] iterations=2 batch_size=8 ch=8 latent_dim=8 cycle_weight=0.25 warp_weight=0.5 pairs=slices+geometry "
			+ "pair_gap=3 order_weight=1.0 order_span=7 geometry_axes=true invariance_weight=0.5 sample_every=2 checkpoint_every=2 device=cpu\");");
		// then the macro repeats it and the card states the rules
		ModelCard card = ModelCard.read(run);
		assertTrue(card.commandLine.contains(" order_weight=1.0 order_span=7.0 geometry_axes=true invariance_weight=0.5 "), card.commandLine);
		assertTrue(card.commandLine.contains(" cycle_weight=0.25 ") && card.commandLine.contains(" warp_weight=0.5 "), card.commandLine);
		// the warp pull's half-range spans the hinge's 7 / 2 units, as the encoder's geometric axes do
		assertTrue(String.valueOf(card.architecture.get("warp_axes")).startsWith("0.5 * known warp axes: latent axes 1-4")
			&& String.valueOf(card.architecture.get("warp_axes")).contains("warped by t/3.5 of the change's half-range"), card.architecture.toString());
		assertTrue(String.valueOf(card.architecture.get("cycle_loss")).startsWith("0.25 * traversal cycle: 16 posterior means"), card.architecture.toString());
		String orderLoss = String.valueOf(card.architecture.get("order_loss"));
		assertTrue(orderLoss.contains("geometric changes known: a pair made by rotation / vertical shift / x-scale / y-scale keeps latent axis 1 / 2 / 3 / 4"), orderLoss);
		assertTrue(orderLoss.contains("plus 0.5 * invariance: per slice pair, the squared distance"), orderLoss);
		assertTrue(orderLoss.contains("max(0, 6.0 * |f| - a) + max(0, a - 8.0 * |f|)"), orderLoss);
		List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
		assertTrue(metrics.get(0).contains("order_hinge") && metrics.get(0).contains("invariance") && metrics.get(0).contains("cycle") && metrics.get(0).contains("warp") && metrics.size() >= 3,
			String.join("\n", metrics));
		// and a latent too small for the axes is refused before anything is written
		ExplorerException small = assertThrows(ExplorerException.class, () -> MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=["
			+ dir.resolve("small") + "] iterations=1 batch_size=8 ch=8 latent_dim=4 pairs=slices+geometry order_weight=1 geometry_axes=true device=cpu\");"));
		assertTrue(small.getMessage().contains("latent_dim=4") && small.getMessage().contains("at least 5"), small.getMessage());
		assertFalse(Files.exists(dir.resolve("small")));
	}

	@Test
	void theGansKnownWarpAxesTrainThroughTheMacroStringAndTheCardSaysSo() throws Exception {
		// given a slice set of 3 phantom volumes
		Path s = slices(), run = dir.resolve("warp");
		// when "Train GAN" runs 2 iterations with latent axes 1-4 pulled towards the warps of the generated image
		MacroHarness.run("run(\"Train GAN\", \"slices=[" + s + "] output=[" + run + "] iterations=2 batch_size=8 ngf=8 ndf=8 latent_dim=8 warp_weight=2.5 "
			+ "sample_every=2 checkpoint_every=2 device=cpu\");");
		// then the macro repeats it, the card states the rule and the metrics log the pull
		ModelCard card = ModelCard.read(run);
		assertTrue(card.commandLine.contains(" warp_weight=2.5 "), card.commandLine);
		assertTrue(String.valueOf(card.architecture.get("warp_axes")).startsWith("2.5 * known warp axes: latent axes 1-4 = rotation, vertical shift, x-scale, y-scale"),
			card.architecture.toString());
		List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
		assertTrue(metrics.get(0).endsWith(",warp") && metrics.size() >= 3, String.join("\n", metrics));
		// and a latent too small for the axes, or a negative weight, is refused before anything is written
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "latent_dim=4 warp_weight=1", "warp_weight", "latent_dim=5 or more");
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "warp_weight=-1", "warp_weight", "");
	}

	@Test
	void aVaeTeachesTheGansAxesThroughTheMacroStringAndTheCardNamesIt() throws Exception {
		// given a slice set of 3 phantom volumes and a VAE trained on it for 40 iterations
		Path s = slices(), vae = dir.resolve("teacher"), run = dir.resolve("taught"), untrained = dir.resolve("untrained");
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + vae + "] iterations=40 batch_size=8 ch=8 latent_dim=8 learning_rate=0.002 device=cpu\");");
		// when "Train GAN" runs 2 iterations with that VAE as its teacher
		MacroHarness.run("run(\"Train GAN\", \"slices=[" + s + "] output=[" + run + "] iterations=2 batch_size=8 ngf=8 ndf=8 latent_dim=8 teacher=[" + vae
			+ "] teacher_weight=2.5 teacher_units=teacher sample_every=2 checkpoint_every=2 device=cpu\");");
		// then the macro repeats it, the card names the teacher and the axes it teaches, and the metrics log its term
		ModelCard card = ModelCard.read(run);
		assertTrue(card.commandLine.contains(" teacher=[" + vae + "] teacher_weight=2.5 teacher_units=teacher "), card.commandLine);
		String taught = String.valueOf(card.architecture.get("teacher_axes"));
		assertTrue(taught.startsWith("2.5 * ID-GAN information term from the VAE teacher " + vae) && taught.contains("taught axes (s > 0.1): ")
			&& taught.contains("units teacher: c = min(s, 1)"), taught);
		List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
		assertTrue(metrics.get(0).contains(",teacher") && metrics.size() >= 3, String.join("\n", metrics));
		// and the card carries the fit a user reads in the summary: r per taught axis, median and smallest
		double fit = card.metrics.get("teacher_fit_final"), least = card.metrics.get("teacher_fit_min_final");
		assertTrue(fit >= -1 && fit <= 1 && least <= fit, card.metrics.toString());
		// and a teacher that is not a VAE, holds more axes than the GAN, or is weighed 0 is refused before anything is written
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "teacher=[" + run + "]", "holds a dcgan model", "a VAE run folder");
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "latent_dim=6 teacher=[" + vae + "]", "8 latent dimensions, the GAN only 6", "latent_dim=8 or more");
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "teacher=[" + vae + "] teacher_weight=0", "teacher_weight=0.0", "above 0");
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "teacher=[" + dir.resolve("nowhere") + "]", "is not a run folder", "trained VAE");
		// as is a VAE that reads nothing yet (2 iterations: its mean codes hardly vary over the slices)
		MacroHarness.run("run(\"Train VAE\", \"slices=[" + s + "] output=[" + untrained + "] iterations=2 batch_size=8 ch=8 latent_dim=8 device=cpu\");");
		assertRefused("Train GAN", "ngf=8 ndf=8", s, "teacher=[" + untrained + "]", "reads nothing it could teach", "reconstructions follow the slices");
	}

	@Test
	void vaeTrainsAndReportsHeldOutReconstruction() throws Exception {
		Path s = slices();
		Map<String, Object> o = Harness.run(TrainVaeCommand.class, "slices", s, "output", dir.resolve("vae"), "iterations", 3, "batch_size", 8, "ch", 8,
			"learning_rate", 5e-4, "kl_weight", 0.002, "sample_every", 3, "device", "cpu");
		assertTrue(String.valueOf(o.get("summary")).startsWith("vae trained for 3 iterations"), String.valueOf(o.get("summary")));
		ModelCard card = ModelCard.read(dir.resolve("vae"));
		assertEquals("Adam lr 5.0E-4 betas (0.9, 0.999)", String.valueOf(card.architecture.get("optimizer")), card.architecture.toString());
		assertEquals("libtorch fused Adam kernel", String.valueOf(card.architecture.get("optimizer_arithmetic")), card.architecture.toString());
		assertTrue(String.valueOf(card.architecture.get("loss")).startsWith("log(MSE) + 0.002 * KL"), card.architecture.toString());
		assertTrue(card.commandLine.contains(" ch=8 kl_weight=0.002 iterations=3 ") && card.commandLine.contains(" learning_rate=5.0E-4 "), card.commandLine);
		assertTrue(card.metrics.containsKey("heldout_mse_final") && card.metrics.containsKey("baseline_mse_final"), card.metrics.toString());
		ImagePlus samples = (ImagePlus) Harness.run(GenerateSamplesCommand.class, "model", dir.resolve("vae"), "count", 3).get("samples");
		assertEquals(3, samples.getStackSize());
		assertEquals("HU", samples.getCalibration().getValueUnit());
		// PCA of posterior means of real slices, then a walk that starts from a real slice's encoding
		Map<String, Object> pca = Harness.run(DiscoverDirectionsCommand.class, "model", dir.resolve("vae"), "output", dir.resolve("pca"), "method", "pca",
			"slices", s, "directions", 4);
		assertTrue(String.valueOf(pca.get("summary")).startsWith("pca of 36 VAE posterior means: 4 directions"), String.valueOf(pca.get("summary")));
		io.github.ctlatent.discover.DiscoveryReport report = io.github.ctlatent.core.Json.read(dir.resolve("pca/report.json"),
			io.github.ctlatent.discover.DiscoveryReport.class); // every method writes its report, posterior PCA too
		assertEquals(4, report.directions());
		assertEquals(36, ((Number) report.settings().get("codes")).intValue(), report.settings().toString());
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("ct"), "count", 1, "size", 48, "slices", 3, "format", "tiff");
		ImagePlus walk = (ImagePlus) Harness.run(TraverseDirectionsCommand.class, "model", dir.resolve("vae"), "directions", dir.resolve("pca/directions.json"),
			"indices", "0", "base_image", dir.resolve("ct/phantom_000.tif")).get("traversal");
		assertEquals(7, walk.getNSlices());
		ExplorerException gan = assertThrows(ExplorerException.class, () -> io.github.ctlatent.model.VaeEncoder.load(dir.resolve("nothing"), ai.djl.Device.cpu()));
		assertTrue(gan.getMessage().contains("nothing"), gan.getMessage());
	}

	@Test
	void missingOrMismatchedModelsAreClearErrors() throws Exception {
		ExplorerException none = assertThrows(ExplorerException.class, () -> Harness.run(GenerateSamplesCommand.class, "model", dir.resolve("nothing")));
		assertTrue(none.getMessage().startsWith("No model at"), none.getMessage());
		Path s = slices();
		Harness.run(TrainGanCommand.class, tinyGan(s, dir.resolve("gan"), 2, false));
		Files.write(dir.resolve("gan/generator.params"), new byte[] {1, 2, 3});
		ExplorerException bad = assertThrows(ExplorerException.class, () -> Harness.run(GenerateSamplesCommand.class, "model", dir.resolve("gan")));
		assertTrue(bad.getMessage().contains("generator.params"), bad.getMessage());
	}

	@Test
	void theMacrosAndTheScriptRun() throws Exception {
		Path tmp = Path.of(ij.IJ.getDirectory("temp"));
		try {
			MacroHarness.runFile(Path.of("macros/generate_phantom.ijm"));
			MacroHarness.runFile(Path.of("macros/prepare_slice_set.ijm"));
			assertEquals("4", MacroHarness.runFile(Path.of("macros/train_gan.ijm")).get(0).args().get("iterations"));
			MacroHarness.runFile(Path.of("macros/train_vae.ijm"));
			MacroHarness.runFile(Path.of("macros/generate_samples.ijm"));
			assertTrue(Files.isRegularFile(tmp.resolve("ct-latent-gan-samples.png")));
			Map<String, Object> out = JythonHarness.run(Path.of("scripts/train_and_sample.py"), Harness.context(),
				Map.of("slices", tmp.resolve("ct-latent-slices").toString(), "run_folder", dir.resolve("py").toString(), "iterations", 2));
			assertTrue(String.valueOf(out.get("summary")).startsWith("dcgan trained for 2 iterations"));
			assertEquals(4, ((ImagePlus) out.get("samples")).getStackSize());
			assertEquals("HU", ((ImagePlus) out.get("samples")).getCalibration().getValueUnit());
		} finally {
			for (String f : List.of("ct-latent-phantom", "ct-latent-slices", "ct-latent-gan", "ct-latent-vae", "ct-latent-gan-samples.png"))
				AtomicFiles.deleteRecursively(tmp.resolve(f));
		}
	}

	private static List<String> losses(Path run) throws Exception {
		return Files.readAllLines(run.resolve("metrics.csv"));
	}
}
