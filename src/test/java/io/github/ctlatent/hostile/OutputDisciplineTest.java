package io.github.ctlatent.hostile;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 23, item 1: one output discipline. The core rules are tested on real links here; a source scan fails when
 * code outside {@code core} writes, moves or deletes files with raw calls, or swaps a folder without the last-moment
 * "is it still ours" test, unless it is listed below with why that is safe. The generated hostile suite
 * ({@link GeneratedHostileTest}) runs every command against hostile outputs.
 */
class OutputDisciplineTest {

	@TempDir
	Path dir;

	@Test
	void replacingAFolderDeletesTheLinksInsideItNeverTheirTargets() throws Exception {
		Path precious = Files.createDirectories(dir.resolve("precious"));
		Files.writeString(precious.resolve("scan.nii"), "data");
		Path out = Files.createDirectories(dir.resolve("out"));
		Files.writeString(out.resolve("dataset.json"), "{}");
		Files.createSymbolicLink(out.resolve("source"), precious);
		AtomicFiles.replaceFolderVia(out, Outputs.replaceable("dataset.json"), tmp -> Files.createDirectories(tmp));
		assertEquals("data", Files.readString(precious.resolve("scan.nii")));
		// a decoy leftover that is a link: removed as a link, its target untouched, never moved into place
		Files.createSymbolicLink(dir.resolve(".out.tmp-999999-1"), precious);
		AtomicFiles.cleanLeftovers(dir);
		assertFalse(Files.exists(dir.resolve(".out.tmp-999999-1"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
		assertEquals("data", Files.readString(precious.resolve("scan.nii")));
	}

	@Test
	void anOutputThatIsALinkIsRefusedAndAliasesShareOneLock() throws Exception {
		Path real = Files.createDirectories(dir.resolve("real"));
		Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
		ExplorerException e = assertThrows(ExplorerException.class, () -> Outputs.requireFreeFolder("output", alias, true, "x", "x.json"));
		assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
		Path loop = dir.resolve("loop");
		Files.createSymbolicLink(loop, loop);
		assertTrue(assertThrows(ExplorerException.class, () -> Outputs.resolve("output", loop)).getMessage().contains("symbolic link"));
		assertTrue(assertThrows(ExplorerException.class, () -> Outputs.resolve("output", Path.of("/"))).getMessage().contains("root"));
		// a path through a linked parent locks the real path: a second writer through the other spelling is refused
		Path linkedParent = Files.createSymbolicLink(dir.resolve("parent-alias"), dir);
		try (OutputLock l = OutputLock.acquire(dir.resolve("run"), "test")) {
			assertThrows(ExplorerException.class, () -> OutputLock.acquire(linkedParent.resolve("run"), "test"));
		}
		assertTrue(Files.isDirectory(real));
	}

	@Test
	void aForeignFolderThatAppearsWhileACommandRunsIsNotSwappedOut() throws Exception {
		Path out = dir.resolve("report");
		ExplorerException e = assertThrows(ExplorerException.class, () -> AtomicFiles.replaceFolderVia(out, Outputs.replaceable("scores.csv"), tmp -> {
			Files.createDirectories(tmp);
			Files.createDirectories(out); // the user makes the folder meanwhile and puts a file in it
			Files.writeString(out.resolve("mine.txt"), "mine");
		}));
		assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
		assertEquals("mine", Files.readString(out.resolve("mine.txt")));
		assertEquals(0, Hostile.leftovers(dir));
	}

	@Test
	void theDemoRefusesABadOptionBeforeTouchingItsOutputFolder() throws Exception {
		Path gan = Files.createDirectories(dir.resolve("demo/gan"));
		Files.writeString(gan.resolve("model.json"), "{}");
		io.github.ctlatent.cli.Cli.Outcome o = io.github.ctlatent.cli.Cli.run("demo", "out=" + dir.resolve("demo"), "bogus=1");
		assertEquals(2, o.exit(), o.err());
		assertTrue(o.err().contains("Unknown demo option 'bogus'"), o.err());
		assertTrue(Files.isRegularFile(gan.resolve("model.json")), "the demo deleted its old output before refusing the option");
	}

	/** Raw file writes outside core, each with why it is safe (it writes inside a folder the core handed it). */
	private static final Map<String, String> RAW_WRITES = Map.ofEntries(
		Map.entry("cli/HostileWorkspace.java", "builds the hostile suite's own scratch inputs"),
		Map.entry("data/SliceSetWriter.java", "writes inside its temporary folder, swapped in by AtomicFiles"),
		Map.entry("engine/ScriptedOp.java", "a compiled op in the JVM's temporary folder"),
		Map.entry("evaluate/EvaluationReport.java", "writes inside the temporary folder of replaceFolderVia"),
		Map.entry("evaluate/LabelFreeReport.java", "writes inside the temporary folder of replaceFolderVia"),
		Map.entry("train/BestCheckpoint.java", "writes inside the temporary folder of replaceFolderVia and the temporary file of writeVia"),
		Map.entry("train/ModelState.java", "writes inside the checkpoint's temporary folder"),
		Map.entry("traverse/ProjectionReport.java", "writes inside the temporary folder of replaceFolderVia"),
		Map.entry("view/N5Writer.java", "writes inside the temporary folder of replaceFolderVia"),
		Map.entry("picture/Pictures.java", "writes the temporary file AtomicFiles.writeVia hands it"));

	/** Folder swaps without the "still ours" test: only of folders inside an output this command already holds. */
	private static final Map<String, String> PLAIN_SWAPS = Map.of(
		"train/Checkpoints.java", "the checkpoint folder inside the locked run folder",
		"train/BestCheckpoint.java", "the best/ folder inside the locked run folder",
		"data/phantom/PhantomGenerator.java", "a DICOM series inside the phantom's temporary folder",
		"view/Exports.java", "the N5 folder inside the export's temporary folder");

	@Test
	void noCodeOutsideCoreWritesWithoutTheDiscipline() throws Exception {
		Pattern raw = Pattern.compile("\\bFiles\\.(write|writeString|newOutputStream|newBufferedWriter|move|delete|deleteIfExists|copy)\\(|FileOutputStream|RandomAccessFile\\(|ImageIO\\.write|IJ\\.save");
		Pattern plainSwap = Pattern.compile("replaceFolderVia\\([^,()]+(\\([^()]*\\))?, *\\w+ *->");
		Path root = Path.of("src/main/java/io/github/ctlatent");
		List<String> problems = new ArrayList<>();
		try (var s = Files.walk(root)) {
			for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
				String rel = root.relativize(p).toString().replace('\\', '/');
				if (rel.startsWith("core/") || rel.startsWith("bench/")) continue; // core is the discipline; benchmarks write temp folders
				String src = Files.readString(p);
				if (raw.matcher(src).find() && !RAW_WRITES.containsKey(rel))
					problems.add(rel + " writes with raw file calls: use core.AtomicFiles/Outputs, or list it in RAW_WRITES with why it is safe");
				if (plainSwap.matcher(src).find() && !PLAIN_SWAPS.containsKey(rel))
					problems.add(rel + " swaps a folder without Outputs.replaceable(cards)");
			}
		}
		assertEquals(List.of(), problems, String.join("\n", problems));
	}
}
