package io.github.ctlatent.data.io;

import io.github.ctlatent.data.io.DicomStream.NeedMore;

import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.github.ctlatent.data.io.DicomStream.UNDEFINED;
import static io.github.ctlatent.data.io.DicomStream.hex;

/**
 * A compact reader of the DICOM data-element stream: the file meta group, then the data set in the transfer
 * syntax it names (implicit/explicit VR, little/big endian, deflated), keeping only the attributes a volume needs
 * and the location of the pixel data. This class knows the structure (meta group, elements, sequences, items, pixel
 * data); {@link DicomStream} the bytes.
 * <p>
 * Why our own and not ImageJ 1's {@code ij.plugin.DICOM}: tested on the project's fixtures, ImageJ 1.54p reads
 * explicit/implicit little endian, explicit big endian and multi-frame files correctly (a test compares it with
 * this reader), but it opens no image from RLE files (MR_small_RLE.dcm, chest_ct_512_rle.dcm), throws
 * NegativeArraySizeException on the deflated file, reports damaged files only as an empty image or a log line,
 * and has no header-only mode for grouping thousands of slices into series. So the stream is parsed here (a few
 * hundred lines); nothing else on Maven Central that the project may use decodes DICOM.
 */
final class DicomParser {

	private static final int ITEM = 0xFFFEE000, ITEM_END = 0xFFFEE00D, SEQUENCE_END = 0xFFFEE0DD;
	private static final int MAX_DEPTH = 16;
	private static final int FIRST_READ = 64 * 1024;

	private final DicomHeader h;
	private final DicomStream in;
	private final boolean headerOnly;

	private DicomParser(Path file, byte[] bytes, boolean whole, boolean headerOnly, long fileSize) {
		this.h = new DicomHeader(file);
		this.in = new DicomStream(file, bytes, whole, fileSize);
		this.headerOnly = headerOnly;
	}

	/** The header and the pixel data of {@code file}. */
	static DicomHeader read(Path file) {
		long size = DicomStream.size(file);
		DicomParser p = new DicomParser(file, DicomStream.readBytes(file), true, false, size);
		p.parse();
		return p.h;
	}

	/** The header only: reads as much of the file as the attributes before the pixel data take. */
	static DicomHeader readHeader(Path file) {
		long size = DicomStream.size(file);
		int n = (int) Math.min(size, FIRST_READ);
		while (true) {
			DicomParser p = new DicomParser(file, n == size ? DicomStream.readBytes(file) : DicomStream.readPrefix(file, n), n == size, true, size);
			try {
				p.parse();
				p.h.data = null;
				return p.h;
			} catch (NeedMore e) {
				n = (int) Math.min(size, 4L * n);
			}
		}
	}

	private void parse() {
		byte[] b = in.b;
		h.data = b;
		int pos;
		if (in.limit >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
			pos = meta(132);
		} else if (looksLikeBareDataSet(b, in.limit)) {
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
		in.explicit = ts == null || ts.explicitVr;
		in.big = ts == TransferSyntax.EXPLICIT_BE;
		h.order = in.big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		if (ts == TransferSyntax.DEFLATED_LE) {
			in.inflate(pos);
			h.data = in.b;
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
		in.explicit = true;
		in.big = false;
		while (true) {
			in.need(pos, 2, 0);
			if (in.u16(pos) != 0x0002) return pos;
			in.need(pos, 8, 0x00020000);
			int tag = in.tag(pos);
			long len = in.elementLength(pos);
			int value = pos + in.headerLength(pos);
			in.need(value, len, tag);
			if (tag == 0x00020010) h.transferSyntaxUid = in.text(value, (int) len);
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
			if (depth == 0 && pos >= in.limit) {
				if (in.complete) return pos; // no pixel data: the caller tells what the file is
				throw new NeedMore();
			}
			in.need(pos, 8, 0);
			int tag = in.tag(pos);
			if (tag == ITEM_END && depth > 0) return pos + 8;
			if (tag >>> 16 == 0xFFFE)
				throw ReadErrors.damaged(h.file, "unexpected delimiter " + hex(tag) + " at byte " + pos);
			int headerLength = in.headerLength(pos);
			in.need(pos, headerLength, tag);
			long len = in.elementLength(pos);
			int value = pos + headerLength;
			String vr = in.vr(pos);
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
				in.need(value, len, tag);
				h.values.put(tag, DicomHeader.isUnsignedShort(tag) && len == 2 && !vr.equals("IS") && !vr.equals("DS")
					? Integer.valueOf(in.u16(value)) : in.text(value, (int) len));
			}
			pos = in.skip(value, len, tag);
		}
	}

	/** The items of a sequence, up to {@code end} or (undefined length) the sequence delimiter. */
	private int sequence(int pos, long end, int depth) {
		while (true) {
			if (end >= 0 && pos >= end) return pos;
			in.need(pos, 8, 0);
			int tag = in.tag(pos);
			long len = in.u32(pos + 4);
			pos += 8;
			if (tag == SEQUENCE_END) return pos;
			if (tag != ITEM) throw ReadErrors.damaged(h.file, "malformed sequence: found " + hex(tag) + " where an item was expected, byte " + (pos - 8));
			pos = len == UNDEFINED ? elements(pos, -1, depth) : elements(pos, pos + len, depth);
		}
	}

	private void pixelData(int value, long len, String vr) {
		h.hasPixelData = true;
		h.pixelVr = vr;
		long available = (in.inflated ? in.limit : in.fileSize) - value;
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
			in.need(pos, 8, DicomHeader.PIXEL_DATA);
			int tag = in.tag(pos);
			long flen = in.u32(pos + 4);
			pos += 8;
			if (tag == SEQUENCE_END) return;
			if (tag != ITEM || flen == UNDEFINED)
				throw ReadErrors.damaged(h.file, "malformed encapsulated pixel data at byte " + (pos - 8));
			in.need(pos, flen, DicomHeader.PIXEL_DATA);
			if (first) {
				h.offsetTable = new long[(int) (flen / 4)];
				for (int i = 0; i < h.offsetTable.length; i++) h.offsetTable[i] = in.u32(pos + 4 * i);
				first = false;
			} else {
				h.fragments.add(new long[] {pos, flen});
			}
			pos += (int) flen;
		}
	}
}
