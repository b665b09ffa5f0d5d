package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The training front door's settings (its runs are tested by ExamplesTest and the training commands' tests). */
class TrainingTest {

	@Test
	void theMacroRepeatsExactlyTheSettingsThatDifferFromTheDefaults() {
		String plain = Training.gan(Path.of("s")).output(Path.of("r")).macro();
		assertEquals("run(\"Train GAN\", \"slices=[s] output=[r] preset=cpu iterations=2000 batch_size=0 latent_dim=32 seed=1 checkpoint_every=250 "
			+ "sample_every=250 device=auto\");", plain);
		String vae = Training.vae(Path.of("s")).output(Path.of("r")).ch(16).klWeight(0.002).learningRate(5e-4).lrSchedule("100, 200", 0.5)
			.augment(false).stopUnhealthy(true).resume(true).macro();
		assertTrue(vae.startsWith("run(\"Train VAE\", \"slices=[s] output=[r] preset=cpu ch=16 kl_weight=0.002 iterations=2000 "), vae);
		for (String key : new String[] {" learning_rate=5.0E-4 ", " lr_milestones=[100, 200] lr_gamma=0.5 ", " no_augmentation ", " stop_unhealthy ", " resume "})
			assertTrue(vae.contains(key), key + " in " + vae);
	}

	@Test
	void aSettingOfTheOtherModelOrAMissingFolderIsOneClearError() {
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).klWeight(0.1)).getMessage().contains("VAE"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.vae(Path.of("s")).widths(8, 8)).getMessage().contains("GAN"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).preset("huge")).getMessage().contains("cpu or paper"));
		assertTrue(assertThrows(ExplorerException.class, () -> Training.gan(Path.of("s")).run(Monitor.NONE)).getMessage().contains("output"));
		assertThrows(ExplorerException.class, () -> Training.vae(null));
	}
}
