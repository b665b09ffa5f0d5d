package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The training front door's settings (its runs are tested by ExamplesTest and the training commands' tests). */
class TrainingTest {

	@Test
	void theMacroSpellsOutEveryValueThePresetResolves() {
		String plain = Training.gan(Path.of("s")).output(Path.of("r")).macro();
		assertEquals("run(\"Train GAN\", \"slices=[s] output=[r] preset=cpu iterations=2000 batch_size=64 latent_dim=32 seed=1 augmentation=paper "
			+ "checkpoint_every=250 sample_every=250 device=auto\");", plain);
		String vae = Training.vae(Path.of("s")).output(Path.of("r")).ch(16).klWeight(0.002).learningRate(5e-4).lrSchedule("100, 200", 0.5)
			.augment(false).stopUnhealthy(true).resume(true).macro();
		assertTrue(vae.startsWith("run(\"Train VAE\", \"slices=[s] output=[r] preset=cpu ch=16 kl_weight=0.002 iterations=2000 "), vae);
		for (String key : new String[] {" learning_rate=5.0E-4 ", " lr_milestones=[100, 200] lr_gamma=0.5 ", " augmentation=off ", " patience=0 keep=final ",
			" stop_unhealthy ", " resume "})
			assertTrue(vae.contains(key), key + " in " + vae);
	}

	@Test
	void theFewScanPresetFillsTheKeysNotGivenAndExplicitKeysWin() {
		String preset = Training.vae(Path.of("s")).output(Path.of("r")).preset("few_scans").macro();
		for (String key : new String[] {" preset=few_scans ", " kl_weight=0.01 ", " batch_size=32 ", " latent_dim=16 ", " augmentation=few_scans ",
			" patience=400 keep=best "})
			assertTrue(preset.contains(key), key + " in " + preset);
		String overridden = Training.vae(Path.of("s")).output(Path.of("r")).preset("few_scans").latentDim(8).klWeight(0.002).batchSize(16)
			.augmentation("paper").patience(0).keep("final").macro();
		for (String key : new String[] {" preset=few_scans ", " kl_weight=0.002 ", " batch_size=16 ", " latent_dim=8 ", " augmentation=paper ",
			" patience=0 keep=final "})
			assertTrue(overridden.contains(key), key + " in " + overridden);
		// "the preset's" spelled as the commands' defaults (0, -1, "preset") leaves the preset's value
		String defaults = Training.vae(Path.of("s")).output(Path.of("r")).preset("few_scans").latentDim(0).klWeight(-1).patience(-1)
			.augmentation("preset").keep("preset").macro();
		assertEquals(preset, defaults);
	}

	@Test
	void theFewScanPresetAndBestKeepingAreRefusedForAGanWithTheReason() {
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).preset("few_scans")).getMessage().contains("held-out"));
		ExplorerException e = assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).output(Path.of("r")).keep("best").run(Monitor.NONE));
		assertTrue(e.getMessage().contains("a GAN has none"), e.getMessage());
		assertTrue(assertThrows(ExplorerException.class, () -> Training.vae(Path.of("s")).keep("latest")).getMessage().contains("final, best or preset"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.vae(Path.of("s")).augmentation("strong")).getMessage().contains("few_scans"));
	}

	@Test
	void aSettingOfTheOtherModelOrAMissingFolderIsOneClearError() {
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).klWeight(0.1)).getMessage().contains("VAE"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.vae(Path.of("s")).widths(8, 8)).getMessage().contains("GAN"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).preset("huge")).getMessage().contains("cpu, paper or few_scans"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).run(Monitor.NONE)).getMessage().contains("output"));
		assertThrows(ExplorerException.class, () -> Training.vae(null));
	}
}
