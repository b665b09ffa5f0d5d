package io.github.ctlatent.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in the
 * same folder, which is then renamed over the target. A failed write (full disk, exception in the writer,
 * cancellation) leaves the previous file, if any, untouched and removes the temporary file. Folders are replaced
 * only by a swap ({@link #replaceFolderVia}); nothing here deletes a folder it did not make.
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
	 * Lets {@code writer} produce a temporary sibling of the file {@code target}, then renames it into place. Use
	 * for libraries that insist on writing to a path themselves (ImageJ's writers). A folder at {@code target} is
	 * never replaced (that is {@link #replaceFolderVia}'s job, after the caller has checked the folder is its own).
	 */
	public static void writeVia(Path target, PathWriter writer) {
		Path abs = target.toAbsolutePath();
		if (Files.isDirectory(abs))
			throw new ExplorerException(abs + " is a folder; it is not replaced by a file. Give a file name, or move the folder away.");
		produce(abs, writer, tmp -> {
			if (Files.isDirectory(tmp)) throw new IOException("the writer made a folder where a file was expected");
			try {
				Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
			}
		});
	}

	/**
	 * Lets {@code writer} build the folder {@code target} as a temporary sibling, then swaps it in: an existing
	 * folder is renamed aside, the new one renamed in, and only then the old one deleted, so at every instant
	 * either the old or the new complete folder exists (a kill in between leaves both, found by {@link #recover}).
	 * Callers replace only folders this project wrote (checked with {@link Outputs}).
	 */
	public static void replaceFolderVia(Path target, PathWriter writer) {
		Path abs = target.toAbsolutePath();
		if (Files.exists(abs) && !Files.isDirectory(abs))
			throw new ExplorerException(abs + " is a file; it is not replaced by a folder. Choose another output path.");
		produce(abs, writer, tmp -> swapIn(tmp, abs));
	}

	/**
	 * As {@link #replaceFolderVia(Path, PathWriter)}, but the folder at {@code target} is swapped out only when
	 * {@code replaceable} still accepts it at the moment of the swap (see {@link Outputs#replaceable}); otherwise
	 * (a foreign folder appeared while the command ran) the new version is discarded and the folder left untouched.
	 */
	public static void replaceFolderVia(Path target, java.util.function.Predicate<Path> replaceable, PathWriter writer) {
		Path abs = target.toAbsolutePath();
		if (Files.isSymbolicLink(abs)) throw new ExplorerException(abs + " is a symbolic link; it is not replaced. Give the real path.");
		if (Files.exists(abs) && !Files.isDirectory(abs))
			throw new ExplorerException(abs + " is a file; it is not replaced by a folder. Choose another output path.");
		produce(abs, writer, tmp -> {
			if (!replaceable.test(abs))
				throw new ExplorerException(abs + " appeared or changed while this command ran and is not an output of this tool, so it is "
					+ "left untouched and the new result was discarded. Choose a new folder and run again.");
			swapIn(tmp, abs);
		});
	}

	private interface Mover {
		void move(Path tmp) throws IOException;
	}

	private static void produce(Path abs, PathWriter writer, Mover mover) {
		Path dir = abs.getParent();
		Path tmp = null;
		try {
			Files.createDirectories(dir);
			if (!Files.isWritable(dir)) throw new ExplorerException("Could not write " + abs + ": the folder " + dir + " is read-only. Choose a writable folder.");
			tmp = sibling(abs, TMP);
			writer.write(tmp);
			mover.move(tmp);
		} catch (IOException e) {
			deleteQuietly(tmp);
			throw new ExplorerException("Could not write " + abs + ": " + describe(e) + ". " + advice(e, dir), e);
		} catch (RuntimeException | Error e) {
			deleteQuietly(tmp);
			throw e;
		}
	}

	/** The likely cause of a failed write, from the exception and the folder's state. */
	static String advice(IOException e, Path dir) {
		if (e instanceof java.nio.file.AccessDeniedException || String.valueOf(e.getMessage()).contains("Read-only file system"))
			return "The folder " + dir + " is not writable; choose another folder.";
		if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException
			|| String.valueOf(e.getMessage()).contains("Not a directory"))
			return "A file stands where a folder is needed on that path; choose another path.";
		// an encoder reports its own failure ("I/O error writing PNG file!") with the disk's as its cause
		StringBuilder messages = new StringBuilder();
		for (Throwable t = e; t != null; t = t.getCause()) messages.append(t.getMessage()).append('\n');
		String m = messages.toString().toLowerCase(java.util.Locale.ROOT);
		if (m.contains("no space") || m.contains("quota")) return "The disk is full; free space or choose another disk.";
		return "Check that the folder is writable and the disk is not full.";
	}

	/** Renames {@code target} (if any) aside, {@code tmp} in, then deletes the old folder. */
	static void swapIn(Path tmp, Path target) throws IOException {
		Path old = null;
		if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
			old = sibling(target, OLD);
			Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
		}
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the old one back
			throw e;
		}
		if (old != null) deleteQuietly(old);
	}

	// ---- leftovers of killed runs ----

	static final String TMP = "tmp", OLD = "old";
	/** {@code .<name>.tmp-<pid>-<nanos>} or {@code .<name>.old-<pid>-<nanos>}, possibly with a suffix ImageJ appended. */
	private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("^\\.(.+)\\.(tmp|old)-(\\d+)-(\\d+)(\\..*)?$");

	/** A hidden sibling of {@code target} for a new ({@code tmp}) or swapped-aside ({@code old}) version. */
	static Path sibling(Path target, String kind) {
		return target.resolveSibling("." + target.getFileName() + "." + kind + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
	}

	/** A leftover of a process that is gone: its name, kind and age order. */
	record Leftover(Path path, String name, String kind, long pid, long nanos) {
		boolean orphaned() {
			return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
		}
	}

	static List<Leftover> leftovers(Path dir) {
		List<Leftover> list = new ArrayList<>();
		if (!Files.isDirectory(dir)) return list;
		try (var s = Files.list(dir)) {
			for (Path p : (Iterable<Path>) s::iterator) {
				java.util.regex.Matcher m = LEFTOVER.matcher(p.getFileName().toString());
				if (m.matches()) {
					try {
						list.add(new Leftover(p, m.group(1), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
					} catch (NumberFormatException ignored) {
						// not one of ours
					}
				}
			}
		} catch (IOException ignored) {
			// nothing to clean when the folder cannot be listed
		}
		return list;
	}

	/**
	 * Settles what a killed swap left around the folder {@code target}: when {@code target} is missing, the newest
	 * complete new version (else the swapped-aside old one) of a dead process is renamed into place; then every
	 * other leftover of a dead process is deleted. Returns one line per action, for the log.
	 *
	 * @param complete tells a fully written version from a partial one (e.g. "has state.json")
	 */
	public static List<String> recover(Path target, java.util.function.Predicate<Path> complete) {
		Path abs = target.toAbsolutePath();
		String name = abs.getFileName().toString();
		List<String> done = new ArrayList<>();
		List<Leftover> mine = new ArrayList<>();
		for (Leftover l : leftovers(abs.getParent())) if (l.name().equals(name) && l.orphaned()) mine.add(l);
		if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
			Comparator<Leftover> newestFirst = Comparator.comparingLong(Leftover::nanos).reversed();
			// a leftover that is a symbolic link was not made by a swap (a decoy): it is removed, never moved into place
			java.util.function.Predicate<Leftover> usable = l -> !Files.isSymbolicLink(l.path()) && complete.test(l.path());
			java.util.Optional<Leftover> pick = mine.stream().filter(l -> l.kind().equals(TMP) && usable.test(l)).sorted(newestFirst).findFirst()
				.or(() -> mine.stream().filter(l -> l.kind().equals(OLD) && usable.test(l)).sorted(newestFirst).findFirst());
			if (pick.isPresent()) {
				try {
					Files.move(pick.get().path(), abs, StandardCopyOption.ATOMIC_MOVE);
					mine.remove(pick.get());
					done.add("Recovered " + abs + " from " + pick.get().path().getFileName() + " (left by a run that was killed while replacing it)");
				} catch (IOException e) {
					throw new ExplorerException("Could not recover " + abs + " from " + pick.get().path() + ": " + describe(e)
						+ ". Rename that folder to " + name + " by hand.", e);
				}
			}
		}
		for (Leftover l : mine) {
			deleteQuietly(l.path());
			done.add("Removed " + l.path().getFileName() + " (left by a killed run)");
		}
		return done;
	}

	/** Deletes the hidden temporary files and folders that killed runs left in {@code dir}; returns how many. */
	public static int cleanLeftovers(Path dir) {
		int n = 0;
		for (Leftover l : leftovers(dir))
			if (l.orphaned()) {
				deleteQuietly(l.path());
				n++;
			}
		return n;
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

	/**
	 * Deletes {@code p} and, when it is a real folder, everything in it. A symbolic link is deleted itself, never
	 * followed: a link inside an output (or an output given as a link) must not take its target's files with it.
	 */
	public static void deleteRecursively(Path p) throws IOException {
		if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
		if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
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
