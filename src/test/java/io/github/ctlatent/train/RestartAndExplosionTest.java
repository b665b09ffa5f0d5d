package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.SliceSetTest;
import io.github.ctlatent.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 23, items 2 and 4: an exploding run stops like a NaN one; a run killed before its first checkpoint restarts; a damaged metrics.csv is refused. */
class RestartAndExplosionTest {

	@TempDir
	Path dir;

	private SliceSet data() {
		return SliceSet.open(SliceSetTest.write(dir.resolve("slices"), 6, 1));
	}

	@Test
	void aLossThatExplodesWithoutEverBeingNaNStopsTheRunKeepingTheLastSaneCheckpoint() throws Exception {
		// finite but exploding (1e10) from step 4 on, never NaN: before, the run "succeeded" with garbage weights
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE, 4)) {
			String m = assertThrows(ExplorerException.class, () -> TrainingLoop.run(task, data(), new TrainingLoop.Settings(20, 4, 7, 3, 4, true, false),
				dir.resolve("run"), "", "cpu", Monitor.NONE)).getMessage();
			assertTrue(m.startsWith("Training diverged") && m.contains("(iteration 3)"), m);
		}
		assertTrue(Files.readString(dir.resolve("run/checkpoint/state.json")).contains("\"iteration\": 3"));
	}

	@Test
	void aRunKilledBeforeItsFirstCheckpointRestartsWithOrWithoutResume() throws Exception {
		SliceSet set = data();
		Path run = dir.resolve("run");
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, set, new TrainingLoop.Settings(2, 4, 7, 100, 100, true, false), run, "", "cpu", Monitor.NONE);
		}
		// what a kill before the first checkpoint leaves: the card of iteration 0, metrics, no checkpoint
		AtomicFilesHelper.delete(run.resolve(Checkpoints.FOLDER));
		ModelCard card = ModelCard.read(run);
		card.iterationsDone = 0;
		card.write(run);
		for (boolean resume : new boolean[] {false, true})
			try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
				TrainingLoop.Result r = TrainingLoop.run(task, set, new TrainingLoop.Settings(2, 4, 7, 100, 100, true, resume), run, "", "cpu", Monitor.NONE);
				assertEquals(2, r.iterations());
				AtomicFilesHelper.delete(run.resolve(Checkpoints.FOLDER));
				ModelCard c = ModelCard.read(run);
				c.iterationsDone = 0;
				c.write(run);
			}
		// every iteration once in metrics.csv
		assertEquals(1, MetricsCsv.read(run.resolve("metrics.csv"), 100).stream().filter(r -> r.get("iteration") == 1.0 && r.size() > 1 && !r.containsKey("swd")).count());
	}

	@Test
	void aDamagedMetricsFileIsRefusedOnResumeNotReadPartly() throws Exception {
		SliceSet set = data();
		Path run = dir.resolve("run");
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, set, new TrainingLoop.Settings(3, 4, 7, 3, 4, true, false), run, "", "cpu", Monitor.NONE);
		}
		Path csv = run.resolve("metrics.csv");
		Files.writeString(csv, Files.readString(csv).replaceFirst("iteration", "iterat\u0000on"));
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			String m = assertThrows(ExplorerException.class, () -> TrainingLoop.run(task, set, new TrainingLoop.Settings(6, 4, 7, 3, 4, true, true), run, "",
				"cpu", Monitor.NONE)).getMessage();
			assertTrue(m.contains("metrics.csv") && m.contains("damaged"), m);
		}
		assertNotNull(Json.read(run.resolve("checkpoint/state.json"), java.util.Map.class));
	}

	/** Deletes a folder the test made (through the core's link-safe deletion). */
	static final class AtomicFilesHelper {
		static void delete(Path p) throws java.io.IOException {
			io.github.ctlatent.core.AtomicFiles.deleteRecursively(p);
		}
	}
}
