package io.github.ctlatent.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** The formats we read, told by content (magic numbers) first and by the file name only when content says nothing. */
enum VolumeFormat {
	DICOM, NIFTI, TIFF, OTHER;

	/**
	 * DICM at byte 128 (or a bare DICOM data set), NIfTI sizeof_hdr 348 in either byte order (also inside gzip),
	 * TIFF II*\0 / MM\0*; otherwise the extension (.dcm, .nii, .nii.gz, .tif); else OTHER. A file whose name
	 * promises a format its content lacks is given to that format's reader, which reports what is wrong.
	 */
	static VolumeFormat detect(Path file) {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(352);
		} catch (IOException e) {
			return byName(file); // the reader reports the I/O problem with the right wording
		}
		int n = head.length;
		if (n >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') return DICOM;
		if (n >= 4 && isNiftiSize(head)) return NIFTI;
		if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
			|| (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42)
			|| (head[0] == 'I' && head[1] == 'I' && head[2] == 43) || (head[0] == 'M' && head[1] == 'M' && head[3] == 43)))
			// some DICOM writers put a TIFF header in the preamble: a .dcm name then wins (the DICOM reader explains)
			return byName(file) == DICOM ? DICOM : TIFF;
		if (n >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
			if (gzippedNifti(file)) return NIFTI;
		}
		VolumeFormat byName = byName(file);
		if (byName != OTHER) return byName;
		if (DicomParser.looksLikeBareDataSet(head, n) && !name(file).endsWith(".img")) return DICOM;
		return OTHER;
	}

	static VolumeFormat byName(Path file) {
		String name = name(file);
		if (name.endsWith(".dcm") || name.endsWith(".dicom") || name.endsWith(".ima")) return DICOM;
		if (name.endsWith(".nii") || name.endsWith(".nii.gz") || name.endsWith(".hdr")) return NIFTI;
		if (name.endsWith(".tif") || name.endsWith(".tiff")) return TIFF;
		return OTHER;
	}

	private static String name(Path file) {
		return file.getFileName().toString().toLowerCase(Locale.ROOT);
	}

	private static boolean isNiftiSize(byte[] head) {
		ByteBuffer b = ByteBuffer.wrap(head, 0, 4);
		return b.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == NiftiReader.HEADER || b.order(ByteOrder.BIG_ENDIAN).getInt(0) == NiftiReader.HEADER;
	}

	private static boolean gzippedNifti(Path file) {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			byte[] head = in.readNBytes(4);
			return head.length == 4 && isNiftiSize(head);
		} catch (IOException e) {
			return false; // corrupt gzip: the name decides, and the NIfTI reader reports the damage
		}
	}
}
