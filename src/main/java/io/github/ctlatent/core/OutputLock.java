package io.github.ctlatent.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Keeps a second command from writing the same output (run folder, slice set, export folder …) while one is at it.
 * The lock is an OS file lock ({@link FileChannel#tryLock}) on a hidden sibling {@code .<name>.lock} that names the
 * owner (process id, host, command, start time). The OS drops the lock when its process dies, so a lock file left
 * by a killed run is stale and simply taken over.
 * <pre>
 * try (OutputLock lock = OutputLock.acquire(runFolder, "Train GAN")) { … }
 * </pre>
 */
public final class OutputLock implements AutoCloseable {

	private final Path file;
	private final FileChannel channel;
	private final FileLock lock;
	private final String previousOwner;

	private OutputLock(Path file, FileChannel channel, FileLock lock, String previousOwner) {
		this.file = file;
		this.channel = channel;
		this.lock = lock;
		this.previousOwner = previousOwner;
	}

	/** The lock file of an output path. */
	public static Path lockFile(Path output) {
		// the real path: two writers through an alias and the real path meet at one lock
		Path abs = Outputs.resolve("output", output);
		return abs.resolveSibling("." + abs.getFileName() + ".lock");
	}

	/** Locks {@code output} for {@code command}, or throws naming the process that holds it. */
	public static OutputLock acquire(Path output, String command) {
		Path file = lockFile(output);
		FileChannel ch = null;
		try {
			Files.createDirectories(file.getParent());
			ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
			FileLock l;
			try {
				l = ch.tryLock();
			} catch (OverlappingFileLockException e) {
				l = null; // held by another command in this JVM (Fiji runs commands in parallel threads)
			}
			if (l == null) {
				String owner = read(ch);
				ch.close();
				throw new ExplorerException(output + " is being written by another command (" + (owner.isBlank() ? "unknown owner" : owner)
					+ "). Wait until it finishes, or choose another output.");
			}
			String previous = read(ch);
			String me = ProcessHandle.current().pid() + "@" + host() + " " + command + " since " + Instant.now();
			ch.truncate(0);
			ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
			ch.force(false);
			return new OutputLock(file, ch, l, previous.isBlank() ? null : previous);
		} catch (IOException e) {
			if (ch != null) try {
				ch.close();
			} catch (IOException ignored) {
				// reporting the first error
			}
			throw new ExplorerException("Could not write " + output + ": " + AtomicFiles.describe(e) + ". "
				+ AtomicFiles.advice(e, file.getParent()), e);
		}
	}

	/** As {@link #acquire(Path, String)}; tells {@code monitor} when it takes over the stale lock of a killed run. */
	public static OutputLock acquire(Path output, String command, Monitor monitor) {
		OutputLock l = acquire(output, command);
		if (l.staleOwner() != null) monitor.log("Took over the stale lock of a run that ended without releasing it (" + l.staleOwner() + ")");
		return l;
	}

	/** The owner recorded in a lock file that was no longer locked (a killed run), or null. */
	public String staleOwner() {
		return previousOwner;
	}

	private static String read(FileChannel ch) throws IOException {
		ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
		ch.read(b, 0);
		return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
	}

	private static volatile String host;

	private static String host() {
		if (host == null) {
			String h = System.getenv("HOSTNAME");
			try {
				host = h != null && !h.isBlank() ? h : InetAddress.getLocalHost().getHostName();
			} catch (IOException e) {
				host = "localhost";
			}
		}
		return host;
	}

	@Override
	public void close() {
		try {
			Files.deleteIfExists(file); // while still locked, so nobody takes a lock on a file about to vanish
			lock.release();
			channel.close();
		} catch (IOException ignored) {
			// the OS releases the lock with the channel or the process anyway
		}
	}
}
