package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12, defect 2: a kill -9 while the checkpoint is being replaced. The on-disk states such a kill leaves are
 * built directly (not by timing a kill): the old checkpoint swapped aside, the complete new one still hidden, or a
 * half-written new one. Resuming must continue from the newest complete checkpoint, never from iteration 0, and
 * clean the leftovers. Pid 999999 stands for the killed process (no such process exists).
 */
class CheckpointKillTest {

	@TempDir
	Path dir;

	private Path slices;

	@BeforeEach
	void setUp() {
		slices = slices(dir);
	}

	/** A tiny GAN run; {@code lr} lets two runs' weights differ while their checkpoints stay resumable by each other. */
	private void train(Path run, int iterations, double lr, boolean resume) {
		Harness.run(TrainGanCommand.class, "slices", slices, "output", run, "iterations", iterations, "batch_size", 4, "ngf", 4, "ndf", 4,
			"checkpoint_every", 2, "sample_every", 100, "learning_rate", lr, "resume", resume, "device", "cpu");
	}

	@Test
	void aKillBetweenSwappingTheOldCheckpointAsideAndTheNewOneInResumesFromTheNewOne() throws Exception {
		Path run = dir.resolve("run"), newer = dir.resolve("newer");
		train(run, 2, 1e-3, false);
		train(newer, 4, 2e-3, false);
		// the kill: checkpoint/ renamed aside, the complete iteration-4 checkpoint not yet renamed in
		Files.move(run.resolve("checkpoint"), run.resolve(".checkpoint.old-999999-1"));
		copyTree(newer.resolve("checkpoint"), run.resolve(".checkpoint.tmp-999999-2"));
		Files.writeString(run.resolve(".metrics.csv.tmp-999999-3"), "half");
		train(run, 4, 1e-3, true); // nothing left to train when the iteration-4 checkpoint is found
		assertEquals(4, ModelCard.read(run).iterationsDone);
		assertArrayEquals(Files.readAllBytes(newer.resolve("generator.params")), Files.readAllBytes(run.resolve("generator.params")),
			"the final weights are those of the recovered iteration-4 checkpoint");
		assertTrue(Files.readString(run.resolve("checkpoint/state.json")).contains("\"iteration\": 4"));
		assertEquals(0, leftovers(dir));
	}

	@Test
	void aKillBeforeTheNewCheckpointWasCompleteResumesFromTheOldOne() throws Exception {
		Path run = dir.resolve("run"), other = dir.resolve("other");
		train(run, 2, 1e-3, false);
		byte[] atTwo = Files.readAllBytes(run.resolve("checkpoint/generator.params"));
		train(other, 2, 2e-3, false);
		// the old one aside and a new one without its state.json (written last): the old one is the checkpoint
		Files.move(run.resolve("checkpoint"), run.resolve(".checkpoint.old-999999-1"));
		copyTree(other.resolve("checkpoint"), run.resolve(".checkpoint.tmp-999999-2"));
		Files.delete(run.resolve(".checkpoint.tmp-999999-2/state.json"));
		train(run, 2, 2e-3, true);
		assertArrayEquals(atTwo, Files.readAllBytes(run.resolve("generator.params")), "resumed from the swapped-aside checkpoint, not from scratch");
		assertEquals(0, leftovers(dir));
	}

	@Test
	void aStrandedPartialCheckpointBesideAGoodOneIsRemovedAndTheGoodOneUsed() throws Exception {
		Path run = dir.resolve("run");
		train(run, 2, 1e-3, false);
		byte[] atTwo = Files.readAllBytes(run.resolve("checkpoint/generator.params"));
		Files.createDirectories(run.resolve(".checkpoint.tmp-999999-5"));
		Files.write(run.resolve(".checkpoint.tmp-999999-5/generator.params"), new byte[] {1, 2});
		Files.createDirectories(run.resolve("samples"));
		Files.writeString(run.resolve("samples/.iter_0000004.png.tmp-999999-6.png"), "half");
		train(run, 2, 1e-3, true);
		assertArrayEquals(atTwo, Files.readAllBytes(run.resolve("generator.params")));
		assertEquals(0, leftovers(dir));
	}
}
