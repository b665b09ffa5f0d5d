package io.github.ctlatent.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A compact reader of the DICOM data-element stream: the file meta group, then the data set in the transfer
 * syntax it names (implicit/explicit VR, little/big endian, deflated), keeping only the attributes a volume needs
 * and the location of the pixel data.
 * <p>
 * Why our own and not ImageJ 1's {@code ij.plugin.DICOM}: tested on the project's fixtures, ImageJ 1.54p reads
 * explicit/implicit little endian, explicit big endian and multi-frame files correctly (a test compares it with
 * this reader), but it opens no image from RLE files (MR_small_RLE.dcm, chest_ct_512_rle.dcm), throws
 * NegativeArraySizeException on the deflated file, reports damaged files only as an empty image or a log line,
 * and has no header-only mode for grouping thousands of slices into series. So the stream is parsed here (a few
 * hundred lines); nothing else on Maven Central that the project may use decodes DICOM.
 */
final class DicomParser {

	private static final long UNDEFINED = 0xFFFFFFFFL;
	private static final int ITEM = 0xFFFEE000, ITEM_END = 0xFFFEE00D, SEQUENCE_END = 0xFFFEE0DD;
	private static final int MAX_DEPTH = 16;
	private static final int FIRST_READ = 64 * 1024;

	/** Thrown when a header-only read ran past the bytes read so far; the caller reads more and starts again. */
	private static final class NeedMore extends RuntimeException {
		NeedMore() {
			super(null, null, false, false);
		}
	}

	private final DicomHeader h;
	private final boolean headerOnly;
	private final long fileSize;
	private byte[] b;
	private int limit;
	private boolean complete, explicit, big, inflated;

	private DicomParser(Path file, boolean headerOnly, long fileSize) {
		this.h = new DicomHeader(file);
		this.headerOnly = headerOnly;
		this.fileSize = fileSize;
	}

	/** The header and the pixel data of {@code file}. */
	static DicomHeader read(Path file) {
		long size = size(file);
		DicomParser p = new DicomParser(file, false, size);
		p.parse(readBytes(file, size), true);
		return p.h;
	}

	/** The header only: reads as much of the file as the attributes before the pixel data take. */
	static DicomHeader readHeader(Path file) {
		long size = size(file);
		int n = (int) Math.min(size, FIRST_READ);
		while (true) {
			DicomParser p = new DicomParser(file, true, size);
			try {
				p.parse(n == size ? readBytes(file, size) : readPrefix(file, n), n == size);
				p.h.data = null;
				return p.h;
			} catch (NeedMore e) {
				n = (int) Math.min(size, 4L * n);
			}
		}
	}

	static long size(Path file) {
		long size = ReadErrors.checkFile(file);
		if (size > Integer.MAX_VALUE - 16)
			throw ReadErrors.bad(file, "the DICOM file is larger than 2 GB", "Split the multi-frame file into smaller ones (e.g. with dcmsplit).");
		return size;
	}

