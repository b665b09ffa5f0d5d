package io.github.ctlatent.train;

import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.SliceSetTest;
import io.github.ctlatent.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainingLoopTest {

	@TempDir
	Path dir;

	private TrainingLoop.Settings settings(long iterations, boolean resume) {
		return new TrainingLoop.Settings(iterations, 4, 7, 3, 4, true, resume);
	}

	private SliceSet data() {
		return SliceSet.open(SliceSetTest.write(dir.resolve("slices"), 6, 1));
	}

	/** A monitor that cancels once progress reaches {@code at}. */
	private static Monitor cancelAt(long at) {
		return new Monitor() {
			long done;
			public void progress(long d, long total, String status) { done = d; }
			public void log(String line) {}
			public boolean isCanceled() { return done >= at; }
		};
	}

	@Test
	void writesARunFolderAndImprovesTheToyModel() throws Exception {
		SliceSet data = data();
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, settings(40, false), dir.resolve("run"), "test", "cpu()", Monitor.NONE);
		}
		for (String f : List.of("model.json", "metrics.csv", "loss.png", "samples.png", "toy.weights", "checkpoint/state.json", "samples/iter_0000000.png"))
			assertTrue(Files.isRegularFile(dir.resolve("run").resolve(f)), f);
		ModelCard card = ModelCard.read(dir.resolve("run"));
		assertEquals(40, card.iterationsDone);
		assertEquals(36, card.dataset.sliceCount + 18); // 6 volumes of 3 slices, carried in the card
		assertTrue(card.metrics.get("swd_final") < card.metrics.get("swd_initial"), card.metrics.toString());
		assertEquals(1 + 1 + 40, Files.readAllLines(dir.resolve("run/metrics.csv")).size()); // header, untrained evaluation, 40 iterations
	}

	@Test
	void aCanceledRunResumesToExactlyTheUninterruptedResult() throws Exception {
		SliceSet data = data();
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, settings(8, false), dir.resolve("straight"), "", "cpu", Monitor.NONE);
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			CanceledException e = assertThrows(CanceledException.class,
				() -> TrainingLoop.run(task, data, settings(8, false), dir.resolve("resumed"), "", "cpu", cancelAt(5)));
			assertTrue(e.getMessage().contains("resumable"), e.getMessage());
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, settings(8, true), dir.resolve("resumed"), "", "cpu", Monitor.NONE);
		}
		assertEquals(lossColumn(dir.resolve("straight")), lossColumn(dir.resolve("resumed")));
		assertArrayEquals(Files.readAllBytes(dir.resolve("straight/checkpoint/toy.bin")), Files.readAllBytes(dir.resolve("resumed/checkpoint/toy.bin")));
	}

	@Test
	void aResumeAcrossALearningRateMilestoneFollowsTheUninterruptedSchedule() throws Exception {
		SliceSet data = data();
		LrSchedule drop = LrSchedule.parse("4", 0.1);
		TrainingLoop.Settings straight = new TrainingLoop.Settings(8, 4, 7, 3, 4, true, false, drop);
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, straight, dir.resolve("straight"), "", "cpu", Monitor.NONE);
			assertEquals(0.001f, task.adam.learningRate(), 1e-9f);
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, new TrainingLoop.Settings(8, 4, 7, 3, 4, true, false), dir.resolve("constant"), "", "cpu", Monitor.NONE);
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			assertThrows(CanceledException.class, () -> TrainingLoop.run(task, data, straight, dir.resolve("resumed"), "", "cpu", cancelAt(6)));
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) { // the checkpoint is at 6, past the milestone
			TrainingLoop.run(task, data, new TrainingLoop.Settings(8, 4, 7, 3, 4, true, true, drop), dir.resolve("resumed"), "", "cpu", Monitor.NONE);
		}
		List<String> withDrop = lossColumn(dir.resolve("straight"));
		assertEquals(withDrop, lossColumn(dir.resolve("resumed")));
		List<String> constant = lossColumn(dir.resolve("constant"));
		assertEquals(withDrop.subList(0, 7), constant.subList(0, 7), "identical through iteration 5, whose loss predates the first slower update");
		assertNotEquals(withDrop.get(7), constant.get(7), "different from then on");
		assertEquals("x0.1 at 4", ModelCard.read(dir.resolve("resumed")).training.get("lr_schedule"));
	}

	@Test
	void learningRateSchedulesParseAndRefuseNonsense() {
		LrSchedule s = LrSchedule.parse(" 2000, 3000 ", 0.5);
		assertEquals(1, s.factorAt(1999));
		assertEquals(0.5, s.factorAt(2000));
		assertEquals(0.25, s.factorAt(3000));
		assertEquals(LrSchedule.CONSTANT.factorAt(1_000_000), 1);
		assertEquals(1, LrSchedule.parse("", 0.1).factorAt(5));
		assertTrue(assertThrows(ExplorerException.class, () -> LrSchedule.parse("3000,2000", 0.1)).getMessage().contains("ascending"));
		assertTrue(assertThrows(ExplorerException.class, () -> LrSchedule.parse("3k", 0.1)).getMessage().contains("\"3k\""));
		assertTrue(assertThrows(ExplorerException.class, () -> LrSchedule.parse("10", 0)).getMessage().contains("gamma"));
	}

	@Test
	void aNanLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() throws Exception {
		try (ToyTask task = new ToyTask(8, 5)) {
			ExplorerException e = assertThrows(ExplorerException.class,
				() -> TrainingLoop.run(task, data(), settings(20, false), dir.resolve("run"), "", "cpu", Monitor.NONE));
			assertTrue(e.getMessage().startsWith("Training diverged: mse = NaN at iteration 5. The last checkpoint with finite, sane losses (iteration 3)"), e.getMessage());
		}
		assertTrue(Files.readString(dir.resolve("run/checkpoint/state.json")).contains("\"iteration\": 3"));
	}

	@Test
	void aNanBeforeAnyCheckpointSaysSoAndAdvisesALowerRateNotAnotherSeed() {
		try (ToyTask task = new ToyTask(8, 2)) {
			String m = assertThrows(ExplorerException.class,
				() -> TrainingLoop.run(task, data(), settings(20, false), dir.resolve("run"), "", "cpu", Monitor.NONE)).getMessage();
			assertTrue(m.contains("No checkpoint was written before it") && m.contains("learning_rate=0.0010"), m);
			assertFalse(m.contains("iteration 0)") || m.contains("seed"), m);
		}
		assertFalse(Files.exists(dir.resolve("run/checkpoint")));
	}

	@Test
	void explodingLossesDoNotReplaceTheLastSaneCheckpoint() throws Exception {
		// checkpoints every 3 iterations; the loss explodes at step 4 and is NaN at step 8: iteration 3's checkpoint stays
		try (ToyTask task = new ToyTask(8, 8, 4)) {
			String m = assertThrows(ExplorerException.class,
				() -> TrainingLoop.run(task, data(), settings(20, false), dir.resolve("run"), "", "cpu", Monitor.NONE)).getMessage();
			assertTrue(m.contains("(iteration 3)") && m.contains("already exploding: mse = 1.00e+10 at iteration 4"), m);
			assertTrue(m.contains("resume=true") && m.contains("learning_rate="), m);
		}
		assertTrue(Files.readString(dir.resolve("run/checkpoint/state.json")).contains("\"iteration\": 3"));
	}

	@Test
	void anExistingCheckpointIsNeverOverwrittenWithoutResume() throws Exception {
		SliceSet data = data();
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			TrainingLoop.run(task, data, settings(3, false), dir.resolve("run"), "", "cpu", Monitor.NONE);
		}
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			ExplorerException e = assertThrows(ExplorerException.class,
				() -> TrainingLoop.run(task, data, settings(6, false), dir.resolve("run"), "", "cpu", Monitor.NONE));
			assertTrue(e.getMessage().contains("Use resume=true"), e.getMessage());
		}
	}

	private static List<String> lossColumn(Path run) throws Exception {
		List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
		int col = List.of(lines.get(0).split(",")).indexOf("mse");
		return lines.stream().map(l -> l.split(",", -1)[col]).toList();
	}

	@Test
	void earlyStoppingKeepsTheBestHeldOutWeightsAndTheSummaryNamesThem() throws Exception {
		// given held-out errors at iterations 0, 4, 8, 12, 16 … that are best at 8 and worse after it
		SliceSet data = data();
		TrainingLoop.Result r;
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			task.heldOut = new double[] {1.0, 0.5, 0.3, 0.4, 0.45, 0.5};
			// when the run may stop after 8 iterations without a better one and keeps the best weights
			r = TrainingLoop.run(task, data, settings(40, false).withStopping(8, true), dir.resolve("run"), "", "cpu", Monitor.NONE);
		}
		// then it stops at 16, the folder's weights are iteration 8's (as in best/), and the last ones stay in checkpoint/
		Path run = dir.resolve("run");
		assertEquals(16, r.iterations());
		assertEquals("8", Files.readString(run.resolve("toy.weights")));
		assertEquals("8", Files.readString(run.resolve("best/toy.weights")));
		assertEquals(16, io.github.ctlatent.core.Json.read(run.resolve("checkpoint/state.json"), Checkpoints.State.class).iteration());
		ModelCard card = ModelCard.read(run);
		assertEquals(0.3, card.metrics.get("heldout_mse_best"));
		assertEquals(8.0, card.metrics.get("heldout_mse_best_iteration"));
		assertEquals(0.45, card.metrics.get("heldout_mse_final"));
		assertEquals(8, card.keptWeightsIteration);
		assertEquals(16L, ((Number) card.training.get("stopped_early_at")).longValue());
		assertTrue(card.keptWeights.startsWith("best held-out: iteration 8 "), card.keptWeights);
		String summary = Training.vae(dir).summary(r);
		assertTrue(summary.contains("held-out MSE final 0.4500, best 0.3000 at iteration 8"), summary);
		assertTrue(summary.contains("weights kept: best held-out: iteration 8 (held-out MSE 0.3000), copied from best/; the last iteration's (16) are in checkpoint/"),
			summary);
		assertEquals("weights of the " + card.keptWeights, io.github.ctlatent.model.Models.weightsNote(run));
	}

	@Test
	void withoutKeepBestTheLastWeightsStayAndTheBestAreStillOnDisk() throws Exception {
		SliceSet data = data();
		try (ToyTask task = new ToyTask(8, Long.MAX_VALUE)) {
			task.heldOut = new double[] {1.0, 0.5, 0.3, 0.4};
			TrainingLoop.run(task, data, settings(12, false), dir.resolve("run"), "", "cpu", Monitor.NONE);
		}
		assertEquals("12", Files.readString(dir.resolve("run/toy.weights")));
		assertEquals("8", Files.readString(dir.resolve("run/best/toy.weights")));
		assertTrue(ModelCard.read(dir.resolve("run")).keptWeights.startsWith("last iteration: 12; the best held-out ones (iteration 8) are in best/"));
	}
}
