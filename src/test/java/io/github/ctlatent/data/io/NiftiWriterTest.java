package io.github.ctlatent.data.io;

import io.github.ctlatent.data.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NiftiWriterTest {

	static final int W = 24, H = 16, D = 3;

	static ByteBuffer read(Path file) throws IOException {
		byte[] b;
		if (file.toString().endsWith(".gz"))
			try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
				b = in.readAllBytes();
			}
		else b = Files.readAllBytes(file);
		return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
	}

	@Test
	void gzippedInt16WithScaling(@TempDir Path dir) throws IOException {
		Volume v = DicomWriterTest.huVolume("n");
		Path file = dir.resolve("v.nii.gz");
		NiftiWriter.write(v, file);
		ByteBuffer b = read(file);
		assertEquals(348, b.getInt(0));
		assertEquals(3, b.getShort(40));
		assertEquals(W, b.getShort(42));
		assertEquals(H, b.getShort(44));
		assertEquals(D, b.getShort(46));
		assertEquals(4, b.getShort(70), "int16");
		assertEquals(16, b.getShort(72));
		assertEquals(0.75f, b.getFloat(80));
		assertEquals(0.8f, b.getFloat(84));
		assertEquals(2.5f, b.getFloat(88));
		assertEquals(352f, b.getFloat(108));
		assertEquals(2, b.get(123), "mm");
		assertEquals(1, b.getShort(252), "qform code");
		assertEquals(-0.75f, b.getFloat(280), "srow_x[0]: RAS x points to the patient's right");
		assertEquals(2.5f, b.getFloat(280 + 32 + 8), "srow_z[2]");
		assertEquals("n+1\0", new String(b.array(), 344, 4, StandardCharsets.US_ASCII));
		assertEquals(352 + W * H * D * 2, b.capacity());
		float slope = b.getFloat(112), inter = b.getFloat(116);
		assertEquals(1f, slope);
		assertEquals(-1024f, inter);
		for (int k = 0; k < D; k++)
			for (int i = 0; i < W * H; i += 37)
				assertEquals(Math.round(v.plane(k)[i]), b.getShort(352 + 2 * (k * W * H + i)) * slope + inter, 1e-9);
	}

	@Test
	void plainFloat32KeepsValuesExactly(@TempDir Path dir) throws IOException {
		Volume v = DicomWriterTest.huVolume("f");
		Path file = dir.resolve("v.nii");
		NiftiWriter.write(v, file, true);
		ByteBuffer b = read(file);
		assertEquals(348, b.getInt(0), "not compressed");
		assertEquals(16, b.getShort(70), "float32");
		assertEquals(32, b.getShort(72));
		assertEquals(352 + W * H * D * 4, b.capacity());
		for (int k = 0; k < D; k++)
			for (int i = 0; i < W * H; i += 29) assertEquals(v.plane(k)[i], b.getFloat(352 + 4 * (k * W * H + i)));
	}
}
