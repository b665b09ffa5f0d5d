package io.github.ctlatent.train;

import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.TrainVaeCommand;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Training notices when it is not learning: the checks on made-up figures, and a real run on constant data. */
class TrainingHealthTest {

	@TempDir
	Path dir;

	private static List<String> keys(List<TrainingHealth.Problem> p) {
		return p.stream().map(TrainingHealth.Problem::key).toList();
	}

	@Test
	void eachCheckFiresOnItsSymptomOnlyAfterTheWarmUpAndOnce() {
		TrainingHealth h = new TrainingHealth(new TrainingHealth.Options(100, false));
		Map<String, Double> stuck = Map.of("heldout_mse", 0.040864, "baseline_mse", 0.02, "constant_mse", 0.040864);
		List<Map<String, Double>> collapsed = List.of(Map.of("kl", 0.001), Map.of("kl", 0.002));
		assertTrue(h.check(50, stuck, collapsed).isEmpty()); // warm-up
		assertEquals(List.of("no_better_than_constant", "posterior_collapse"), keys(h.check(100, stuck, collapsed)));
		assertTrue(h.check(150, stuck, collapsed).isEmpty()); // reported once
		// ... but its figures follow the run, and a problem that goes away says so
		Map<String, Double> stillStuck = Map.of("heldout_mse", 0.05, "baseline_mse", 0.02, "constant_mse", 0.05);
		assertTrue(h.check(200, stillStuck, List.of(Map.of("kl", 3.0))).isEmpty());
		List<TrainingHealth.Problem> now = h.problems();
		assertEquals(List.of("no_better_than_constant", "posterior_collapse"), keys(now));
		assertTrue(now.get(0).message().startsWith("first at iteration 100, still at iteration 200: held-out reconstruction error 0.05000 is not below"),
			now.get(0).message());
		assertTrue(now.get(1).message().startsWith("iteration 100: KL = 0.0015") && now.get(1).message().endsWith("(gone by iteration 200)"),
			now.get(1).message());
		TrainingHealth vae = new TrainingHealth(new TrainingHealth.Options(0, false));
		assertEquals(List.of("no_better_than_mean_image", "kl_explosion"),
			keys(vae.check(1, Map.of("heldout_mse", 0.03, "baseline_mse", 0.02, "constant_mse", 0.04), List.of(Map.of("kl", 3.5e11)))));
		assertTrue(new TrainingHealth(new TrainingHealth.Options(0, false))
			.check(1, Map.of("heldout_mse", 0.01, "baseline_mse", 0.02, "constant_mse", 0.04), List.of(Map.of("kl", 12.0))).isEmpty());
		TrainingHealth gan = new TrainingHealth(new TrainingHealth.Options(0, false));
		assertEquals(List.of("diversity_collapse", "discriminator_wins"), keys(gan.check(1, Map.of("sample_std", 0.01, "real_std", 0.3),
			List.of(Map.of("d_real", 0.95, "d_fake", 0.001)))));
		assertTrue(new TrainingHealth(new TrainingHealth.Options(0, false)).check(1, Map.of("sample_std", 0.2, "real_std", 0.3),
			List.of(Map.of("d_real", 0.7, "d_fake", 0.3))).isEmpty());
	}

	@Test
	void aVaeRunOnConstantDataIsFlaggedAndStopUnhealthyStopsItKeepingTheCheckpoint() throws Exception {
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("ct"), "count", 2, "size", 48, "slices", 6, "format", "nifti");
		// a window above every value: all voxels at the floor, every slice the same constant image
		Map<String, Object> prep = Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("ct"), "output", dir.resolve("s"), "size", 32,
			"hu_min", 3000, "hu_max", 4000, "test_fraction", 0.5);
		assertTrue(String.valueOf(prep.get("summary")).contains("WARNING: The data is mostly clipped"), String.valueOf(prep.get("summary")));
		Object[] tiny = {"slices", dir.resolve("s"), "iterations", 4, "batch_size", 4, "ch", 8, "sample_every", 2, "checkpoint_every", 4,
			"health_warmup", 2, "device", "cpu"};
		Map<String, Object> o = Harness.run(TrainVaeCommand.class, concat(tiny, "output", dir.resolve("warned")));
		String summary = String.valueOf(o.get("summary"));
		// the summary gives the last check's figures (iteration 4), not the first warning's (iteration 2)
		assertTrue(summary.startsWith("vae trained for 4 iterations") && summary.contains("\nWARNING: not healthy, first at iteration 2, still at iteration 4: "
			+ "held-out reconstruction error"), summary);
		ModelCard card = ModelCard.read(dir.resolve("warned"));
		// the VAE's held-out reconstructions (input / reconstruction / |error|) come with every checkpoint
		ij.ImagePlus rec = ij.IJ.openImage(dir.resolve("warned/reconstructions.png").toString());
		assertEquals(List.of(6 * 34 - 2, 3 * 34 - 2), List.of(rec.getWidth(), rec.getHeight())); // 6 held-out slices of 32², 3 rows
		java.awt.image.BufferedImage shown = rec.getBufferedImage();
		for (int y = 0; y < 32; y++) // the first input tile: the constant input (-1) is black
			for (int x = 0; x < 32; x++) assertEquals(0, shown.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
		assertTrue(Files.isRegularFile(dir.resolve("warned/reconstructions/iter_0000004.png")));
		assertTrue(card.health.containsKey("no_better_than_mean_image") || card.health.containsKey("no_better_than_constant"), card.health.toString());
		assertTrue(card.health.values().iterator().next().startsWith("first at iteration 2, still at iteration 4: "), card.health.toString());
		ExplorerException stopped = assertThrows(ExplorerException.class,
			() -> Harness.run(TrainVaeCommand.class, concat(tiny, "output", dir.resolve("stopped"), "stop_unhealthy", true)));
		assertTrue(stopped.getMessage().startsWith("Training stopped early at iteration 2 (stop_unhealthy=true) because it is not learning: "),
			stopped.getMessage());
		assertTrue(Files.isRegularFile(dir.resolve("stopped/checkpoint/state.json")));
		assertEquals(2, ModelCard.read(dir.resolve("stopped")).iterationsDone);
		assertFalse(ModelCard.read(dir.resolve("stopped")).health.isEmpty());
	}

	private static Object[] concat(Object[] a, Object... b) {
		Object[] r = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, r, a.length, b.length);
		return r;
	}
}
