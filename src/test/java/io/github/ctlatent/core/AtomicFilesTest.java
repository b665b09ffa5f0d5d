package io.github.ctlatent.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {

	@TempDir
	Path dir;

	@Test
	void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
		Path f = dir.resolve("card.json");
		AtomicFiles.writeString(f, "old");
		assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
			out.write("half".getBytes());
			throw new IllegalStateException("disk full");
		}));
		assertEquals("old", Files.readString(f));
		try (var s = Files.list(dir)) {
			assertEquals(1, s.count());
		}
	}

	@Test
	void replaceFolderViaSwapsAWholeFolderAndWriteViaNeverReplacesOne() throws IOException {
		Path target = dir.resolve("out.n5");
		AtomicFiles.replaceFolderVia(target, tmp -> {
			Files.createDirectories(tmp.resolve("a"));
			Files.writeString(tmp.resolve("a/b"), "1");
		});
		AtomicFiles.replaceFolderVia(target, tmp -> {
			Files.createDirectories(tmp);
			Files.writeString(tmp.resolve("c"), "2");
		});
		assertFalse(Files.exists(target.resolve("a")));
		assertEquals("2", Files.readString(target.resolve("c")));
		assertThrows(ExplorerException.class, () -> AtomicFiles.writeString(target, "a file over a folder"));
		assertEquals("2", Files.readString(target.resolve("c")));
		try (var s = Files.list(dir)) {
			assertEquals(1, s.count(), "no aside or temporary copy is left");
		}
	}

	@Test
	void ioErrorsNameTheFile() {
		Path blocked = dir.resolve("file");
		AtomicFiles.writeString(blocked, "x");
		ExplorerException e = assertThrows(ExplorerException.class, () -> AtomicFiles.writeString(blocked.resolve("child.txt"), "y"));
		assertTrue(e.getMessage().contains(blocked.resolve("child.txt").toString()), e.getMessage());
	}

	@Test
	void aFullDiskIsNamedAlsoWhenAnEncoderWrapsTheError() {
		// what the JDK's PNG encoder throws on a full tmpfs: its own message, the disk's as the cause
		IOException png = new javax.imageio.IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
		assertEquals("The disk is full; free space or choose another disk.", AtomicFiles.advice(png, dir));
	}

	@Test
	void corruptJsonIsOneClearError() throws IOException {
		Path f = dir.resolve("model.json");
		Files.writeString(f, "{ \"a\": [1, 2");
		ExplorerException e = assertThrows(ExplorerException.class, () -> Json.read(f, java.util.Map.class));
		assertTrue(e.getMessage().startsWith("Corrupt JSON in " + f), e.getMessage());
	}
}
