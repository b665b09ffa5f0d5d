package io.github.ctlatent.discover;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The RCA bar on the shipped phantom GAN: Voynov–Babenko proj directions are recognised at least 20 percentage
 * points more often than random orthonormal directions whose reconstructor had the same budget (K = 8, LeNet,
 * batch 32, 1,000 steps, Adam 1e-3 for both nets). About 8 minutes on 2 cores, hence slow-tagged
 * ({@code mvn verify -Pslow-tests}); the README's discovery table comes from the same configuration.
 */
@Tag("slow")
class ShippedModelRcaTest {

	@Test
	void learnedDirectionsBeatRandomOnesByTwentyPoints(@TempDir Path dir) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(DeformatorType.PROJ).directions(8).steps(1000).batchSize(32)
			.learningRate(1e-3f).seed(1).statsSamples(0).build();
		try (Generator g = Models.load(Path.of("models", "phantom-gan"), Device.cpu())) {
			DiscoveryReport r = Discovery.discover(g, s, dir, Monitor.printing(System.out)).report();
			System.out.println("SHIPPED GAN RCA " + r.summary());
			assertEquals(8, r.baselineDirections(), "baselines with the same K");
			assertTrue(r.rca() >= r.randomRca() + 0.20, r.summary());
		}
	}
}
