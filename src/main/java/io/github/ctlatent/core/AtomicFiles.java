package io.github.ctlatent.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in the
 * same folder, which is then renamed over the target. A failed write (full disk, exception in the writer,
 * cancellation) leaves the previous file, if any, untouched and removes the temporary file.
 */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** Something that writes a file's content to a stream. */
	@FunctionalInterface
	public interface StreamWriter {
		void write(OutputStream out) throws IOException;
	}

	/** Something that writes a whole file (or folder) at the given path. */
	@FunctionalInterface
	public interface PathWriter {
		void write(Path target) throws IOException;
	}

	public static void writeString(Path target, String text) {
		write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	public static void write(Path target, StreamWriter writer) {
		writeVia(target, tmp -> {
			try (OutputStream out = Files.newOutputStream(tmp)) {
				writer.write(out);
			}
		});
	}

	/**
	 * Lets {@code writer} produce a temporary sibling of {@code target} (file or folder), then moves it into
	 * place. Use for libraries that insist on writing to a path themselves (ImageJ's writers).
	 */
	public static void writeVia(Path target, PathWriter writer) {
		Path abs = target.toAbsolutePath();
		Path dir = abs.getParent();
		Path tmp = null;
		try {
			Files.createDirectories(dir);
			tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
			writer.write(tmp);
			move(tmp, abs);
		} catch (IOException e) {
			deleteQuietly(tmp);
			throw new ExplorerException("Could not write " + abs + ": " + describe(e)
				+ ". Check that the folder is writable and the disk is not full.", e);
		} catch (RuntimeException | Error e) {
			deleteQuietly(tmp);
			throw e;
		}
	}

	private static void move(Path tmp, Path target) throws IOException {
		if (Files.isDirectory(target)) deleteRecursively(target);
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (AtomicMoveNotSupportedException e) {
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	static String describe(IOException e) {
		String m = e.getMessage();
		return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
	}

	public static void deleteQuietly(Path p) {
		if (p == null) return;
		try {
			deleteRecursively(p);
		} catch (IOException ignored) {
			// best effort: a leftover temporary file is hidden (dot-prefixed) and harmless
		}
	}

	public static void deleteRecursively(Path p) throws IOException {
		if (!Files.exists(p)) return;
		if (Files.isDirectory(p)) {
			try (var s = Files.list(p)) {
				for (Path c : (Iterable<Path>) s::iterator) deleteRecursively(c);
			}
		}
		Files.delete(p);
	}

	/** Wraps an {@link IOException} as unchecked, keeping its message. */
	public static UncheckedIOException unchecked(IOException e) {
		return new UncheckedIOException(e.getMessage(), e);
	}
}