	static byte[] readBytes(Path file, long size) {
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

	private void parse(byte[] bytes, boolean whole) {
		b = bytes;
		limit = bytes.length;
		complete = whole;
		h.data = b;
		int pos;
		if (limit >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
			pos = meta(132);
		} else if (looksLikeBareDataSet(b, limit)) {
			// old files without preamble and meta group: implicit VR unless a VR follows the first tag
			pos = 0;
			boolean vr = Character.isUpperCase(b[4]) && Character.isUpperCase(b[5]);
			h.transferSyntaxUid = vr ? TransferSyntax.EXPLICIT_LE.uid : TransferSyntax.IMPLICIT_LE.uid;
		} else {
			throw ReadErrors.bad(h.file, "no 'DICM' marker at byte 128, so this is not a DICOM file",
				"Check that the file really is DICOM; move other files out of the folder.");
		}
		TransferSyntax ts = TransferSyntax.of(h.transferSyntaxUid);
		// every compressed syntax we cannot decode is still explicit VR little endian: the header stays readable
		explicit = ts == null || ts.explicitVr;
		big = ts == TransferSyntax.EXPLICIT_BE;
		h.order = big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		if (ts == TransferSyntax.DEFLATED_LE) {
			if (!complete) throw new NeedMore();
			inflate(pos);
			pos = 0;
		}
		elements(pos, -1, 0);
	}

	static boolean looksLikeBareDataSet(byte[] b, int n) {
		if (n < 8) return false;
		int group = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
		int elem = (b[2] & 0xFF) | (b[3] & 0xFF) << 8;
		return (group == 0x0008 || group == 0x0002) && elem < 0x0100;
	}

	/** The file meta group (always explicit VR little endian); returns where the data set starts. */
	private int meta(int pos) {
		explicit = true;
		big = false;
		while (true) {
			need(pos, 2, 0);
			if (u16(pos) != 0x0002) return pos;
			need(pos, 8, 0x00020000);
			int tag = tag(pos);
			long len = elementLength(pos);
			int value = pos + headerLength(pos);
			need(value, len, tag);
			if (tag == 0x00020010) h.transferSyntaxUid = text(value, (int) len);
			pos = (int) (value + len);
		}
	}

	/**
	 * Parses elements from {@code pos} until {@code end} (or, with {@code end} < 0 inside an item, until the item
	 * delimiter; at the top level until the pixel data or the end of the file).
	 */
	private int elements(int pos, long end, int depth) {
		while (true) {
			if (end >= 0 && pos >= end) return pos;
			if (depth == 0 && pos >= limit) {
				if (complete) return pos; // no pixel data: the caller tells what the file is
				throw new NeedMore();
			}
			need(pos, 8, 0);
			int tag = tag(pos);
			if (tag == ITEM_END && depth > 0) return pos + 8;
			if (tag >>> 16 == 0xFFFE)
				throw ReadErrors.damaged(h.file, "unexpected delimiter " + hex(tag) + " at byte " + pos);
			int headerLength = headerLength(pos);
			need(pos, headerLength, tag);
			long len = elementLength(pos);
			int value = pos + headerLength;
			String vr = explicit ? new String(b, pos + 4, 2, StandardCharsets.US_ASCII) : "";
			if (tag == DicomHeader.PIXEL_DATA && depth == 0) {
				pixelData(value, len, vr);
				return value;
			}
			if (len == UNDEFINED || vr.equals("SQ")) {
				if (depth >= MAX_DEPTH) throw ReadErrors.damaged(h.file, "sequences nested deeper than " + MAX_DEPTH);
				pos = len == UNDEFINED ? sequence(value, -1, depth + 1) : sequence(value, value + len, depth + 1);
				continue;
			}
			if (DicomHeader.isKept(tag) && (depth == 0 || DicomHeader.isKeptNested(tag) && !h.values.containsKey(tag))) {
				need(value, len, tag);
				h.values.put(tag, DicomHeader.isUnsignedShort(tag) && len == 2 && !vr.equals("IS") && !vr.equals("DS")
					? Integer.valueOf(u16(value)) : text(value, (int) len));
			}
			pos = skip(value, len, tag);
		}
	}

	/** The items of a sequence, up to {@code end} or (undefined length) the sequence delimiter. */
	private int sequence(int pos, long end, int depth) {
		while (true) {
			if (end >= 0 && pos >= end) return pos;
			need(pos, 8, 0);
			int tag = tag(pos);
			long len = u32(pos + 4);
			pos += 8;
			if (tag == SEQUENCE_END) return pos;
			if (tag != ITEM) throw ReadErrors.damaged(h.file, "malformed sequence: found " + hex(tag) + " where an item was expected, byte " + (pos - 8));
			pos = len == UNDEFINED ? elements(pos, -1, depth) : elements(pos, pos + len, depth);
		}
	}

	private void pixelData(int value, long len, String vr) {
		h.hasPixelData = true;
		h.pixelVr = vr;
		long available = (inflated ? limit : fileSize) - value;
		if (len != UNDEFINED) {
			h.pixelOffset = value;
			h.pixelLength = len;
			if (len > available)
				throw ReadErrors.damaged(h.file, "the pixel data are cut short: " + len + " bytes declared, " + Math.max(0, available) + " present");
			return;
		}
		h.encapsulated = true;
		if (headerOnly) return; // fragments are walked when the pixels are needed
		int pos = value;
		boolean first = true;
		while (true) {
			need(pos, 8, DicomHeader.PIXEL_DATA);
			int tag = tag(pos);
			long flen = u32(pos + 4);
			pos += 8;
			if (tag == SEQUENCE_END) return;
			if (tag != ITEM || flen == UNDEFINED)
				throw ReadErrors.damaged(h.file, "malformed encapsulated pixel data at byte " + (pos - 8));
			need(pos, flen, DicomHeader.PIXEL_DATA);
			if (first) {
				h.offsetTable = new long[(int) (flen / 4)];
				for (int i = 0; i < h.offsetTable.length; i++) h.offsetTable[i] = u32(pos + 4 * i);
				first = false;
			} else {
				h.fragments.add(new long[] {pos, flen});
			}
			pos += (int) flen;
		}
	}

	private void inflate(int pos) {
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(b, pos, limit - pos);
			byte[] out = new byte[Math.max(4096, (limit - pos) * 4)];
			int n = 0;
			while (!inflater.finished()) {
				if (n == out.length) {
					if (out.length >= Integer.MAX_VALUE / 2)
						throw ReadErrors.bad(h.file, "the deflated data set inflates to more than 1 GB", "Convert it to an uncompressed syntax first (e.g. gdcmconv --raw).");
					out = java.util.Arrays.copyOf(out, out.length * 2);
				}
				int got = inflater.inflate(out, n, out.length - n);
				n += got;
				if (got == 0 && (inflater.needsInput() || inflater.needsDictionary()))
					throw ReadErrors.damaged(h.file, "the deflated data set is cut short (the compressed stream ends early)");
			}
			b = java.util.Arrays.copyOf(out, n);
			limit = n;
			inflated = true;
			h.data = b;
		} catch (DataFormatException e) {
			throw ReadErrors.damaged(h.file, "the deflated data set is corrupt (" + e.getMessage() + ")");
		} finally {
			inflater.end();
		}
	}

