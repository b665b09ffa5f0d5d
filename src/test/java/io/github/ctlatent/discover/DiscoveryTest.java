package io.github.ctlatent.discover;

import ai.djl.Device;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SliceSetTest;
import io.github.ctlatent.data.SliceSetWriter;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DiscoveryTest {

	@Test
	void voynovRunWritesDirectionsReportReconstructorAndBaselines(@TempDir Path dir) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(DeformatorType.PROJ).directions(4).batchSize(8).steps(2)
			.validationBatches(1).statsSamples(2).build();
		try (ToyGenerator g = new ToyGenerator(6, 32, 4, 2)) {
			Discovery.Result r = Discovery.discover(g, s, dir, Monitor.NONE);

			DirectionSet loaded = DirectionSet.load(dir.resolve(DirectionSet.FILE_NAME));
			assertEquals(4, loaded.directionCount());
			assertEquals(DeformatorType.PROJ, loaded.deformator());
			assertEquals(g.fingerprint(), loaded.generatorFingerprint());
			// a direction no validation pair used has no accuracy (null; the file never holds NaN)
			for (DirectionSet.DirectionStat st : loaded.stats()) assertTrue(st.pixelChangePerUnit() > 0 && (st.rca() == null || st.rca() >= 0 && st.rca() <= 1));
			assertTrue(loaded.stats().stream().anyMatch(st -> st.rca() != null));
			DiscoveryReport report = Json.read(dir.resolve(DiscoveryReport.FILE_NAME), DiscoveryReport.class);
			assertEquals(r.report().rca(), report.rca());
			assertNotNull(report.randomRca());
			assertNotNull(report.idRca());
			assertEquals(0.25, report.chance(), 1e-12);
			for (String f : new String[] {VoynovBabenko.RECONSTRUCTOR, VoynovBabenko.CHECKPOINT, "baseline-id/" + VoynovBabenko.CHECKPOINT,
				"baseline-random/" + VoynovBabenko.RECONSTRUCTOR})
				assertTrue(Files.isRegularFile(dir.resolve(f)), f);
			// the saved reconstructor and directions reproduce the reported accuracy exactly
			assertEquals(report.rca(), ReconstructorAccuracy.reevaluate(g, dir, 1, 8, s.seed()).overall(), 0);
		}
	}

	@Test
	void sefaRunIsClosedFormAndTiedToTheGenerator(@TempDir Path dir) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.SEFA).directions(0).statsSamples(0).build();
		try (ToyGenerator g = new ToyGenerator(6, 8, 4, 2)) {
			DirectionSet set = Discovery.run(g, s, dir, Monitor.NONE);
			assertEquals(6, set.directionCount());
			assertEquals("sefa", DirectionSet.load(dir.resolve(DirectionSet.FILE_NAME)).method());
			assertNull(Json.read(dir.resolve(DiscoveryReport.FILE_NAME), DiscoveryReport.class).rca());
			set.requireGenerator(g);
		}
	}

	@Test
	void posteriorPcaOfTheShippedVaeWritesDirectionsAndAnUntrainedReport(@TempDir Path dir) {
		Path slices = dir.resolve("slices"), vae = Path.of("models", "phantom-vae");
		try (SliceSetWriter w = SliceSetWriter.create(slices, new Preprocessing(-1000, 2000, 64, "lanczos4"), 1, 0.25)) {
			for (int i = 0; i < 4; i++) w.add("v" + i, "mem:" + i, SliceSetTest.ramp(i, 3));
			w.commit();
		}
		try (Generator g = Models.load(vae, Device.cpu())) {
			Discovery.Result r = Discovery.posteriorPca(g, vae, slices, 3, dir.resolve("pca"), Monitor.NONE);
			assertEquals(3, r.directions().directionCount());
			DiscoveryReport report = Json.read(dir.resolve("pca").resolve(DiscoveryReport.FILE_NAME), DiscoveryReport.class);
			assertEquals("pca", report.method());
			assertNull(report.deformator());
			assertNull(report.rca());
			assertEquals(3, report.directions());
			assertEquals(g.fingerprint(), report.generatorFingerprint());
			assertEquals(slices.toAbsolutePath().toString(), report.settings().get("slices"));
			assertTrue(report.summary().contains("closed form"), report.summary());
		}
	}

	@Test
	void pixelChangeOfALinearGeneratorIsTheMeanAbsoluteColumnImage() {
		try (LinearGenerator g = new LinearGenerator(5, 6, 2.0, 8)) {
			DirectionSet set = SeFa.directions(g, 3, false);
			DirectionSet measured = DirectionStats.measure(g, set, 3, 1);
			for (int k = 0; k < 3; k++) {
				float[] a = set.direction(k);
				double expected = 0;
				for (float[] row : g.w) {
					double v = 0;
					for (int i = 0; i < 5; i++) v += row[i] * a[i];
					expected += Math.abs(v) / g.w.length;
				}
				assertEquals(expected, measured.stats().get(k).pixelChangePerUnit(), 1e-5);
				assertEquals(set.stats().get(k).eigenvalue(), measured.stats().get(k).eigenvalue());
			}
		}
	}
}
