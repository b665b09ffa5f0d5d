package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 12, defect 7b: two writers of one run folder or slice set; the second is refused, a dead one's lock is taken over. */
class LockTest {

	@TempDir
	Path dir;

	/** A second JVM that holds the lock of {@code output} as a running command would, until killed. */
	public static void main(String[] args) throws Exception {
		Path lock = Path.of(args[0]);
		try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE); var l = ch.lock()) {
			ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "@test Train GAN").getBytes()));
			System.out.println("locked");
			System.out.flush();
			Thread.sleep(60_000);
		}
	}

	@Test
	void aSecondWriterIsRefusedWhileAnotherProcessWritesAndAStaleLockIsTakenOver() throws Exception {
		Path in = phantom(dir.resolve("in"), 2, "nifti"), set = dir.resolve("set");
		Path lockFile = set.resolveSibling(".set.lock");
		Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path"), LockTest.class.getName(), lockFile.toString()).redirectErrorStream(true).start();
		try {
			assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine());
			String m = refused(PrepareSliceSetCommand.class, "input", in, "output", set, "size", 16);
			assertTrue(m.contains("is being written by another command") && m.contains(holder.pid() + "@test"), m);
			assertFalse(Files.exists(set));
		} finally {
			holder.destroyForcibly();
			assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
		}
		// the holder died without cleaning up: its lock file is stale and taken over
		assertTrue(Files.exists(lockFile));
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", set, "size", 16);
		assertTrue(Files.isRegularFile(set.resolve("dataset.json")));
		assertFalse(Files.exists(lockFile), "the lock is released when the command ends");
	}

	@Test
	void aRunFolderInUseByAnotherCommandOfThisJvmIsRefused() throws Exception {
		Path slices = slices(dir), run = dir.resolve("run");
		// another command of this JVM (Fiji runs commands in parallel threads) holds the run folder's lock
		try (FileChannel ch = FileChannel.open(run.resolveSibling(".run.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE); var held = ch.lock()) {
			ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "@here Train GAN").getBytes()));
			String m = refused(TrainGanCommand.class, "slices", slices, "output", run, "iterations", 1, "batch_size", 4, "ngf", 4, "ndf", 4, "device", "cpu");
			assertTrue(m.contains("is being written by another command (" + ProcessHandle.current().pid() + "@here"), m);
		}
		assertFalse(Files.exists(run.resolve("checkpoint")));
		assertTrue(new File(run.toString()).getParentFile().isDirectory());
	}
}
