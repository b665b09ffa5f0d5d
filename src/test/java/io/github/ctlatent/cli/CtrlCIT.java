package io.github.ctlatent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

		Process p = launch("Train GAN", "slices=" + slices, "output=" + run, "iterations=1000000", "batch_size=8", "ngf=8", "ndf=8",
			"checkpoint_every=1000000", "sample_every=1000000");
		StringBuffer output = new StringBuffer();
		Thread reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line; (line = r.readLine()) != null; ) output.append(line).append('\n');
			} catch (java.io.IOException ignored) {
				// the process is gone
			}
		});
		reader.start();
		long deadline = System.nanoTime() + 120_000_000_000L;
		while (!output.toString().contains(" it 1/") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
		Thread.sleep(3000); // training is under way
		assertTrue(p.isAlive(), "training stopped on its own: " + output);
		long t0 = System.nanoTime();
		p.toHandle().destroy(); // SIGTERM, as Ctrl-C: shutdown hooks run (Process.destroy would also close our end of the pipe)
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after the signal");
		double seconds = (System.nanoTime() - t0) / 1e9;
		reader.join(10_000);
		assertTrue(seconds < 20, "took " + seconds + " s to stop");
		String log = output.toString();
		// a kill's SIGTERM is named as such (Ctrl-C sends SIGINT), and stops like Ctrl-C
		assertTrue(log.contains("SIGTERM: stopping after the current step"), "exit " + p.exitValue() + ": " + log);
		assertEquals(130, p.exitValue(), log);
		assertTrue(Files.isDirectory(run.resolve("checkpoint")), "no checkpoint in " + run);

		String state = Files.readString(run.resolve("checkpoint/state.json"));
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"iteration\"\\s*:\\s*(\\d+)").matcher(state);
		assertTrue(m.find(), state);
		long at = Long.parseLong(m.group(1));
		assertTrue(at > 1, "checkpoint at iteration " + at);
		Process resume = launch("Train GAN", "slices=" + slices, "output=" + run, "iterations=" + (at + 3), "batch_size=8", "ngf=8", "ndf=8",
			"checkpoint_every=1000000", "sample_every=1000000", "resume=true");
		String out = new String(resume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, resume.waitFor(), out);
		assertTrue(out.contains("(from " + at + ")"), "resumed from the checkpoint at " + at + ": " + out);
	}

	/** The launcher's java command line ({@code bin/latent-explorer} without the build step), stderr merged. */
	private static Process launch(String... args) throws Exception {
		String jar;
		try (var s = Files.list(Path.of("target"))) {
			jar = s.map(Path::toString).filter(n -> n.matches(".*ct-latent-explorer-[^-]+(-SNAPSHOT)?\\.jar")).findFirst().orElseThrow();
		}
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
			"-Dai.djl.pytorch.num_threads=1", "-Dslf4j.internal.verbosity=ERROR", "-cp", jar + File.pathSeparator + "target/lib/*",
			Main.class.getName()));
		cmd.addAll(List.of(args));
		return new ProcessBuilder(cmd).redirectErrorStream(true).start();
	}
}
