package io.github.ctlatent.data.io;

import io.github.ctlatent.data.Volume;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * NIfTI-1 single files (.nii, .nii.gz) and header/image pairs (.hdr + .img), either byte order. Voxels are kept in
 * file order (i fastest = x, j = y, k = z) without reorientation; qform/sform are kept as metadata. Values are
 * scaled by scl_slope/scl_inter (a slope of 0 means unscaled). A 4D file (more than one volume) is refused rather
 * than silently cut to its first volume. Written by hand: no NIfTI reader is among the project's dependencies
 * (ImageJ 1 has none; Fiji's comes with SCIFIO/Bio-Formats, which are not on Maven Central).
 */
final class NiftiReader {

	static final int HEADER = 348;

	private NiftiReader() {}

	/** The validated header fields the reader uses. */
	record Header(Path file, ByteOrder order, boolean gzip, boolean pair, int[] dim, int datatype, int bytes, float[] pixdim,
		long voxOffset, float slope, float inter, int units, Map<String, String> meta) {

		int width() { return dim[1]; }
		int height() { return dim[0] >= 2 ? dim[2] : 1; }
		int depth() { return dim[0] >= 3 ? dim[3] : 1; }
		long voxels() { return (long) width() * height() * depth(); }
	}

	/** The header alone (cheap: reads 348 bytes, decompressing only those for .nii.gz). */
	static Header header(Path file) {
		ReadErrors.checkFile(file);
		try (InputStream in = open(file)) {
			return parse(file, readHeader(file, in), in instanceof GZIPInputStream);
		} catch (IOException e) {
			throw gzipError(file, e);
		}
	}

	static Volume read(Path file, ReadOptions options) {
		Header h = header(file);
		long bytes = h.voxels() * h.bytes;
		Runtime rt = Runtime.getRuntime();
		long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		if (bytes + h.voxels() * 4 > free || (long) h.width() * h.height() > Integer.MAX_VALUE - 8 || bytes > Integer.MAX_VALUE - 8)
			throw ReadErrors.bad(file, "the volume (" + h.width() + "×" + h.height() + "×" + h.depth() + ") needs " + ((bytes + h.voxels() * 4) >> 20)
				+ " MB, more than the " + (free >> 20) + " MB of memory left", "Give Java more memory or crop the volume.");
		Path dataFile = h.pair ? imageFileOf(file) : file;
		if (!h.gzip) {
			long size = sizeOf(dataFile);
			if (h.voxOffset + bytes > size)
				throw ReadErrors.damaged(dataFile, "the voxel data are cut short: " + bytes + " bytes from offset " + h.voxOffset
					+ " are needed, the file has " + size);
		}
		byte[] data;
		try (InputStream in = h.pair ? open(dataFile) : open(file)) {
			try {
				skipFully(in, h.voxOffset);
			} catch (EOFException e) {
				throw ReadErrors.damaged(dataFile, "the voxel data are missing: vox_offset " + h.voxOffset + " lies beyond the end of the data");
			}
			data = in.readNBytes((int) bytes);
		} catch (EOFException e) {
			throw ReadErrors.damaged(dataFile, "the compressed voxel data are cut short (" + e.getMessage() + ")");
		} catch (IOException e) {
			throw gzipError(dataFile, e);
		}
		if (data.length < bytes)
			throw ReadErrors.damaged(dataFile, "the voxel data are cut short: " + data.length + " of " + bytes + " bytes present");
		float[][] planes = convert(h, ByteBuffer.wrap(data).order(h.order));
		VolumeReaders.checkFinite(file, planes, h.width());
		Map<String, String> meta = new LinkedHashMap<>(h.meta);
		meta.put("source", file.toString());
		return new Volume(VolumeReaders.baseName(file), h.width(), h.height(), planes, spacing(h), options.assumeHounsfield(), meta);
	}

	private static float[][] convert(Header h, ByteBuffer bb) {
		int n = h.width() * h.height(), depth = h.depth();
		boolean scale = h.slope != 0 && Float.isFinite(h.slope);
		double slope = scale ? h.slope : 1, inter = scale && Float.isFinite(h.inter) ? h.inter : 0;
		float[][] planes = new float[depth][n];
		for (int z = 0; z < depth; z++) {
			float[] p = planes[z];
			int base = z * n * h.bytes;
			switch (h.datatype) {
				case 2 -> { for (int i = 0; i < n; i++) p[i] = (float) ((bb.get(base + i) & 0xFF) * slope + inter); }
				case 256 -> { for (int i = 0; i < n; i++) p[i] = (float) (bb.get(base + i) * slope + inter); }
				case 4 -> { for (int i = 0; i < n; i++) p[i] = (float) (bb.getShort(base + 2 * i) * slope + inter); }
				case 512 -> { for (int i = 0; i < n; i++) p[i] = (float) ((bb.getShort(base + 2 * i) & 0xFFFF) * slope + inter); }
				case 8 -> { for (int i = 0; i < n; i++) p[i] = (float) (bb.getInt(base + 4 * i) * slope + inter); }
				case 768 -> { for (int i = 0; i < n; i++) p[i] = (float) ((bb.getInt(base + 4 * i) & 0xFFFFFFFFL) * slope + inter); }
				case 16 -> {
					if (scale) for (int i = 0; i < n; i++) p[i] = (float) (bb.getFloat(base + 4 * i) * slope + inter);
					else bb.slice(base, 4 * n).order(h.order).asFloatBuffer().get(p);
				}
				case 64 -> { for (int i = 0; i < n; i++) p[i] = (float) (bb.getDouble(base + 8 * i) * slope + inter); }
				default -> throw new IllegalStateException("datatype checked in parse: " + h.datatype);
			}
		}
		return planes;
	}

	/** Spacing in mm from pixdim and the xyzt_units code (meter, mm, micron); 1 where missing. */
	private static double[] spacing(Header h) {
		double unit = switch (h.units & 7) {
			case 1 -> 1000;
			case 3 -> 0.001;
			default -> 1;
		};
		double[] s = new double[3];
		for (int i = 0; i < 3; i++) {
			float p = h.pixdim[i + 1];
			// 0 means "not set" (1 mm is assumed); anything else must be a plausible voxel size
			if (p == 0 || i >= h.dim[0]) {
				s[i] = 1;
				continue;
			}
			double v = p * unit;
			if (!Double.isFinite(v) || v < 0 || v > 1e4 || (v > 0 && v < 1e-4))
				throw ReadErrors.bad(h.file, "pixdim[" + (i + 1) + "] = " + p + " is not a voxel size in mm (" + (Double.isFinite(v) ? v < 0 ? "negative" : "out of range" : "not a number") + ")",
					"Fix the header's voxel sizes (e.g. with nibabel or fslhd/fslchpixdim), or convert the file again.");
			s[i] = v == 0 ? 1 : v;
		}
		return s;
	}

	private static Header parse(Path file, ByteBuffer b, boolean gzip) {
		int le = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0), be = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
		ByteOrder order;
		if (le == HEADER) order = ByteOrder.LITTLE_ENDIAN;
		else if (be == HEADER) order = ByteOrder.BIG_ENDIAN;
		else if (le == 540 || be == 540)
			throw ReadErrors.bad(file, "a NIfTI-2 file", "Only NIfTI-1 is supported; convert it (e.g. nibabel: nib.Nifti1Image) or use DICOM/TIFF.");
		else
			throw ReadErrors.damaged(file, "not a NIfTI-1 file (sizeof_hdr is " + le + ", must be 348)");
		b.order(order);
		String magic = new String(new byte[] {b.get(344), b.get(345), b.get(346)}, StandardCharsets.US_ASCII);
		boolean pair = magic.equals("ni1");
		if (!pair && !magic.equals("n+1"))
			throw ReadErrors.bad(file, "no NIfTI-1 magic 'n+1' at byte 344 (an ANALYZE 7.5 file?)", "Convert it to NIfTI-1 (e.g. with fslchfiletype or nibabel).");
		int[] dim = new int[8];
		for (int i = 0; i < 8; i++) dim[i] = b.getShort(40 + 2 * i);
		if (dim[0] < 1 || dim[0] > 7)
			throw ReadErrors.damaged(file, "dim[0] is " + dim[0] + " (the number of dimensions must be 1 to 7)");
		for (int i = 1; i <= dim[0]; i++)
			if (dim[i] < 1) throw ReadErrors.damaged(file, "dim[" + i + "] is " + dim[i] + " (sizes must be at least 1)");
		long extra = 1;
		for (int i = 4; i <= dim[0]; i++) extra *= dim[i];
		if (extra > 1)
			throw ReadErrors.bad(file, "a " + dim[0] + "D image (" + extra + " volumes of " + dim[1] + "×" + dim[2] + "×" + dim[3] + ")",
				"Only 3D volumes are read; split it first (e.g. fslsplit) and read one volume.");
		int datatype = b.getShort(70);
		int bytes = switch (datatype) {
			case 2, 256 -> 1;
			case 4, 512 -> 2;
			case 8, 16, 768 -> 4;
			case 64 -> 8;
			default -> throw ReadErrors.bad(file, "unsupported NIfTI datatype " + datatype + " (" + typeName(datatype) + ")",
				"Convert it to a grayscale type (int16, uint8, float32, …).");
		};
		float[] pixdim = new float[8];
		for (int i = 0; i < 8; i++) pixdim[i] = b.getFloat(76 + 4 * i);
		float vox = b.getFloat(108);
		if (!Float.isFinite(vox) || vox < 0 || (!pair && vox < HEADER))
			throw ReadErrors.damaged(file, "vox_offset is " + vox + " (must be at least 348 in a .nii file)");
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("format", "NIfTI-1" + (pair ? " pair" : ""));
		meta.put("byteOrder", order.toString());
		meta.put("datatype", typeName(datatype));
		meta.put("sclSlope", String.valueOf(b.getFloat(112)));
		meta.put("sclInter", String.valueOf(b.getFloat(116)));
		meta.put("qformCode", String.valueOf(b.getShort(252)));
		meta.put("sformCode", String.valueOf(b.getShort(254)));
		meta.put("quatern", floats(b, 256, 3) + "; qoffset " + floats(b, 268, 3) + "; qfac " + pixdim[0]);
		meta.put("srowX", floats(b, 280, 4));
		meta.put("srowY", floats(b, 296, 4));
		meta.put("srowZ", floats(b, 312, 4));
		String descrip = cString(b, 148, 80);
		if (!descrip.isEmpty()) meta.put("description", descrip);
		return new Header(file, order, gzip, pair, dim, datatype, bytes, pixdim, (long) vox, b.getFloat(112), b.getFloat(116),
			b.get(123) & 0xFF, meta);
	}

	static String typeName(int datatype) {
		return switch (datatype) {
			case 2 -> "uint8";
			case 4 -> "int16";
			case 8 -> "int32";
			case 16 -> "float32";
			case 64 -> "float64";
			case 256 -> "int8";
			case 512 -> "uint16";
			case 768 -> "uint32";
			case 128 -> "RGB24";
			case 2304 -> "RGBA32";
			case 32, 1792, 2048 -> "complex";
			case 1024, 1280, 1536 -> "64-bit integer or float128";
			default -> "unknown";
		};
	}

	private static String floats(ByteBuffer b, int at, int n) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < n; i++) s.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%g", b.getFloat(at + 4 * i)));
		return s.toString();
	}

	private static String cString(ByteBuffer b, int at, int n) {
		int len = 0;
		while (len < n && b.get(at + len) != 0) len++;
		byte[] s = new byte[len];
		b.get(at, s);
		return new String(s, StandardCharsets.ISO_8859_1).trim();
	}

	private static ByteBuffer readHeader(Path file, InputStream in) throws IOException {
		byte[] hdr = in.readNBytes(HEADER);
		if (hdr.length < HEADER)
			throw ReadErrors.damaged(file, "the file is too short for a NIfTI header (" + hdr.length + " of 348 bytes)");
		return ByteBuffer.wrap(hdr);
	}

	/** The stream of a file, decompressed when it starts with the gzip magic (whatever its name). */
	static InputStream open(Path file) throws IOException {
		InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
		in.mark(2);
		int b0 = in.read(), b1 = in.read();
		in.reset();
		return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
	}


	private static io.github.ctlatent.core.ExplorerException gzipError(Path file, IOException e) {
		if (e instanceof EOFException)
			return ReadErrors.damaged(file, "the gzip data are cut short (" + e.getMessage() + ")");
		if (e instanceof ZipException)
			return ReadErrors.damaged(file, "the gzip data are corrupt (" + e.getMessage() + ")");
		return ReadErrors.io(file, e);
	}

	private static void skipFully(InputStream in, long n) throws IOException {
		if (n > 0) in.skipNBytes(n);
	}

	private static long sizeOf(Path f) {
		try {
			return Files.size(f);
		} catch (IOException e) {
			throw ReadErrors.io(f, e);
		}
	}

	private static Path imageFileOf(Path hdr) {
		String name = hdr.getFileName().toString();
		int dot = name.lastIndexOf('.');
		Path img = hdr.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".img");
		if (!Files.isRegularFile(img))
			throw ReadErrors.bad(hdr, "a NIfTI header without its image file " + img.getFileName(), "Put the .img file beside the .hdr file.");
		return img;
	}
}
