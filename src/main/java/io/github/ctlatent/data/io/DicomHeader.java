package io.github.ctlatent.data.io;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DicomParser} found in one DICOM file: the attributes a volume needs and where the pixel data lie.
 * With {@link #data} null the header was read without the pixel data (scanning); {@link DicomParser#read} gives
 * one with the data.
 */
final class DicomHeader {

	static final int MODALITY = 0x00080060, SOP_CLASS = 0x00080016, SOP_INSTANCE = 0x00080018, SERIES_DESCRIPTION = 0x0008103E,
		SLICE_THICKNESS = 0x00180050, SPACING_BETWEEN_SLICES = 0x00180088,
		SERIES_UID = 0x0020000E, SERIES_NUMBER = 0x00200011, INSTANCE_NUMBER = 0x00200013,
		IMAGE_POSITION = 0x00200032, IMAGE_ORIENTATION = 0x00200037,
		SAMPLES_PER_PIXEL = 0x00280002, PHOTOMETRIC = 0x00280004, NUMBER_OF_FRAMES = 0x00280008,
		ROWS = 0x00280010, COLUMNS = 0x00280011, PIXEL_SPACING = 0x00280030,
		BITS_ALLOCATED = 0x00280100, BITS_STORED = 0x00280101, HIGH_BIT = 0x00280102, PIXEL_REPRESENTATION = 0x00280103,
		RESCALE_INTERCEPT = 0x00281052, RESCALE_SLOPE = 0x00281053, RESCALE_TYPE = 0x00281054,
		PIXEL_DATA = 0x7FE00010;

	/** Attributes stored as unsigned 16-bit numbers (US); all others we keep are text. */
	static boolean isUnsignedShort(int tag) {
		return tag == SAMPLES_PER_PIXEL || tag == ROWS || tag == COLUMNS || tag == BITS_ALLOCATED
			|| tag == BITS_STORED || tag == HIGH_BIT || tag == PIXEL_REPRESENTATION;
	}

	static boolean isKept(int tag) {
		return switch (tag) {
			case MODALITY, SOP_CLASS, SOP_INSTANCE, SERIES_DESCRIPTION, SLICE_THICKNESS, SPACING_BETWEEN_SLICES, SERIES_UID,
				SERIES_NUMBER, INSTANCE_NUMBER, IMAGE_POSITION, IMAGE_ORIENTATION, SAMPLES_PER_PIXEL, PHOTOMETRIC,
				NUMBER_OF_FRAMES, ROWS, COLUMNS, PIXEL_SPACING, BITS_ALLOCATED, BITS_STORED, HIGH_BIT,
				PIXEL_REPRESENTATION, RESCALE_INTERCEPT, RESCALE_SLOPE, RESCALE_TYPE -> true;
			default -> false;
		};
	}

	/**
	 * Attributes that enhanced multi-frame files keep inside functional-group sequences: taken from a nested item
	 * when the top level lacks them.
	 */
	static boolean isKeptNested(int tag) {
		return tag == PIXEL_SPACING || tag == SLICE_THICKNESS || tag == SPACING_BETWEEN_SLICES
			|| tag == IMAGE_POSITION || tag == IMAGE_ORIENTATION || tag == RESCALE_INTERCEPT || tag == RESCALE_SLOPE
			|| tag == RESCALE_TYPE;
	}

	final Path file;
	String transferSyntaxUid = TransferSyntax.IMPLICIT_LE.uid;
	ByteOrder order = ByteOrder.LITTLE_ENDIAN;
	/** Kept attributes: String for text, Integer for US. */
	final Map<Integer, Object> values = new HashMap<>();
	/** The (inflated, for deflate) file content the offsets below point into; null when read header-only. */
	byte[] data;
	boolean hasPixelData, encapsulated;
	String pixelVr = "";
	/** Native pixel data: offset and length in {@link #data} (length as declared, may exceed the file when truncated). */
	long pixelOffset, pixelLength;
	/** Encapsulated pixel data: the basic offset table entries and the fragments as (offset, length) pairs. */
	long[] offsetTable = new long[0];
	final List<long[]> fragments = new ArrayList<>();

	DicomHeader(Path file) {
		this.file = file;
	}

	String text(int tag) {
		Object v = values.get(tag);
		return v == null ? "" : v.toString();
	}

	int integer(int tag, int fallback) {
		Object v = values.get(tag);
		if (v instanceof Integer i) return i;
		if (v instanceof String s && !s.isBlank()) {
			try {
				return (int) Math.round(Double.parseDouble(s.split("\\\\")[0].trim()));
			} catch (NumberFormatException e) {
				return fallback;
			}
		}
		return fallback;
	}

	/** The numbers of a multi-valued decimal string, or null when absent, malformed or of another count. */
	double[] numbers(int tag, int count) {
		String s = text(tag);
		if (s.isBlank()) return null;
		String[] parts = s.split("\\\\");
		if (parts.length != count) return null;
		double[] d = new double[count];
		try {
			for (int i = 0; i < count; i++) d[i] = Double.parseDouble(parts[i].trim());
		} catch (NumberFormatException e) {
			return null;
		}
		return d;
	}

	double number(int tag, double fallback) {
		double[] d = numbers(tag, 1);
		return d == null || !Double.isFinite(d[0]) ? fallback : d[0];
	}

	int rows() { return integer(ROWS, 0); }
	int columns() { return integer(COLUMNS, 0); }
	int frames() { return Math.max(1, integer(NUMBER_OF_FRAMES, 1)); }
	int bitsAllocated() { return integer(BITS_ALLOCATED, 0); }
	int bitsStored() { return integer(BITS_STORED, bitsAllocated()); }
	boolean signed() { return integer(PIXEL_REPRESENTATION, 0) == 1; }
	int samplesPerPixel() { return integer(SAMPLES_PER_PIXEL, 1); }
	String modality() { return text(MODALITY).trim(); }
	String seriesUid() { return text(SERIES_UID).trim(); }
	double slope() {
		double s = number(RESCALE_SLOPE, 1);
		return s == 0 ? 1 : s; // a zero slope would wipe the image: treat as absent, like other readers do
	}
	double intercept() { return number(RESCALE_INTERCEPT, 0); }
	double[] position() { return numbers(IMAGE_POSITION, 3); }
	double[] orientation() { return numbers(IMAGE_ORIENTATION, 6); }

	/** CT values after rescale are Hounsfield units unless the file says another rescale type. */
	boolean isHounsfield() {
		String type = text(RESCALE_TYPE).trim();
		return modality().equals("CT") && (type.isEmpty() || type.equalsIgnoreCase("HU"));
	}

	String fileName() {
		return file.getFileName().toString();
	}
}
