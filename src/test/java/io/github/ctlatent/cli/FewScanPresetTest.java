package io.github.ctlatent.cli;

import io.github.ctlatent.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * "Train VAE" with preset=few_scans through the headless launcher, at the walkthrough's smoke sizes (one phantom
 * volume as NIfTI, 32² slices, ch 8): the card records the preset and the values it resolved (an explicit key
 * winning), the summary gives final and best held-out figures and the weights kept, and a later command loads
 * those weights and says so.
 */
class FewScanPresetTest {

	@TempDir
	Path work;

	private Cli.Outcome run(String... args) {
		Cli.Outcome o = Cli.run(args);
		assertEquals(0, o.exit(), String.join(" ", args) + "\n" + o.out() + o.err());
		return o;
	}

	@Test
	void theFewScanPresetKeepsTheBestHeldOutWeightsAndDownstreamCommandsLoadThem() throws Exception {
		run("Generate Thorax Phantom", "output=" + work.resolve("scans"), "count=1", "size=64", "slices=40", "format=nifti", "seed=3");
		run("Prepare Slice Set", "input=" + work.resolve("scans"), "output=" + work.resolve("slices"), "size=32", "test_fraction=0.2");
		Path vae = work.resolve("vae");
		Cli.Outcome trained = run("Train VAE", "slices=" + work.resolve("slices"), "output=" + vae, "preset=few_scans", "iterations=8", "ch=8",
			"latent_dim=4", "batch_size=8", "learning_rate=5e-4", "sample_every=2", "checkpoint_every=4", "device=cpu");

		ModelCard card = ModelCard.read(vae);
		assertEquals("few_scans", card.training.get("preset"));
		assertEquals(4, ((Number) card.training.get("latent_dim")).intValue(), "an explicit key wins over the preset");
		assertEquals(8, ((Number) card.training.get("batch_size")).intValue());
		assertEquals(400, ((Number) card.training.get("patience")).intValue(), "the preset's value");
		assertEquals("best", card.training.get("keep"));
		assertTrue(String.valueOf(card.training.get("augmentation")).startsWith("few_scans: blend with a neighbouring slice"), card.training.toString());
		assertTrue(String.valueOf(card.architecture.get("loss")).startsWith("log(MSE) + 0.01 * KL"), card.architecture.toString());
		assertTrue(card.commandLine.contains(" preset=few_scans ") && card.commandLine.contains(" kl_weight=0.01 ") && card.commandLine.contains(" patience=400 keep=best "), card.commandLine);

		double best = card.metrics.get("heldout_mse_best"), last = card.metrics.get("heldout_mse_final");
		long at = card.metrics.get("heldout_mse_best_iteration").longValue();
		assertTrue(best <= last && at >= 2 && at <= 8, card.metrics.toString());
		assertEquals(at, card.keptWeightsIteration);
		assertArrayEquals(Files.readAllBytes(vae.resolve("best/decoder.params")), Files.readAllBytes(vae.resolve("decoder.params")));
		assertArrayEquals(Files.readAllBytes(vae.resolve("best/encoder.params")), Files.readAllBytes(vae.resolve("encoder.params")));
		assertTrue(Files.isRegularFile(vae.resolve("checkpoint/state.json")), "the last iteration's checkpoint is kept too");
		assertTrue(trained.out().contains(String.format(java.util.Locale.ROOT, "held-out MSE final %.4g, best %.4g at iteration %d", last, best, at)), trained.out());
		assertTrue(trained.out().contains("weights kept: best held-out: iteration " + at + " "), trained.out());

		// a later stage loads the kept weights and says which: the samples log, and the PCA of encoded slices runs on them
		java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
		io.github.ctlatent.model.Sampling.of(vae).count(2).device("cpu").sample(io.github.ctlatent.core.Monitor.printing(new java.io.PrintStream(logged, true)));
		assertTrue(logged.toString().contains("Model " + vae + ": weights of the best held-out: iteration " + at + " "), logged.toString());
		run("Discover Directions", "model=" + vae, "output=" + work.resolve("pca"), "method=pca", "slices=" + work.resolve("slices"), "directions=2");
	}
}
