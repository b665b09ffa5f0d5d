package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** One wording for every reader error: what could not be read, why, and what to do. */
final class ReadErrors {

	private ReadErrors() {}

	/** Refuses a folder, a missing file and an empty file, in the same words for every format; returns the size. */
	static long checkFile(Path file) {
		if (java.nio.file.Files.isDirectory(file))
			throw bad(file, "this is a folder, not a file", "Read a folder of slices as a series (readSeries / scan).");
		try {
			long size = java.nio.file.Files.size(file);
			if (size == 0) throw damaged(file, "the file is empty (0 bytes)");
			return size;
		} catch (IOException e) {
			throw io(file, e);
		}
	}

	static ExplorerException bad(Path file, String problem, String advice) {
		return new ExplorerException("Cannot read " + file + ": " + problem + ". " + advice);
	}

	static ExplorerException damaged(Path file, String problem) {
		return bad(file, problem, "The file is damaged or incomplete; copy or export it again, or move it out of the folder.");
	}

	static ExplorerException io(Path file, IOException e) {
		if (e instanceof NoSuchFileException) return bad(file, "the file does not exist", "Check the path.");
		if (e instanceof AccessDeniedException)
			return bad(file, "permission denied", "Make the file readable (chmod a+r) or run as a user who may read it.");
		String m = e.getMessage();
		return new ExplorerException("Cannot read " + file + ": " + e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")")
			+ ". Check that the file is readable and the disk is healthy.", e);
	}

	/** The problem part of an error message (for skip lists): the text after "Cannot read &lt;file&gt;: ". */
	static String reason(ExplorerException e, Path file) {
		String m = e.getMessage();
		String prefix = "Cannot read " + file + ": ";
		return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
	}
}
