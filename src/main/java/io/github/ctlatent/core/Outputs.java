package io.github.ctlatent.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The rules every command applies to the path it writes, before it writes anything:
 * <ul>
 * <li>an output equal to, inside or above one of the command's inputs is refused (writing it would destroy the input);</li>
 * <li>an existing output is refused unless {@code overwrite} is given, and even then only an output this project
 * wrote itself, recognised by its card ({@code dataset.json}, {@code model.json}, {@code export.json} …), is
 * replaced. An empty folder counts as free (Fiji's folder chooser makes users pick existing folders).</li>
 * </ul>
 */
public final class Outputs {

	private Outputs() {}

	/**
	 * The real path an output is written at, checked before anything touches the disk. Refused: no path, the root of
	 * the file system, an output that is itself a symbolic link (replacing or emptying it would reach the folder it
	 * points to; a dangling link or a link loop is refused the same way), and a path through a broken link. Links in
	 * the folders above the output are resolved, so a lock and the overlap checks see the one real location whichever
	 * alias was given.
	 */
	public static Path resolve(String key, Path output) {
		if (output == null || output.toString().isBlank()) throw new ExplorerException("Give " + key + "=<path> for the output.");
		Path abs = output.toAbsolutePath().normalize();
		if (abs.getParent() == null || abs.getFileName() == null)
			throw new ExplorerException(key + "=" + output + " is the root of the file system; choose a new folder for the output.");
		if (Files.isSymbolicLink(abs)) {
			String to;
			try {
				to = String.valueOf(Files.readSymbolicLink(abs));
			} catch (IOException e) {
				to = "?";
			}
			throw new ExplorerException(key + "=" + output + " is a symbolic link (to " + to + "). Outputs are never written through a link, "
				+ "because replacing it could empty the folder it points to; give the real path.");
		}
		for (Path p = abs.getParent(); p != null; p = p.getParent())
			if (Files.isSymbolicLink(p) && !Files.exists(p))
				throw new ExplorerException(key + "=" + output + " passes through " + p + ", a symbolic link that leads nowhere (dangling or a loop). "
					+ "Give a path through real folders.");
		return canonical(abs);
	}

	/** Refuses an output that is, contains, or lies inside one of the inputs (key → path; null paths are skipped). */
	public static void requireApart(String outputKey, Path output, Map<String, Path> inputs) {
		Path out = resolve(outputKey, output);
		for (Map.Entry<String, Path> e : inputs.entrySet()) {
			if (e.getValue() == null) continue;
			Path in = canonical(e.getValue());
			String how = out.equals(in) ? "is the same path as" : in.startsWith(out) ? "contains" : out.startsWith(in) ? "lies inside" : null;
			if (how != null)
				throw new ExplorerException(outputKey + "=" + output + " " + how + " the input " + e.getKey() + "=" + e.getValue()
					+ "; writing it would destroy the input. Choose an output outside the input.");
		}
	}

	/**
	 * Checks that the folder {@code output} may be written: missing or empty, or (with {@code overwrite}) a folder
	 * holding one of {@code cards}, which marks it as this project's {@code what}.
	 */
	public static void requireFreeFolder(String key, Path output, boolean overwrite, String what, String... cards) {
		resolve(key, output);
		if (!Files.exists(output)) return;
		if (!Files.isDirectory(output))
			throw new ExplorerException(key + "=" + output + " is a file, not a folder. Choose a folder path.");
		if (isEmpty(output)) return;
		boolean ours = isOurs(output, cards);
		if (!overwrite)
			throw new ExplorerException(key + "=" + output + " already exists and is not empty. Choose a new folder"
				+ (ours ? ", or set overwrite=true to replace this " + what + "." : " (it is not a " + what + " written by this tool, so it is never replaced)."));
		if (!ours)
			throw new ExplorerException(key + "=" + output + " is not a " + what + " written by this tool (it has no " + String.join(" or ", cards)
				+ "), so overwrite=true does not replace it. Choose a new or empty folder.");
	}

	/**
	 * Checks that the file {@code output} may be written: missing, or (with {@code overwrite}) a file that starts
	 * with {@code signature} (e.g. PNG's magic bytes). A folder is never replaced by a file.
	 */
	public static void requireFreeFile(String key, Path output, boolean overwrite, String what, byte[] signature) {
		resolve(key, output);
		if (Files.isDirectory(output))
			throw new ExplorerException(key + "=" + output + " is a folder. Give a file name such as " + output.resolve("samples.png") + ".");
		if (!Files.exists(output)) return;
		if (!overwrite) throw new ExplorerException(key + "=" + output + " already exists. Choose another name, or set overwrite=true to replace it.");
		if (!startsWith(output, signature))
			throw new ExplorerException(key + "=" + output + " is not a " + what + " file, so overwrite=true does not replace it. Choose another name.");
	}

	/** True when {@code folder} holds one of {@code cards} as a real entry (a card that is a link does not count). */
	public static boolean isOurs(Path folder, String... cards) {
		return Arrays.stream(cards).map(folder::resolve).anyMatch(c -> Files.exists(c, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(c));
	}

	/**
	 * The test a folder swap applies at the last moment ({@link AtomicFiles#replaceFolderVia(Path, java.util.function.Predicate,
	 * AtomicFiles.PathWriter)}): the folder may be replaced when it is missing, empty or carries one of {@code cards}.
	 * A user folder created at the output while the command ran is therefore never swapped out.
	 */
	public static java.util.function.Predicate<Path> replaceable(String... cards) {
		return p -> !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
			|| Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && (isEmpty(p) || isOurs(p, cards));
	}

	/** The first bytes of a PNG file. */
	public static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

	private static boolean startsWith(Path file, byte[] signature) {
		try (InputStream in = Files.newInputStream(file)) {
			return Arrays.equals(in.readNBytes(signature.length), signature);
		} catch (IOException e) {
			return false;
		}
	}

	static boolean isEmpty(Path folder) {
		try (var s = Files.list(folder)) {
			return s.findAny().isEmpty();
		} catch (IOException e) {
			return false;
		}
	}

	/** The real path of the longest existing prefix plus the rest, so links and ".." cannot hide an overlap. */
	static Path canonical(Path p) {
		Path abs = p.toAbsolutePath().normalize();
		Path existing = abs;
		while (existing != null && !Files.exists(existing)) existing = existing.getParent();
		if (existing == null) return abs;
		try {
			return existing.toRealPath().resolve(existing.relativize(abs));
		} catch (IOException e) {
			return abs;
		}
	}
}
