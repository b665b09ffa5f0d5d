package io.github.ctlatent.data.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test material: the DICOM fixtures of {@code src/test/resources/fixtures/dicom} (origin and licence in its
 * README), byte-level edits of explicit-VR little-endian DICOM files, and an
 * independent tiny NIfTI-1 writer (written from the NIfTI-1 header layout, not from the reader).
 */
final class Fixtures {

	/** The fixture folder as the build copied it to the test classpath (a plain folder: series tests list it). */
	static final Path DICOM = resourceFolder("/fixtures/dicom/README.md");

	private static Path resourceFolder(String marker) {
		URL url = Fixtures.class.getResource(marker);
		if (url == null) throw new IllegalStateException("test resource " + marker + " is not on the classpath");
		try {
			return Path.of(url.toURI()).getParent();
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	private Fixtures() {}

	static Path dicom(String name) {
		Path p = DICOM.resolve(name);
		assertTrue(Files.isRegularFile(p), "fixture missing: " + p.toAbsolutePath());
		return p;
	}

	static byte[] bytes(String name) {
		try {
			return Files.readAllBytes(dicom(name));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static Path write(Path file, byte[] content) {
		try {
			Files.createDirectories(file.getParent());
			return Files.write(file, content);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	// --- explicit VR little endian element edits ----------------------------------------------------------------

	/** Offset of the element (group, elem) with the given VR, searched as its byte pattern. */
	static int find(byte[] b, int group, int elem, String vr) {
		byte[] pat = {(byte) group, (byte) (group >> 8), (byte) elem, (byte) (elem >> 8), (byte) vr.charAt(0), (byte) vr.charAt(1)};
		outer:
		for (int i = 0; i + pat.length <= b.length; i++) {
			for (int k = 0; k < pat.length; k++)
				if (b[i + k] != pat[k]) continue outer;
			return i;
		}
		throw new AssertionError("element " + Integer.toHexString(group) + "," + Integer.toHexString(elem) + " not found");
	}

	/** Sets a US value in place. */
	static byte[] setUS(byte[] b, int group, int elem, int value) {
		int at = find(b, group, elem, "US") + 8;
		b[at] = (byte) value;
		b[at + 1] = (byte) (value >> 8);
		return b;
	}

	/** A copy with a short-VR element's value replaced (length field updated, padded to even length). */
	static byte[] replace(byte[] b, int group, int elem, String vr, String value) {
		int at = find(b, group, elem, vr);
		int oldLen = (b[at + 6] & 0xFF) | (b[at + 7] & 0xFF) << 8;
		byte[] v = value.getBytes(StandardCharsets.US_ASCII);
		if (v.length % 2 == 1) {
			v = java.util.Arrays.copyOf(v, v.length + 1);
			v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(b, 0, at + 6);
		out.write(v.length);
		out.write(v.length >> 8);
		out.writeBytes(v);
		out.write(b, at + 8 + oldLen, b.length - at - 8 - oldLen);
		return out.toByteArray();
	}

	/** The CT fixture moved to z = 5 mm × i, with its own SOPInstanceUID: slice i of a made-up series. */
	static byte[] movedSlice(byte[] ct, int i) {
		byte[] b = replace(ct, 0x0020, 0x0032, "DS", String.format(Locale.ROOT, "-158.135803\\-179.035797\\%.1f", -75.7 + 5 * i));
		return replace(b, 0x0008, 0x0018, "UI", "2.25.4711" + (1000 + i));
	}

	/** Offset where the data set starts: after the file meta group (whose length (0002,0000) says). */
	static int metaEnd(byte[] b) {
		int groupLength = ByteBuffer.wrap(b, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
		return 144 + groupLength;
	}

	// --- tiny NIfTI-1 writer -----------------------------------------------------------------------------------

	/**
	 * A single-file NIfTI-1 image: dims (x, y, z[, t]), values written in {@code datatype} (2 uint8, 4 int16,
	 * 8 int32, 16 float32, 64 float64), x fastest.
	 */
	static byte[] nifti(ByteOrder order, int datatype, int[] dims, float[] pixdim, float slope, float inter, int voxOffset, double[] values) {
		int bytes = switch (datatype) {
			case 2 -> 1;
			case 4 -> 2;
			case 8, 16 -> 4;
			case 64 -> 8;
			default -> throw new IllegalArgumentException("datatype " + datatype);
		};
		ByteBuffer b = ByteBuffer.allocate(voxOffset + values.length * bytes).order(order);
		b.putInt(0, 348);
		b.putShort(40, (short) dims.length);
		for (int i = 0; i < dims.length; i++) b.putShort(42 + 2 * i, (short) dims[i]);
		for (int i = dims.length; i < 7; i++) b.putShort(42 + 2 * i, (short) 1);
		b.putShort(70, (short) datatype);
		b.putShort(72, (short) (8 * bytes));
		b.putFloat(76, 1f); // qfac
		for (int i = 0; i < pixdim.length; i++) b.putFloat(80 + 4 * i, pixdim[i]);
		b.putFloat(108, voxOffset);
		b.putFloat(112, slope);
		b.putFloat(116, inter);
		b.put(123, (byte) 2); // mm
		b.putShort(252, (short) 1); // qform: scanner
		b.putShort(254, (short) 2); // sform: aligned
		b.putFloat(280, pixdim[0]);
		b.putFloat(300, pixdim[1]);
		b.putFloat(320, pixdim[2]);
		b.putFloat(292, -10f); // srow_x offset
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
		for (int i = 0; i < values.length; i++) {
			int at = voxOffset + i * bytes;
			switch (datatype) {
				case 2 -> b.put(at, (byte) values[i]);
				case 4 -> b.putShort(at, (short) values[i]);
				case 8 -> b.putInt(at, (int) values[i]);
				case 16 -> b.putFloat(at, (float) values[i]);
				default -> b.putDouble(at, values[i]);
			}
		}
		return b.array();
	}

	static byte[] gzip(byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
			gz.write(content);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out.toByteArray();
	}

	/** A small int16 volume 5×4×3 with distinct values (x + 10 y + 100 z − 150). */
	static double[] ramp(int w, int h, int d) {
		double[] v = new double[w * h * d];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) v[(z * h + y) * w + x] = x + 10 * y + 100 * z - 150;
		return v;
	}
}
