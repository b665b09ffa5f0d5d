package io.github.ctlatent.data.io;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.data.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomWriterTest {

	static final int W = 24, H = 16, D = 3;

	/** A small HU volume with a ramp, fractional values and extremes. */
	static Volume huVolume(String name) {
		float[][] planes = new float[D][W * H];
		for (int k = 0; k < D; k++)
			for (int i = 0; i < W * H; i++) planes[k][i] = -1000 + 9.3f * i + 100 * k;
		planes[0][0] = -1024.4f;
		planes[0][1] = 3071.6f;
		return new Volume(name, W, H, planes, new double[] {0.75, 0.8, 2.5}, true, Map.of());
	}

	/** Minimal explicit-VR-little-endian parser: tag (group << 16 | element) -> [VR, value bytes]. */
	static Map<Integer, Object[]> parse(byte[] f) {
		assertTrue(Arrays.equals(new byte[128], Arrays.copyOf(f, 128)), "zero preamble");
		assertEquals("DICM", new String(f, 128, 4, StandardCharsets.US_ASCII));
		ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
		b.position(132);
		Map<Integer, Object[]> m = new LinkedHashMap<>();
		while (b.hasRemaining()) {
			int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
			String vr = "" + (char) b.get() + (char) b.get();
			int len;
			if (Set.of("OB", "OW", "SQ", "UN", "UT").contains(vr)) {
				b.getShort();
				len = b.getInt();
			} else len = b.getShort() & 0xFFFF;
			assertEquals(0, len % 2, "even length of " + Integer.toHexString(tag));
			byte[] v = new byte[len];
			b.get(v);
			m.put(tag, new Object[] {vr, v});
		}
		return m;
	}

	static String str(Map<Integer, Object[]> m, int tag) {
		return new String((byte[]) m.get(tag)[1], StandardCharsets.ISO_8859_1).replace("\0", "").trim();
	}

	static int us(Map<Integer, Object[]> m, int tag) {
		byte[] v = (byte[]) m.get(tag)[1];
		return (v[0] & 0xFF) | (v[1] & 0xFF) << 8;
	}

	@Test
	void writesOnePart10FilePerSliceWithCtTags(@TempDir Path dir) throws IOException {
		Volume v = huVolume("ramp");
		List<Path> files = DicomWriter.writeSeries(v, dir.resolve("series"));
		assertEquals(List.of("slice_000.dcm", "slice_001.dcm", "slice_002.dcm"), files.stream().map(p -> p.getFileName().toString()).toList());
		String series = null;
		for (int k = 0; k < D; k++) {
			Map<Integer, Object[]> m = parse(Files.readAllBytes(files.get(k)));
			int metaLength = ByteBuffer.wrap((byte[]) m.get(0x00020000)[1]).order(ByteOrder.LITTLE_ENDIAN).getInt();
			int metaBytes = 0;
			for (Map.Entry<Integer, Object[]> e : m.entrySet())
				if (e.getKey() >>> 16 == 2 && e.getKey() != 0x00020000) metaBytes += 8 + (Set.of("OB").contains(e.getValue()[0]) ? 4 : 0) + ((byte[]) e.getValue()[1]).length;
			assertEquals(metaBytes, metaLength, "file meta group length");
			assertEquals("1.2.840.10008.5.1.4.1.1.2", str(m, 0x00020002));
			assertEquals("1.2.840.10008.1.2.1", str(m, 0x00020010));
			assertEquals(str(m, 0x00020003), str(m, 0x00080018), "media storage = SOP instance UID");
			assertEquals("1.2.840.10008.5.1.4.1.1.2", str(m, 0x00080016));
			for (int uid : new int[] {0x00080018, 0x0020000D, 0x0020000E, 0x00200052}) {
				assertTrue(str(m, uid).matches("2\\.25\\.(0|[1-9][0-9]*)") && str(m, uid).length() <= 64, str(m, uid));
				assertEquals("UI", m.get(uid)[0]);
			}
			if (series == null) series = str(m, 0x0020000E);
			assertEquals(series, str(m, 0x0020000E), "one series");
			assertEquals("CT", str(m, 0x00080060));
			assertEquals(H, us(m, 0x00280010));
			assertEquals(W, us(m, 0x00280011));
			assertEquals(1, us(m, 0x00280002));
			assertEquals("MONOCHROME2", str(m, 0x00280004));
			assertEquals(16, us(m, 0x00280100));
			assertEquals(15, us(m, 0x00280102));
			assertEquals(1, us(m, 0x00280103));
			assertEquals("0.8\\0.75", str(m, 0x00280030), "row spacing \\ column spacing");
			assertEquals("1\\0\\0\\0\\1\\0", str(m, 0x00200037));
			assertEquals(k * 2.5, Double.parseDouble(str(m, 0x00200032).split("\\\\")[2]), 1e-9);
			assertEquals(String.valueOf(k + 1), str(m, 0x00200013));
			double slope = Double.parseDouble(str(m, 0x00281053)), intercept = Double.parseDouble(str(m, 0x00281052));
			assertEquals(1, slope);
			assertEquals(-1024, intercept);
			Object[] pixels = m.get(0x7FE00010);
			assertEquals("OW", pixels[0]);
			ByteBuffer px = ByteBuffer.wrap((byte[]) pixels[1]).order(ByteOrder.LITTLE_ENDIAN);
			assertEquals(W * H * 2, px.capacity());
			for (int i = 0; i < W * H; i++)
				assertEquals(Math.round(v.plane(k)[i]), px.getShort(2 * i) * slope + intercept, 1e-9, "voxel " + i);
		}
	}

	@Test
	void imageJOpensTheFilesWithHounsfieldCalibration(@TempDir Path dir) {
		Volume v = huVolume("ij");
		List<Path> files = DicomWriter.writeSeries(v, dir);
		ImagePlus imp = IJ.openImage(files.get(1).toString());
		assertEquals(W, imp.getWidth());
		assertEquals(H, imp.getHeight());
		assertEquals(0.75, imp.getCalibration().pixelWidth, 1e-9);
		assertEquals(0.8, imp.getCalibration().pixelHeight, 1e-9);
		for (int i : new int[] {0, 17, W * H - 1})
			assertEquals(Math.round(v.plane(1)[i]), imp.getCalibration().getCValue(imp.getProcessor().get(i % W, i / W)), 1e-6);
	}

	@Test
	void nonHounsfieldFloatsUseASlopeThatKeepsPrecision(@TempDir Path dir) throws IOException {
		float[] p = new float[W * H];
		for (int i = 0; i < p.length; i++) p[i] = (float) Math.sin(i * 0.1);
		Volume v = new Volume("unit", W, H, new float[][] {p}, new double[] {1, 1, 1}, false, Map.of());
		Map<Integer, Object[]> m = parse(Files.readAllBytes(DicomWriter.writeSeries(v, dir).get(0)));
		double slope = Double.parseDouble(str(m, 0x00281053)), intercept = Double.parseDouble(str(m, 0x00281052));
		ByteBuffer px = ByteBuffer.wrap((byte[]) m.get(0x7FE00010)[1]).order(ByteOrder.LITTLE_ENDIAN);
		assertTrue(slope < 1e-4, "slope " + slope);
		for (int i = 0; i < p.length; i++) assertEquals(p[i], px.getShort(2 * i) * slope + intercept, slope);
	}

	@Test
	void sameVolumeGivesIdenticalFilesOtherVolumeAnotherSeries(@TempDir Path dir) throws IOException {
		Path a = DicomWriter.writeSeries(huVolume("x"), dir.resolve("a")).get(0);
		Path b = DicomWriter.writeSeries(huVolume("x"), dir.resolve("b")).get(0);
		Path c = DicomWriter.writeSeries(huVolume("y"), dir.resolve("c")).get(0);
		assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
		assertNotEquals(str(parse(Files.readAllBytes(a)), 0x0020000E), str(parse(Files.readAllBytes(c)), 0x0020000E));
	}

	@Test
	void decimalStringsFitSixteenCharacters() {
		for (double x : new double[] {-1024, 0, 1.0 / 3, -123456.789012345, 1e-9, 3.6e12, 460.0 / 128})
			assertTrue(DicomWriter.ds(x).length() <= 16 && Math.abs(Double.parseDouble(DicomWriter.ds(x)) - x) <= 1e-9 * Math.max(1, Math.abs(x)) * 1e4,
				x + " -> " + DicomWriter.ds(x));
		assertEquals("-1024", DicomWriter.ds(-1024));
		assertEquals("3.59375", DicomWriter.ds(460.0 / 128));
	}
}
