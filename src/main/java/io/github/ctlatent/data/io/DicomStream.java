package io.github.ctlatent.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The bytes of a DICOM file as {@link DicomParser} walks them: reads in the byte order and VR mode of the transfer
 * syntax, element headers, bounds checks, and inflating a deflated data set. A header-only read may hold just a
 * prefix of the file: running past it throws {@link NeedMore}, and the parser starts again with more bytes; in a
 * whole file, running past the end is a damaged file.
 */
final class DicomStream {

	static final long UNDEFINED = 0xFFFFFFFFL;

	/** Thrown when a header-only read ran past the bytes read so far; the caller reads more and starts again. */
	static final class NeedMore extends RuntimeException {
		NeedMore() {
			super(null, null, false, false);
		}
	}

	final Path file;
	final long fileSize;
	/** The bytes (after inflating, the inflated data set) and how many are valid. */
	byte[] b;
	int limit;
	/** Whether {@code b} holds the whole file; explicit VR; big endian; whether the data set was inflated. */
	boolean complete, explicit, big, inflated;

	DicomStream(Path file, byte[] bytes, boolean complete, long fileSize) {
		this.file = file;
		this.b = bytes;
		this.limit = bytes.length;
		this.complete = complete;
		this.fileSize = fileSize;
	}

	// --- the file ----------------------------------------------------------------------------------------------------

	static long size(Path file) {
		long size = ReadErrors.checkFile(file);
		if (size > Integer.MAX_VALUE - 16)
			throw ReadErrors.bad(file, "the DICOM file is larger than 2 GB", "Split the multi-frame file into smaller ones (e.g. with dcmsplit).");
		return size;
	}

	static byte[] readBytes(Path file) {
		try {
			return Files.readAllBytes(file);
		} catch (IOException e) {
			throw ReadErrors.io(file, e);
		}
	}

	static byte[] readPrefix(Path file, int n) {
		try (InputStream in = Files.newInputStream(file)) {
			return in.readNBytes(n);
		} catch (IOException e) {
			throw ReadErrors.io(file, e);
		}
	}

	/** Replaces the deflated data set from {@code pos} on by its inflated bytes (the whole file must be there). */
	void inflate(int pos) {
		if (!complete) throw new NeedMore();
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(b, pos, limit - pos);
			byte[] out = new byte[Math.max(4096, (limit - pos) * 4)];
			int n = 0;
			while (!inflater.finished()) {
				if (n == out.length) {
					if (out.length >= Integer.MAX_VALUE / 2)
						throw ReadErrors.bad(file, "the deflated data set inflates to more than 1 GB", "Convert it to an uncompressed syntax first (e.g. gdcmconv --raw).");
					out = Arrays.copyOf(out, out.length * 2);
				}
				int got = inflater.inflate(out, n, out.length - n);
				n += got;
				if (got == 0 && (inflater.needsInput() || inflater.needsDictionary()))
					throw ReadErrors.damaged(file, "the deflated data set is cut short (the compressed stream ends early)");
			}
			b = Arrays.copyOf(out, n);
			limit = n;
			inflated = true;
		} catch (DataFormatException e) {
			throw ReadErrors.damaged(file, "the deflated data set is corrupt (" + e.getMessage() + ")");
		} finally {
			inflater.end();
		}
	}

	// --- element headers ---------------------------------------------------------------------------------------------

	int headerLength(int pos) {
		if (!explicit || tag(pos) >>> 16 == 0xFFFE) return 8;
		need(pos, 6, 0);
		return longVr(b[pos + 4], b[pos + 5]) ? 12 : 8;
	}

	long elementLength(int pos) {
		if (!explicit) return u32(pos + 4);
		char c0 = (char) b[pos + 4], c1 = (char) b[pos + 5];
		if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z')
			throw ReadErrors.damaged(file, "malformed data element " + hex(tag(pos)) + " at byte " + pos
				+ " (no valid value representation; wrong transfer syntax or damaged file)");
		if (longVr(b[pos + 4], b[pos + 5])) {
			need(pos, 12, tag(pos));
			return u32(pos + 8);
		}
		return u16(pos + 6);
	}

	/** The value representation of the element at {@code pos} ("" in implicit VR). */
	String vr(int pos) {
		return explicit ? new String(b, pos + 4, 2, StandardCharsets.US_ASCII) : "";
	}

	private static boolean longVr(byte c0, byte c1) {
		return switch ("" + (char) c0 + (char) c1) {
			case "OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV" -> true;
			default -> false;
		};
	}

	/** Where the element whose value of {@code len} bytes starts at {@code value} ends. */
	int skip(int value, long len, int tag) {
		long next = value + len;
		if (next > limit) {
			if (!complete && next <= fileSize) throw new NeedMore();
			need(value, len, tag);
		}
		return (int) next;
	}

	// --- primitive reads ---------------------------------------------------------------------------------------------

	/** Makes sure {@code n} bytes from {@code pos} are there: reads more (header-only) or reports the cut. */
	void need(long pos, long n, int tag) {
		if (pos + n <= limit) return;
		if (!complete) throw new NeedMore();
		throw ReadErrors.damaged(file, "the file ends at byte " + limit + (tag == 0 ? "" : " inside element " + hex(tag))
			+ ", it is cut short");
	}

	int tag(int pos) {
		return u16(pos) << 16 | u16(pos + 2);
	}

	int u16(int pos) {
		return big ? (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF) : (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
	}

	long u32(int pos) {
		need(pos, 4, 0);
		long v = big ? (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF)
			: (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFFL) << 24;
		return v;
	}

	String text(int pos, int len) {
		int end = pos + len;
		while (end > pos && (b[end - 1] == 0 || b[end - 1] == ' ')) end--;
		while (pos < end && b[pos] == ' ') pos++;
		return new String(b, pos, end - pos, StandardCharsets.ISO_8859_1);
	}

	static String hex(int tag) {
		return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
	}
}
