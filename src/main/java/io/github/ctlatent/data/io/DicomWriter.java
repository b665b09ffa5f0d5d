package io.github.ctlatent.data.io;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.data.Volume;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Volume} as a DICOM CT series: one Part-10 file per slice ({@code slice_000.dcm}, …), explicit VR
 * little endian, CT Image Storage, signed 16-bit pixels with RescaleSlope/RescaleIntercept (see {@link Rescale}).
 * <p>
 * UIDs live under the {@code 2.25} root (a 128-bit number in decimal) and are derived from a hash of the volume's name,
 * geometry and voxels: writing the same volume twice gives byte-identical files, two different volumes never share
 * a series. ImagePositionPatient is centred in x/y and advances by the slice spacing along z with the slice index,
 * orientation 1\0\0\0\1\0 (rows along patient x, columns along patient y).
 */
public final class DicomWriter {

	public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
	public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
	/** Identifies this writer in the file meta information (a fixed 2.25 UID). */
	static final String IMPLEMENTATION_CLASS_UID = "2.25." + new BigInteger(1, sha256("io.github.ctlatent DicomWriter".getBytes(StandardCharsets.UTF_8)), 0, 16);

	private DicomWriter() {}

	/**
	 * How voxel values are stored as int16: {@code value = stored * slope + intercept}, {@code stored} rounded to the
	 * nearest integer (half away from zero) and clamped to [-32768, 32767].
	 * <p>
	 * Hounsfield volumes use the CT convention slope 1, intercept -1024 (1 HU precision, sub-HU partial-volume values
	 * rounded) whenever their range fits; volumes of integers within int16 are stored exactly with slope 1, intercept 0;
	 * anything else is mapped linearly onto the full int16 range.
	 */
	public record Rescale(double slope, double intercept) {

		public static Rescale of(Volume v) {
			double[] s = v.stats();
			double min = s[0], max = s[1];
			if (v.isHounsfield() && min - -1024 >= Short.MIN_VALUE && max - -1024 <= Short.MAX_VALUE) return new Rescale(1, -1024);
			if (min >= Short.MIN_VALUE && max <= Short.MAX_VALUE && integral(v)) return new Rescale(1, 0);
			double slope = max > min ? (max - min) / 65534.0 : 1;
			return new Rescale(slope, min + 32767 * slope);
		}

		public short store(double value) {
			double s = Math.round((value - intercept) / slope);
			return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
		}

		public double value(int stored) {
			return stored * slope + intercept;
		}

		private static boolean integral(Volume v) {
			for (int z = 0; z < v.depth(); z++)
				for (float f : v.plane(z))
					if (f != Math.rint(f)) return false;
			return true;
		}
	}

	/** Writes the series with the volume's name as patient name and id. */
	public static List<Path> writeSeries(Volume v, Path folder) {
		return writeSeries(v, folder, v.name(), v.name());
	}

	/**
	 * Writes one file per slice into {@code folder} (created if needed), each atomically. Existing files of the same
	 * names are replaced; other files are left alone, so write into an empty folder.
	 *
	 * @return the files written, in slice order
	 */
	public static List<Path> writeSeries(Volume v, Path folder, String patientName, String patientId) {
		Rescale r = Rescale.of(v);
		byte[] key = contentHash(v);
		String study = uid(key, "study"), series = uid(key, "series"), frame = uid(key, "frame");
		int digits = Math.max(3, String.valueOf(v.depth() - 1).length());
		List<Path> files = new ArrayList<>();
		try {
			Files.createDirectories(folder);
		} catch (IOException e) {
			throw AtomicFiles.unchecked(e);
		}
		for (int k = 0; k < v.depth(); k++) {
			byte[] bytes = slice(v, k, r, patientName, patientId, study, series, frame, uid(key, "instance " + k));
			Path file = folder.resolve(String.format(Locale.ROOT, "slice_%0" + digits + "d.dcm", k));
			AtomicFiles.write(file, out -> out.write(bytes));
			files.add(file);
		}
		return files;
	}

