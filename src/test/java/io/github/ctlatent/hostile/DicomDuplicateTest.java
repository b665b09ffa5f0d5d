package io.github.ctlatent.hostile;

import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 12, defect 7a: two different slices at the same ImagePositionPatient in one DICOM series. */
class DicomDuplicateTest {

	@TempDir
	Path dir;

	/** Offset of the value of the explicit-VR little-endian element (0020,0032) "DS" in a file written by this tool. */
	private static int positionValue(byte[] b) {
		for (int i = 0; i + 8 < b.length; i++)
			if (b[i] == 0x20 && b[i + 1] == 0 && b[i + 2] == 0x32 && b[i + 3] == 0 && b[i + 4] == 'D' && b[i + 5] == 'S') return i + 8;
		throw new AssertionError("no ImagePositionPatient");
	}

	private static int length(byte[] b, int value) {
		return (b[value - 2] & 0xff) | (b[value - 1] & 0xff) << 8;
	}

	@Test
	void aRepeatedSlicePositionNamesTheSeriesAndSkipBadLeavesTheSeriesOut() throws Exception {
		Path in = phantom(dir.resolve("in"), 2, "dicom");
		List<Path> files;
		try (var s = Files.list(in.resolve("phantom_000"))) {
			files = s.sorted().toList();
		}
		// give the shorter-valued of two slices the other's position (padded with spaces, as DS allows)
		byte[] a = Files.readAllBytes(files.get(1)), b = Files.readAllBytes(files.get(2));
		int va = positionValue(a), vb = positionValue(b);
		boolean aShorter = length(a, va) <= length(b, vb);
		byte[] target = aShorter ? b : a, source = aShorter ? a : b;
		int vt = aShorter ? vb : va, vs = aShorter ? va : vb;
		byte[] value = new byte[length(target, vt)];
		java.util.Arrays.fill(value, (byte) ' ');
		System.arraycopy(source, vs, value, 0, length(source, vs));
		System.arraycopy(value, 0, target, vt, value.length);
		Files.write(aShorter ? files.get(2) : files.get(1), target);
		assertEquals(new String(source, vs, length(source, vs), StandardCharsets.US_ASCII).trim(),
			new String(target, vt, value.length, StandardCharsets.US_ASCII).trim());

		String m = refused(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("set"), "size", 16);
		assertTrue(m.contains("phantom_000") && m.contains("same ImagePositionPatient") && m.contains("skip_bad=true"), m);
		assertFalse(Files.exists(dir.resolve("set")));

		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("set"), "size", 16, "skip_bad", true);
		DatasetCard card = DatasetCard.read(dir.resolve("set"));
		assertEquals(1, card.volumes.size());
		assertTrue(card.skipped.stream().anyMatch(s -> s.reason().contains("same ImagePositionPatient")), card.skipped.toString());
	}
}
