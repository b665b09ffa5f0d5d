package io.github.ctlatent.data.io;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Stored values → rescaled floats for every pixel size and signedness, values worked out by hand from PS3.5 §8. */
class DicomPixelsTest {

	private static float[] convert(int bits, int stored, boolean signed, double slope, double intercept, ByteBuffer frame, int n) {
		DicomHeader h = new DicomHeader(Path.of("test.dcm"));
		h.values.put(DicomHeader.BITS_ALLOCATED, bits);
		h.values.put(DicomHeader.BITS_STORED, stored);
		h.values.put(DicomHeader.PIXEL_REPRESENTATION, signed ? 1 : 0);
		h.values.put(DicomHeader.RESCALE_SLOPE, String.valueOf(slope));
		h.values.put(DicomHeader.RESCALE_INTERCEPT, String.valueOf(intercept));
		float[] out = new float[n];
		DicomPixels.convert(frame.order(ByteOrder.LITTLE_ENDIAN), out, h);
		return out;
	}

	@Test
	void eightBitValuesAreSignedOrNot() {
		byte[] b = {0x00, 0x7F, (byte) 0x80, (byte) 0xFF};
		assertArrayEquals(new float[] {0, 127, -128, -1}, convert(8, 8, true, 1, 0, ByteBuffer.wrap(b), 4));
		assertArrayEquals(new float[] {0, 127, 128, 255}, convert(8, 8, false, 1, 0, ByteBuffer.wrap(b), 4));
		// the frame starts where the buffer's position is
		ByteBuffer shifted = ByteBuffer.wrap(new byte[] {9, 0x00, 0x7F, (byte) 0x80, (byte) 0xFF});
		shifted.position(1);
		assertArrayEquals(new float[] {0, 127, 128, 255}, convert(8, 8, false, 1, 0, shifted, 4));
	}

	@Test
	void sixteenBitValuesUseOnlyTheStoredBitsThenRescale() {
		ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		b.putShort((short) 0x0FFF).putShort((short) 0x0800).putShort((short) 0x07FF).putShort((short) 0xF001).flip();
		// 12 stored bits: the top four are ignored; signed values are 12-bit two's complement
		assertArrayEquals(new float[] {-1, -2048, 2047, 1}, convert(16, 12, true, 1, 0, b.duplicate(), 4));
		assertArrayEquals(new float[] {4095, 2048, 2047, 1}, convert(16, 12, false, 1, 0, b.duplicate(), 4));
		assertArrayEquals(new float[] {-1026, -5120, 3070, -1022}, convert(16, 12, true, 2, -1024, b.duplicate(), 4));
	}

	@Test
	void thirtyTwoBitValuesReachTheFullUnsignedRange() {
		ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(-5).putInt(0xFFFFFFFF).flip();
		assertArrayEquals(new float[] {-5, -1}, convert(32, 32, true, 1, 0, b.duplicate(), 2));
		assertArrayEquals(new float[] {4294967291f, 4294967295f}, convert(32, 32, false, 1, 0, b.duplicate(), 2));
	}
}