	/** One complete Part-10 file. */
	static byte[] slice(Volume v, int k, Rescale r, String patientName, String patientId, String study, String series,
		String frame, String instance) {
		double[] sp = v.spacing();
		int w = v.width(), h = v.height();
		double x0 = -(w - 1) / 2.0 * sp[0], y0 = -(h - 1) / 2.0 * sp[1], z = k * sp[2];

		Elements meta = new Elements();
		meta.ob(0x0002, 0x0001, new byte[] {0, 1});
		meta.str(0x0002, 0x0002, "UI", CT_IMAGE_STORAGE);
		meta.str(0x0002, 0x0003, "UI", instance);
		meta.str(0x0002, 0x0010, "UI", EXPLICIT_VR_LITTLE_ENDIAN);
		meta.str(0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS_UID);
		meta.str(0x0002, 0x0013, "SH", "CTLATENT_1");

		Elements d = new Elements();
		d.str(0x0008, 0x0008, "CS", "DERIVED\\SECONDARY\\AXIAL");
		d.str(0x0008, 0x0016, "UI", CT_IMAGE_STORAGE);
		d.str(0x0008, 0x0018, "UI", instance);
		d.str(0x0008, 0x0060, "CS", "CT");
		d.str(0x0008, 0x0070, "LO", "CT Latent Explorer");
		d.str(0x0008, 0x103E, "LO", limit(v.name(), 64));
		d.str(0x0010, 0x0010, "PN", limit(patientName, 64));
		d.str(0x0010, 0x0020, "LO", limit(patientId, 64));
		d.str(0x0018, 0x0050, "DS", ds(sp[2]));
		d.str(0x0018, 0x0088, "DS", ds(sp[2]));
		d.str(0x0020, 0x000D, "UI", study);
		d.str(0x0020, 0x000E, "UI", series);
		d.str(0x0020, 0x0010, "SH", "1");
		d.str(0x0020, 0x0011, "IS", "1");
		d.str(0x0020, 0x0013, "IS", String.valueOf(k + 1));
		d.str(0x0020, 0x0032, "DS", ds(x0) + "\\" + ds(y0) + "\\" + ds(z));
		d.str(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
		d.str(0x0020, 0x0052, "UI", frame);
		d.str(0x0020, 0x1041, "DS", ds(z));
		d.us(0x0028, 0x0002, 1);
		d.str(0x0028, 0x0004, "CS", "MONOCHROME2");
		d.us(0x0028, 0x0010, h);
		d.us(0x0028, 0x0011, w);
		d.str(0x0028, 0x0030, "DS", ds(sp[1]) + "\\" + ds(sp[0]));
		d.us(0x0028, 0x0100, 16);
		d.us(0x0028, 0x0101, 16);
		d.us(0x0028, 0x0102, 15);
		d.us(0x0028, 0x0103, 1);
		boolean hu = v.isHounsfield();
		d.str(0x0028, 0x1050, "DS", hu ? "-200" : ds(r.value(0)));
		d.str(0x0028, 0x1051, "DS", hu ? "1600" : ds(65535 * r.slope()));
		d.str(0x0028, 0x1052, "DS", ds(r.intercept()));
		d.str(0x0028, 0x1053, "DS", ds(r.slope()));
		d.str(0x0028, 0x1054, "LO", hu ? "HU" : "US");
		ByteBuffer px = ByteBuffer.allocate(w * h * 2).order(ByteOrder.LITTLE_ENDIAN);
		for (float f : v.plane(k)) px.putShort(r.store(f));
		d.ow(0x7FE0, 0x0010, px.array());

		Elements groupLength = new Elements();
		groupLength.ul(0x0002, 0x0000, meta.size());
		ByteArrayOutputStream file = new ByteArrayOutputStream(132 + meta.size() + d.size() + 12);
		file.writeBytes(new byte[128]);
		file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
		file.writeBytes(groupLength.bytes());
		file.writeBytes(meta.bytes());
		file.writeBytes(d.bytes());
		return file.toByteArray();
	}

	/** Data elements in explicit VR little endian, written in the order given (callers keep tags ascending). */
	private static final class Elements {
		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		void str(int group, int element, String vr, String value) {
			byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
			if (b.length % 2 == 1) {
				b = Arrays.copyOf(b, b.length + 1);
				b[b.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
			}
			shortHeader(group, element, vr, b.length);
			out.writeBytes(b);
		}

		void us(int group, int element, int value) {
			shortHeader(group, element, "US", 2);
			le(value, 2);
		}

		void ul(int group, int element, int value) {
			shortHeader(group, element, "UL", 4);
			le(value, 4);
		}

		void ob(int group, int element, byte[] value) {
			longHeader(group, element, "OB", value.length);
			out.writeBytes(value);
		}

		void ow(int group, int element, byte[] value) {
			longHeader(group, element, "OW", value.length);
			out.writeBytes(value);
		}

		private void shortHeader(int group, int element, String vr, int length) {
			if (length > 0xFFFF) throw new IllegalArgumentException("Value too long for " + vr);
			le(group, 2);
			le(element, 2);
			out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
			le(length, 2);
		}

		private void longHeader(int group, int element, String vr, int length) {
			le(group, 2);
			le(element, 2);
			out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
			le(0, 2);
			le(length, 4);
		}

		private void le(int value, int bytes) {
			for (int i = 0; i < bytes; i++) out.write(value >>> (8 * i));
		}

		int size() {
			return out.size();
		}

		byte[] bytes() {
			return out.toByteArray();
		}
	}

	/** A decimal string of at most 16 characters (the DS limit), as precise as fits. */
	static String ds(double x) {
		if (!Double.isFinite(x)) throw new IllegalArgumentException("Not a finite number: " + x);
		for (int p = 12; p > 0; p--) {
			BigDecimal d = new BigDecimal(x).round(new MathContext(p)).stripTrailingZeros();
			String s = d.compareTo(BigDecimal.ZERO) == 0 ? "0" : d.abs().compareTo(BigDecimal.valueOf(1e-6)) < 0 || d.abs().compareTo(BigDecimal.valueOf(1e12)) > 0 ? d.toString() : d.toPlainString();
			if (s.length() <= 16) return s;
		}
		throw new IllegalArgumentException("Cannot format " + x + " as a DICOM decimal string");
	}

	/** A 2.25 UID from a hash of the volume and a purpose ("study", "instance 3", …). */
	static String uid(byte[] key, String purpose) {
		byte[] p = purpose.getBytes(StandardCharsets.UTF_8), all = Arrays.copyOf(key, key.length + p.length);
		System.arraycopy(p, 0, all, key.length, p.length);
		return "2.25." + new BigInteger(1, Arrays.copyOf(sha256(all), 16));
	}

	/** SHA-256 over the volume's name, geometry and voxels. */
	static byte[] contentHash(Volume v) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update((v.name() + "|" + v.width() + "x" + v.height() + "x" + v.depth() + "|" + Arrays.toString(v.spacing())).getBytes(StandardCharsets.UTF_8));
			ByteBuffer b = ByteBuffer.allocate(v.width() * v.height() * 4).order(ByteOrder.LITTLE_ENDIAN);
			for (int z = 0; z < v.depth(); z++) {
				b.clear();
				b.asFloatBuffer().put(v.plane(z));
				md.update(b.array());
			}
			return md.digest();
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String limit(String s, int max) {
		return s.length() <= max ? s : s.substring(0, max);
	}
}
