package io.github.ctlatent.cli;

import io.github.ctlatent.testing.Launched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The headless launcher as a user runs it: a real JVM training a tiny GAN gets SIGTERM (what Ctrl-C triggers:
 * the JVM's shutdown hooks), stops within seconds with a resumable checkpoint, and the same command with
 * resume=true continues from it.
 */
class CtrlCIT {

	@TempDir
	Path dir;

	@Test
	void aSignalStopsTrainingPromptlyAndLeavesAResumableCheckpoint() throws Exception {
		Path slices = dir.resolve("slices"), run = dir.resolve("run");
		assertEquals(0, launch("Generate Thorax Phantom", "output=" + dir.resolve("phantom"), "count=3", "size=64", "slices=12", "format=nifti")
			.waitFor());
		assertEquals(0, launch("Prepare Slice Set", "input=" + dir.resolve("phantom"), "output=" + slices, "size=32", "test_fraction=0.34").waitFor());

		Launched p = launch("Train GAN", "slices=" + slices, "output=" + run, "iterations=1000000", "batch_size=8", "ngf=8", "ndf=8",
			"checkpoint_every=1000000", "sample_every=1000000");
		p.awaitOutput(" it 1/", 120);
		Thread.sleep(3000); // training is under way
		assertTrue(p.process().isAlive(), "training stopped on its own: " + p.output());
		double seconds = p.sigterm(60);
		assertTrue(seconds < 20, "took " + seconds + " s to stop");
		String log = p.output();
		// a kill's SIGTERM is named as such (Ctrl-C sends SIGINT), and stops like Ctrl-C
		assertTrue(log.contains("SIGTERM: stopping after the current step"), "exit " + p.process().exitValue() + ": " + log);
		assertEquals(130, p.process().exitValue(), log);
		assertTrue(Files.isDirectory(run.resolve("checkpoint")), "no checkpoint in " + run);

		String state = Files.readString(run.resolve("checkpoint/state.json"));
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"iteration\"\\s*:\\s*(\\d+)").matcher(state);
		assertTrue(m.find(), state);
		long at = Long.parseLong(m.group(1));
		assertTrue(at > 1, "checkpoint at iteration " + at);
		Launched resume = launch("Train GAN", "slices=" + slices, "output=" + run, "iterations=" + (at + 3), "batch_size=8", "ngf=8", "ndf=8",
			"checkpoint_every=1000000", "sample_every=1000000", "resume=true");
		assertEquals(0, resume.waitFor(), resume.output());
		assertTrue(resume.output().contains("(from " + at + ")"), "resumed from the checkpoint at " + at + ": " + resume.output());
	}

	/** The launcher as bin/latent-explorer runs it: the packaged jar. */
	private static Launched launch(String... args) throws Exception {
		return Launched.start(Launched.packagedJar(), args);
	}
}
