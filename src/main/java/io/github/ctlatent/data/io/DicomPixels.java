package io.github.ctlatent.data.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns a DICOM file's pixel data into float planes: stored value (BitsStored bits, signed when
 * PixelRepresentation is 1) × RescaleSlope + RescaleIntercept. Native (uncompressed) and RLE lossless data;
 * everything else is refused with the name of the syntax and how to convert it.
 * <p>
 * RLE is decoded here because ImageJ 1 cannot (see {@link DicomParser}); it is PackBits per byte plane, most
 * significant plane first (DICOM PS3.5 annex G).
 */
final class DicomPixels {

	private DicomPixels() {}

	/**
	 * Everything that can be checked without decoding: transfer syntax, pixel format, and (native data) that the
	 * pixel data hold rows × columns × frames values. Called before any pixel buffer is allocated.
	 */
	static void check(DicomHeader h) {
		if (!h.hasPixelData)
			throw ReadErrors.bad(h.file, "the DICOM file holds no image (no pixel data; a report, DICOMDIR or presentation state?)",
				"Move non-image DICOM files out of the folder.");
		TransferSyntax ts = TransferSyntax.of(h.transferSyntaxUid);
		if (ts == null)
			throw ReadErrors.bad(h.file, "unsupported transfer syntax " + h.transferSyntaxUid + " (" + TransferSyntax.describe(h.transferSyntaxUid) + ")",
				"Convert it to an uncompressed syntax, e.g. with dcmdjpeg or gdcmconv --raw.");
		int rows = h.rows(), cols = h.columns(), bits = h.bitsAllocated(), stored = h.bitsStored();
		if (rows <= 0 || cols <= 0) throw ReadErrors.damaged(h.file, "the image size is missing or zero (rows " + rows + ", columns " + cols + ")");
		if (h.integer(DicomHeader.NUMBER_OF_FRAMES, 1) < 1)
			throw ReadErrors.damaged(h.file, "NumberOfFrames is " + h.text(DicomHeader.NUMBER_OF_FRAMES));
		if (h.samplesPerPixel() != 1)
			throw ReadErrors.bad(h.file, "a colour image (" + h.samplesPerPixel() + " samples per pixel, " + h.text(DicomHeader.PHOTOMETRIC) + ")",
				"Only grayscale (CT/MR) images can be used; convert it to grayscale or leave it out.");
		if (bits != 8 && bits != 16 && bits != 32)
			throw ReadErrors.bad(h.file, "unsupported BitsAllocated " + bits + " (8, 16 or 32 are supported)",
				"Convert the file to 16-bit pixels, e.g. with gdcmconv --raw.");
		if (stored < 1 || stored > bits)
			throw ReadErrors.damaged(h.file, "BitsStored " + stored + " does not fit BitsAllocated " + bits);
		long needed = (long) rows * cols * h.frames() * (bits / 8);
		if (ts != TransferSyntax.RLE && !h.encapsulated && h.pixelLength < needed)
			throw ReadErrors.damaged(h.file, "the pixel data hold " + h.pixelLength + " bytes, but " + rows + " rows × " + cols
				+ " columns × " + h.frames() + " frames × " + bits / 8 + " bytes need " + needed);
		if (ts != TransferSyntax.RLE && h.encapsulated)
			throw ReadErrors.damaged(h.file, "encapsulated pixel data in the uncompressed syntax " + ts.title);
		if (ts == TransferSyntax.RLE && !h.encapsulated)
			throw ReadErrors.damaged(h.file, "RLE transfer syntax, but the pixel data are not encapsulated");
		long floats = (long) rows * cols * h.frames();
		Runtime rt = Runtime.getRuntime();
		long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		if (floats * 4 > free || (long) rows * cols > Integer.MAX_VALUE - 8)
			throw ReadErrors.bad(h.file, "the image needs " + (floats * 4 >> 20) + " MB (" + cols + "×" + rows + "×" + h.frames()
				+ "), more than the " + (free >> 20) + " MB of memory left", "Give Java more memory (Edit › Options › Memory) or read a smaller image.");
	}