	// --- primitive reads -------------------------------------------------------------------------------------------

	private int headerLength(int pos) {
		if (!explicit || tag(pos) >>> 16 == 0xFFFE) return 8;
		need(pos, 6, 0);
		return longVr(b[pos + 4], b[pos + 5]) ? 12 : 8;
	}

	private long elementLength(int pos) {
		if (!explicit) return u32(pos + 4);
		char c0 = (char) b[pos + 4], c1 = (char) b[pos + 5];
		if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z')
			throw ReadErrors.damaged(h.file, "malformed data element " + hex(tag(pos)) + " at byte " + pos
				+ " (no valid value representation; wrong transfer syntax or damaged file)");
		if (longVr(b[pos + 4], b[pos + 5])) {
			need(pos, 12, tag(pos));
			return u32(pos + 8);
		}
		return u16(pos + 6);
	}

	private static boolean longVr(byte c0, byte c1) {
		return switch ("" + (char) c0 + (char) c1) {
			case "OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV" -> true;
			default -> false;
		};
	}

	private int skip(int value, long len, int tag) {
		long next = value + len;
		if (next > limit) {
			if (!complete && next <= fileSize) throw new NeedMore();
			need(value, len, tag);
		}
		return (int) next;
	}

	/** Makes sure {@code n} bytes from {@code pos} are there: reads more (header-only) or reports the cut. */
	private void need(long pos, long n, int tag) {
		if (pos + n <= limit) return;
		if (!complete) throw new NeedMore();
		throw ReadErrors.damaged(h.file, "the file ends at byte " + limit + (tag == 0 ? "" : " inside element " + hex(tag))
			+ ", it is cut short");
	}

	private int tag(int pos) {
		return u16(pos) << 16 | u16(pos + 2);
	}

	private int u16(int pos) {
		return big ? (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF) : (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
	}

	private long u32(int pos) {
		need(pos, 4, 0);
		long v = big ? (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF)
			: (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFFL) << 24;
		return v;
	}

	private String text(int pos, int len) {
		int end = pos + len;
		while (end > pos && (b[end - 1] == 0 || b[end - 1] == ' ')) end--;
		while (pos < end && b[pos] == ' ') pos++;
		return new String(b, pos, end - pos, StandardCharsets.ISO_8859_1);
	}

	static String hex(int tag) {
		return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
	}
}
