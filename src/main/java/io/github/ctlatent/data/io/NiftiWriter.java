package io.github.ctlatent.data.io;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.data.Volume;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link Volume} as a single-file NIfTI-1 image ({@code .nii}, or gzip-compressed when the name ends in
 * {@code .gz}): the 348-byte header, four zero extension bytes, voxels from byte 352, little endian.
 * <p>
 * Voxels are int16 with {@code scl_slope}/{@code scl_inter} chosen as for DICOM ({@link DicomWriter.Rescale}), or
 * float32 unscaled on request. The qform and sform (code 1, scanner) hold the same diagonal affine as the DICOM
 * writer's geometry, converted to NIfTI's RAS+ convention: x and y point to the patient's right and anterior, so
 * their diagonal entries are −spacing; z advances with the slice index.
 */
public final class NiftiWriter {

	public static final int HEADER_SIZE = 348, VOX_OFFSET = 352;
	static final short INT16 = 4, FLOAT32 = 16;

	private NiftiWriter() {}

	/** Writes int16 voxels with slope/intercept. */
	public static void write(Volume v, Path file) {
		write(v, file, false);
	}

	/** Writes atomically; {@code float32} keeps the float values exactly (twice the size). */
	public static void write(Volume v, Path file, boolean float32) {
		boolean gz = file.getFileName().toString().toLowerCase().endsWith(".gz");
		DicomWriter.Rescale r = float32 ? new DicomWriter.Rescale(1, 0) : DicomWriter.Rescale.of(v);
		AtomicFiles.write(file, raw -> {
			OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16);
			out.write(header(v, float32, r));
			int n = v.width() * v.height();
			ByteBuffer plane = ByteBuffer.allocate(n * (float32 ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
			for (int z = 0; z < v.depth(); z++) {
				plane.clear();
				for (float f : v.plane(z)) {
					if (float32) plane.putFloat(f);
					else plane.putShort(r.store(f));
				}
				out.write(plane.array());
			}
			out.flush();
			if (out instanceof GZIPOutputStream g) g.finish();
		});
	}

	/** Header plus the four extension bytes: exactly {@link #VOX_OFFSET} bytes. */
	static byte[] header(Volume v, boolean float32, DicomWriter.Rescale r) {
		double[] sp = v.spacing();
		double x0 = (v.width() - 1) / 2.0 * sp[0], y0 = (v.height() - 1) / 2.0 * sp[1];
		ByteBuffer h = ByteBuffer.allocate(VOX_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
		h.putInt(0, HEADER_SIZE);
		h.put(38, (byte) 'r');
		short[] dim = {3, (short) v.width(), (short) v.height(), (short) v.depth(), 1, 1, 1, 1};
		for (int i = 0; i < 8; i++) h.putShort(40 + 2 * i, dim[i]);
		h.putShort(70, float32 ? FLOAT32 : INT16);
		h.putShort(72, (short) (float32 ? 32 : 16));
		float[] pixdim = {1, (float) sp[0], (float) sp[1], (float) sp[2], 0, 0, 0, 0};
		for (int i = 0; i < 8; i++) h.putFloat(76 + 4 * i, pixdim[i]);
		h.putFloat(108, VOX_OFFSET);
		h.putFloat(112, float32 ? 0 : (float) r.slope());
		h.putFloat(116, float32 ? 0 : (float) r.intercept());
		h.put(123, (byte) 2); // xyzt_units: mm
		byte[] descrip = ("CT Latent Explorer " + v.name()).getBytes(StandardCharsets.US_ASCII);
		h.put(148, descrip, 0, Math.min(79, descrip.length));
		h.putShort(252, (short) 1); // qform_code: scanner
		h.putShort(254, (short) 1); // sform_code: scanner
		// quaternion (b, c, d) = (0, 0, 1): a half turn about z, i.e. diag(-1, -1, 1), from LPS to RAS
		h.putFloat(256, 0);
		h.putFloat(260, 0);
		h.putFloat(264, 1);
		h.putFloat(268, (float) x0);
		h.putFloat(272, (float) y0);
		h.putFloat(276, 0);
		float[][] srow = {{(float) -sp[0], 0, 0, (float) x0}, {0, (float) -sp[1], 0, (float) y0}, {0, 0, (float) sp[2], 0}};
		for (int row = 0; row < 3; row++)
			for (int c = 0; c < 4; c++) h.putFloat(280 + 16 * row + 4 * c, srow[row][c]);
		h.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
		if (v.width() > Short.MAX_VALUE || v.height() > Short.MAX_VALUE || v.depth() > Short.MAX_VALUE)
			throw new IllegalArgumentException("NIfTI-1 cannot hold " + v + " (dimensions above 32767)");
		return h.array();
	}
}