	/** The rescaled frames of a header read with its data ({@link DicomParser#read}). */
	static float[][] decode(DicomHeader h) {
		check(h);
		int n = h.rows() * h.columns(), frames = h.frames(), bytes = h.bitsAllocated() / 8;
		float[][] planes = new float[frames][n];
		if (!h.encapsulated) {
			ByteBuffer all = ByteBuffer.wrap(h.data);
			// 8-bit values in an OW element of a big-endian file are byte-swapped in pairs (PS3.5 §8.1.1)
			boolean swappedBytes = bytes == 1 && h.order == ByteOrder.BIG_ENDIAN && h.pixelVr.equals("OW");
			for (int f = 0; f < frames; f++) {
				ByteBuffer frame = all.slice((int) (h.pixelOffset + (long) f * n * bytes), n * bytes).order(h.order);
				if (swappedBytes) frame = swapPairs(frame);
				convert(frame, planes[f], h);
			}
		} else {
			byte[][] encoded = rleFrames(h, frames);
			byte[] raw = new byte[n * bytes];
			for (int f = 0; f < frames; f++) {
				decodeRle(h, f, encoded[f], raw, n, bytes);
				convert(ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN), planes[f], h);
			}
		}
		return planes;
	}

	private static ByteBuffer swapPairs(ByteBuffer frame) {
		byte[] copy = new byte[frame.remaining()];
		frame.get(frame.position(), copy);
		for (int i = 0; i + 1 < copy.length; i += 2) {
			byte t = copy[i];
			copy[i] = copy[i + 1];
			copy[i + 1] = t;
		}
		return ByteBuffer.wrap(copy);
	}

	/**
	 * Stored values of one frame → rescaled floats: each value sign-extended from BitsStored (signed) or masked to
	 * it (unsigned), then × slope + intercept. One tight loop per signedness, no per-pixel dispatch.
	 */
	static void convert(ByteBuffer frame, float[] out, DicomHeader h) {
		int[] s = storedValues(frame, h.bitsAllocated(), out.length);
		int stored = h.bitsStored();
		double slope = h.slope(), intercept = h.intercept();
		if (h.signed()) {
			int shift = 32 - stored;
			for (int i = 0; i < s.length; i++) out[i] = (float) (((s[i] << shift) >> shift) * slope + intercept);
		} else {
			long mask = stored == 32 ? 0xFFFFFFFFL : (1L << stored) - 1;
			for (int i = 0; i < s.length; i++) out[i] = (float) ((s[i] & mask) * slope + intercept);
		}
	}

	/** The frame's {@code n} values of {@code bits} (8, 16 or 32) bits each, as ints; the bits above BitsStored are left to {@link #convert}. */
	private static int[] storedValues(ByteBuffer frame, int bits, int n) {
		int[] v = new int[n];
		if (bits == 32) {
			frame.asIntBuffer().get(v);
		} else if (bits == 16) {
			short[] s = new short[n];
			frame.asShortBuffer().get(s);
			for (int i = 0; i < n; i++) v[i] = s[i];
		} else {
			byte[] b = new byte[n];
			frame.get(frame.position(), b);
			for (int i = 0; i < n; i++) v[i] = b[i];
		}
		return v;
	}

	/** The encoded bytes of each frame: one fragment per frame, or fragments grouped by the offset table. */
	private static byte[][] rleFrames(DicomHeader h, int frames) {
		int nf = h.fragments.size();
		if (nf == 0) throw ReadErrors.damaged(h.file, "the RLE pixel data hold no fragment");
		byte[][] out = new byte[frames][];
		if (nf == frames) {
			for (int f = 0; f < frames; f++) out[f] = fragment(h, f);
			return out;
		}
		if (frames == 1) {
			java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
			for (int f = 0; f < nf; f++) all.writeBytes(fragment(h, f));
			out[0] = all.toByteArray();
			return out;
		}
		if (h.offsetTable.length != frames)
			throw ReadErrors.damaged(h.file, "RLE data with " + frames + " frames in " + nf + " fragments and no usable offset table");
		// offsets count from the first fragment's item tag; each fragment item has an 8-byte header
		long base = h.fragments.get(0)[0] - 8;
		for (int f = 0; f < frames; f++) {
			long start = base + h.offsetTable[f], end = f + 1 < frames ? base + h.offsetTable[f + 1] : Long.MAX_VALUE;
			java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
			for (long[] fr : h.fragments)
				if (fr[0] - 8 >= start && fr[0] - 8 < end) buf.write(h.data, (int) fr[0], (int) fr[1]);
			out[f] = buf.toByteArray();
		}
		return out;
	}

	private static byte[] fragment(DicomHeader h, int i) {
		long[] fr = h.fragments.get(i);
		return java.util.Arrays.copyOfRange(h.data, (int) fr[0], (int) (fr[0] + fr[1]));
	}

	/**
	 * One RLE frame into {@code raw} as big-endian samples: segment k is byte plane k (most significant first),
	 * written at stride {@code bytes}.
	 */
	static void decodeRle(DicomHeader h, int frame, byte[] enc, byte[] raw, int n, int bytes) {
		if (enc.length < 64) throw ReadErrors.damaged(h.file, "RLE frame " + frame + " is shorter than its 64-byte header");
		ByteBuffer hdr = ByteBuffer.wrap(enc, 0, 64).order(ByteOrder.LITTLE_ENDIAN);
		long segments = hdr.getInt(0) & 0xFFFFFFFFL;
		if (segments != bytes)
			throw ReadErrors.damaged(h.file, "RLE frame " + frame + " has " + segments + " segments, but " + h.bitsAllocated()
				+ "-bit grayscale needs " + bytes);
		for (int s = 0; s < bytes; s++) {
			long start = hdr.getInt(4 + 4 * s) & 0xFFFFFFFFL;
			long end = s + 1 < bytes ? hdr.getInt(8 + 4 * s) & 0xFFFFFFFFL : enc.length;
			if (start < 64 || end > enc.length || start > end)
				throw ReadErrors.damaged(h.file, "RLE frame " + frame + ": segment " + s + " offsets " + start + ".." + end
					+ " lie outside the " + enc.length + "-byte fragment");
			int got = packBits(enc, (int) start, (int) end, raw, s, bytes, n);
			if (got < n)
				throw ReadErrors.damaged(h.file, "RLE frame " + frame + ": segment " + s + " decodes to " + got + " bytes, " + n + " expected");
		}
	}

	/** PackBits: returns the number of bytes written (stops at {@code n}; extra output is encoder padding). */
	private static int packBits(byte[] in, int pos, int end, byte[] out, int first, int stride, int n) {
		int o = 0;
		while (pos < end && o < n) {
			int c = in[pos++];
			if (c >= 0) {
				int count = Math.min(c + 1, Math.min(end - pos, n - o));
				for (int k = 0; k < count; k++) out[first + (o++) * stride] = in[pos++];
				if (count < c + 1 && o < n) return o; // literal run cut by the segment end
			} else if (c != -128) {
				if (pos >= end) return o;
				byte v = in[pos++];
				int count = Math.min(1 - c, n - o);
				for (int k = 0; k < count; k++) out[first + (o++) * stride] = v;
			}
		}
		return o;
	}
}
