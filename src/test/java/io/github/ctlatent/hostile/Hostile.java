package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.testing.Harness;
import org.scijava.command.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** What the hostile-input tests share: tiny real inputs on disk, and the checks every refusal must pass. */
final class Hostile {

	/** The TorchScript generator fixture (8-d latent, 32² images). */
	static final Path PT = Path.of("src/test/resources/fixtures/torchscript/generator.pt");

	private Hostile() {}

	/** Runs a command that must fail; returns its one message, checked to be a clear one (no stack trace, no "please report"). */
	static String refused(Class<? extends Command> command, Object... keyValues) {
		ExplorerException e = assertThrows(ExplorerException.class, () -> Harness.run(command, keyValues));
		String m = e.getMessage();
		assertFalse(m.contains("Unexpected error") || m.contains("Please report") || m.contains("Exception:") || m.contains("\tat "), m);
		return m;
	}

	/** A small NIfTI phantom (count volumes of 32×32×6) in {@code folder}. */
	static Path phantom(Path folder, int count, String format) {
		Harness.run(GeneratePhantomCommand.class, "output", folder, "count", count, "size", 32, "slices", 6, "format", format, "noise", 0);
		return folder;
	}

	/** A 16² slice set of three phantom volumes. */
	static Path slices(Path dir) {
		Path in = phantom(dir.resolve("phantom-in"), 3, "nifti");
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("slices"), "size", 16, "test_fraction", 0.34);
		return dir.resolve("slices");
	}

	/** Every file below {@code root} with its size and modification time: proof that nothing was touched. */
	static Map<String, String> snapshot(Path root) throws IOException {
		Map<String, String> m = new TreeMap<>();
		try (var s = Files.walk(root)) {
			for (Path p : (Iterable<Path>) s::iterator)
				m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
		}
		return m;
	}

	/** Hidden temporary leftovers ({@code .name.tmp-…}, {@code .name.old-…}) anywhere below {@code root}. */
	static long leftovers(Path root) throws IOException {
		try (var s = Files.walk(root)) {
			return s.filter(p -> p.getFileName().toString().matches("\\..+\\.(tmp|old)-\\d+-\\d+.*")).count();
		}
	}

	static void copyTree(Path from, Path to) throws IOException {
		try (var s = Files.walk(from)) {
			for (Path p : (Iterable<Path>) s::iterator) {
				Path t = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(t);
				else Files.copy(p, t);
			}
		}
	}
}
