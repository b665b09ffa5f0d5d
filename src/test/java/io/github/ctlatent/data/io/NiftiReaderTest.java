package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NiftiReaderTest {

	@TempDir
	Path tmp;

	static final int W = 5, H = 4, D = 3;
	static final float[] PIXDIM = {0.5f, 0.75f, 2.5f};

	private static void assertValues(double[] expected, Volume v) {
		assertEquals(W, v.width());
		assertEquals(H, v.height());
		assertEquals(D, v.depth());
		for (int z = 0; z < D; z++)
			for (int y = 0; y < H; y++)
				for (int x = 0; x < W; x++) assertEquals((float) expected[(z * H + y) * W + x], v.get(x, y, z), "at " + x + "," + y + "," + z);
	}

	@TestFactory
	List<DynamicTest> int16InBothByteOrdersPlainAndGzipped() {
		List<DynamicTest> tests = new ArrayList<>();
		for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN))
			for (boolean gz : List.of(false, true))
				tests.add(DynamicTest.dynamicTest(order + (gz ? " .nii.gz" : " .nii"), () -> {
					double[] ramp = Fixtures.ramp(W, H, D);
					byte[] nii = Fixtures.nifti(order, 4, new int[] {W, H, D}, PIXDIM, 0, 0, 352, ramp);
					Path f = Fixtures.write(tmp.resolve("ramp_" + order + (gz ? ".nii.gz" : ".nii")), gz ? Fixtures.gzip(nii) : nii);
					Volume v = VolumeReaders.read(f);
					assertValues(ramp, v);
					assertArrayEquals(new double[] {0.5, 0.75, 2.5}, v.spacing(), 1e-7);
					assertEquals(order.toString(), v.metadata().get("byteOrder"));
					assertEquals("1", v.metadata().get("qformCode"));
					assertEquals("2", v.metadata().get("sformCode"));
					assertTrue(v.metadata().get("srowX").startsWith("0.500000 0.00000 0.00000 -10.0000"), v.metadata().get("srowX"));
					assertFalse(v.isHounsfield(), "NIfTI has no modality");
				}));
		return tests;
	}

	@TestFactory
	List<DynamicTest> datatypesWithSlopeAndIntercept() {
		return List.of(2, 4, 8, 16, 64).stream().map(type -> DynamicTest.dynamicTest(NiftiReader.typeName(type), () -> {
			double[] raw = Fixtures.ramp(W, H, D);
			if (type == 2) for (int i = 0; i < raw.length; i++) raw[i] = (raw[i] + 150) % 256; // uint8 range
			if (type >= 16) for (int i = 0; i < raw.length; i++) raw[i] += 0.25;
			Path f = Fixtures.write(tmp.resolve("t" + type + ".nii"), Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, type, new int[] {W, H, D}, PIXDIM, 2f, -1024f, 352, raw));
			double[] expected = raw.clone();
			for (int i = 0; i < expected.length; i++) expected[i] = raw[i] * 2 - 1024;
			assertValues(expected, VolumeReaders.read(f));
		})).toList();
	}

	@Test
	void slopeZeroMeansUnscaledAndInterceptIsThenIgnored() {
		double[] ramp = Fixtures.ramp(W, H, D);
		Path f = Fixtures.write(tmp.resolve("noscale.nii"), Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {W, H, D}, PIXDIM, 0f, 500f, 352, ramp));
		assertValues(ramp, VolumeReaders.read(f));
	}

	@Test
	void voxOffsetIsHonoured() {
		double[] ramp = Fixtures.ramp(W, H, D);
		byte[] nii = Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {W, H, D}, PIXDIM, 0, 0, 496, ramp);
		for (int i = 352; i < 496; i++) nii[i] = (byte) 0x7F; // an extension's bytes: must not be read as voxels
		assertValues(ramp, VolumeReaders.read(Fixtures.write(tmp.resolve("ext.nii"), nii)));
	}

	@Test
	void twoDimensionalImageIsOneSlice() {
		double[] plane = Fixtures.ramp(W, H, 1);
		Volume v = VolumeReaders.read(Fixtures.write(tmp.resolve("plane.nii"),
			Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 16, new int[] {W, H}, PIXDIM, 1, 0, 352, plane)));
		assertEquals(1, v.depth());
		assertEquals((float) plane[W + 2], v.get(2, 1, 0));
	}

	@Test
	void fourDimensionalFileIsRefusedRatherThanCut() {
		Path f = Fixtures.write(tmp.resolve("fmri.nii"), Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {W, H, D, 2}, PIXDIM, 0, 0, 352,
			new double[W * H * D * 2]));
		ExplorerException e = assertThrows(ExplorerException.class, () -> VolumeReaders.read(f));
		assertTrue(e.getMessage().contains("fmri.nii") && e.getMessage().contains("2 volumes"), e.getMessage());
	}

	@Test
	void hounsfieldOnlyWhenAssumed() {
		Path f = Fixtures.write(tmp.resolve("ct.nii.gz"), Fixtures.gzip(Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {W, H, D}, PIXDIM, 1, -1024, 352,
			Fixtures.ramp(W, H, D))));
		assertThrows(ExplorerException.class, () -> VolumeReaders.read(f, ReadOptions.DEFAULT.requiringHounsfield()));
		assertTrue(VolumeReaders.read(f, ReadOptions.DEFAULT.requiringHounsfield().assumingHounsfield()).isHounsfield());
	}
}
