package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever the damage, a reader either reads the file or throws ExplorerException: never an
 * ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemory or other raw exception.
 */
class RobustnessTest {

	@TempDir
	Path tmp;

	private void readsOrExplains(Path f, String what) {
		try {
			VolumeReaders.read(f);
		} catch (ExplorerException expected) {
			if (!expected.getMessage().contains(f.getFileName().toString()))
				fail(what + ": the message does not name the file: " + expected.getMessage());
		} catch (Throwable t) {
			fail(what + ": " + t, t);
		}
	}

	private static List<byte[]> originals() {
		return List.of(Fixtures.bytes("MR_small.dcm"), Fixtures.bytes("MR_small_RLE.dcm"), Fixtures.bytes("MR_small_implicit.dcm"),
			Fixtures.bytes("MR_small_bigendian.dcm"), Fixtures.bytes("deflated.dcm"),
			Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {8, 8, 4}, new float[] {1, 1, 1}, 1, 0, 352, Fixtures.ramp(8, 8, 4)));
	}

	@Test
	void everyCutPointIsReadOrExplained() {
		int k = 0;
		for (byte[] original : originals()) {
			String ext = k == 5 ? ".nii" : ".dcm";
			for (int cut = 0; cut < original.length; cut += 53)
				readsOrExplains(Fixtures.write(tmp.resolve("cut" + k + "_" + cut + ext), Arrays.copyOf(original, cut)), "file " + k + " cut at " + cut);
			k++;
		}
	}

	@Test
	void randomByteDamageIsReadOrExplained() {
		Random random = new Random(42);
		int k = 0;
		for (byte[] original : originals()) {
			String ext = k == 5 ? ".nii" : ".dcm";
			// damage concentrated where the structure is: the first 1.5 kB (headers, RLE/offset tables)
			for (int trial = 0; trial < 120; trial++) {
				byte[] b = original.clone();
				for (int i = 0; i < 3; i++) b[random.nextInt(Math.min(b.length, 1500))] = (byte) random.nextInt(256);
				readsOrExplains(Fixtures.write(tmp.resolve("damaged" + k + "_" + trial + ext), b), "file " + k + " trial " + trial);
			}
			k++;
		}
	}
}
