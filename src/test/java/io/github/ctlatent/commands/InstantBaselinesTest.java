package io.github.ctlatent.commands;

import io.github.ctlatent.core.Json;
import io.github.ctlatent.discover.DeformatorType;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.discover.DiscoverySettings;
import io.github.ctlatent.discover.DiscoveryReport;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The random and id baselines on their own are written at once; their RCA costs training only when asked for. */
class InstantBaselinesTest {

	static final Path PT = ExploreCommandsTest.PT;

	@TempDir
	Path dir;

	@Test
	void randomAndIdNeedNoReconstructorUnlessTheirRcaIsAskedFor() throws Exception {
		long t0 = System.nanoTime();
		Map<String, Object> r = Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("random"), "deformator", "random");
		double seconds = (System.nanoTime() - t0) / 1e9;
		String s = String.valueOf(r.get("summary"));
		assertTrue(s.startsWith("voynov/random: 8 fixed directions of a 8-d latent, no reconstructor trained (no RCA)"), s);
		assertFalse(Files.exists(dir.resolve("random/reconstructor.params")));
		assertFalse(Files.exists(dir.resolve("random/checkpoint.bin")));
		assertNull(Json.read(dir.resolve("random/report.json"), DiscoveryReport.class).rca());
		float[][] a = DirectionSet.load(dir.resolve("random/directions.json")).matrix();
		for (int i = 0; i < a.length; i++) // a random orthonormal set
			for (int j = 0; j < a.length; j++) {
				double dot = 0;
				for (int k = 0; k < a[i].length; k++) dot += a[i][k] * a[j][k];
				assertEquals(i == j ? 1 : 0, dot, 1e-4);
			}
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("id"), "deformator", "id", "directions", 3);
		float[][] id = DirectionSet.load(dir.resolve("id/directions.json")).matrix();
		assertEquals(3, id.length);
		assertEquals(1f, id[2][2]);
		System.out.println("random baseline without RCA: " + seconds + " s");
		Map<String, Object> rca = Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("rca"), "deformator", "random",
			"baseline_rca", true, "steps", 3, "batch_size", 8);
		assertTrue(String.valueOf(rca.get("summary")).startsWith("voynov/random: RCA"), String.valueOf(rca.get("summary")));
		assertTrue(Files.exists(dir.resolve("rca/reconstructor.params")));
	}

	@Test
	void theSettingsBuilderHoldsTheCommandsRules() {
		DiscoverySettings.Builder b = DiscoverySettings.paper().toBuilder().steps(50).baselines(true).learningRate(2e-4f).deformatorLr(0);
		assertEquals(2e-4f, b.build().deformatorLr(), "deformatorLr 0 keeps learningRate's");
		assertEquals(1e-3f, b.deformatorLr(1e-3f).build().deformatorLr());
		DiscoverySettings random = b.deformator(DeformatorType.RANDOM).measureFixedRca(false).build();
		assertEquals(0, random.steps());
		assertFalse(random.baselines());
		DiscoverySettings proj = b.deformator(DeformatorType.PROJ).build();
		assertEquals(50, proj.steps(), "a trainable deformator trains whatever measureFixedRca says");
		assertTrue(proj.baselines());
	}
}
