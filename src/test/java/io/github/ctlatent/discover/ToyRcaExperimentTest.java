package io.github.ctlatent.discover;

import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Voynov–Babenko comparison on the toy generator: RCA of the learned proj and ortho directions against the
 * random and id baselines trained with the same budget. Minutes on 2 cores, hence slow-tagged; prints the table.
 * Environment variables {@code TOY_STEPS=N TOY_TYPES=proj,ortho} change the budget and the methods (surefire's
 * argLine is fixed in the pom, so system properties do not reach the test JVM).
 */
@Tag("slow")
class ToyRcaExperimentTest {

	@Test
	void learnedDirectionsAreRecognisedFarAboveChance(@TempDir Path dir) {
		try (ToyGenerator g = new ToyGenerator(8, 32, 8, 1)) {
			int steps = Integer.parseInt(System.getenv().getOrDefault("TOY_STEPS", "200"));
			for (String t : System.getenv().getOrDefault("TOY_TYPES", "proj,ortho").split(",")) {
				DeformatorType type = DeformatorType.parse(t);
				DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(type).directions(8).batchSize(16).steps(steps)
					.learningRate(1e-3f).validationBatches(20).statsSamples(0).build();
				DiscoveryReport r = Discovery.discover(g, s, dir.resolve(type.id()), Monitor.printing(System.out)).report();
				System.out.println("TOY RCA " + r.summary());
				assertTrue(r.rca() > 3 * r.chance(), r.summary());
			}
		}
	}
}
