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
 * The README's K = 8, 1,000-step, seed-1 row of the RCA table on the shipped phantom GAN: Voynov–Babenko proj
 * directions (Adam 3e-3) against random orthonormal ones, both reconstructors with the paper's Adam 1e-4, LeNet,
 * batch 32. Measured +20.5 pp (seeds 2–5: +22.5, +11.0, +22.0 and the README's last row); the issue's +20 pp bar
 * holds for most seeds but not all, so this guards the measured figure (≥ +15 pp), not the bar. About 8 minutes
 * on one core, hence slow-tagged ({@code mvn verify -Pslow-tests}).
 */
@Tag("slow")
class ShippedModelRcaTest {

	@Test
	void learnedDirectionsBeatRandomOnesOnTheShippedGan(@TempDir Path dir) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(DeformatorType.PROJ).directions(8).steps(1000).batchSize(32)
			.deformatorLr(3e-3f).reconstructorLr(1e-4f).seed(1).statsSamples(0).build();
		try (Generator g = Models.load(Path.of("models", "phantom-gan"), Device.cpu())) {
			DiscoveryReport r = Discovery.discover(g, s, dir, Monitor.printing(System.out)).report();
			System.out.println("SHIPPED GAN RCA " + r.summary());
			assertEquals(8, r.baselineDirections(), "baselines with the same K");
			assertTrue(r.rca() >= r.randomRca() + 0.15, r.summary());
		}
	}
}
