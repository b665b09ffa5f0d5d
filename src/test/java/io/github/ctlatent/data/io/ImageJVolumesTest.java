package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.io.IOService;

import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** TIFF and other ImageJ 1 formats, open images, ImgLib2 images, and the SciJava IOService route. */
class ImageJVolumesTest {

	@TempDir
	Path tmp;

	private static ImagePlus stack16(int w, int h, int d) {
		ImageStack st = new ImageStack(w, h);
		for (int z = 0; z < d; z++) {
			short[] px = new short[w * h];
			for (int i = 0; i < px.length; i++) px[i] = (short) (i + 1000 * z);
			st.addSlice(new ShortProcessor(w, h, px, null));
		}
		ImagePlus imp = new ImagePlus("stack", st);
		imp.getCalibration().pixelWidth = 0.5;
		imp.getCalibration().pixelHeight = 0.5;
		imp.getCalibration().pixelDepth = 0.2;
		imp.getCalibration().setUnit("cm");
		return imp;
	}

	@Test
	void tiffStackBecomesAVolumeWithSpacingInMm() {
		Path f = tmp.resolve("stack.tif");
		assertTrue(new FileSaver(stack16(7, 5, 4)).saveAsTiffStack(f.toString()));
		Volume v = VolumeReaders.read(f);
		assertEquals(4, v.depth());
		assertEquals(7 * 2 + 3 + 3000, v.get(3, 2, 3));
		assertArrayEquals(new double[] {5, 5, 2}, v.spacing(), 1e-9);
		assertFalse(v.isHounsfield());
	}

	@Test
	void floatTiffInHounsfieldUnitsIsHounsfield() {
		float[] px = {-1000, 0, 40, 1200};
		ImagePlus imp = new ImagePlus("hu", new FloatProcessor(2, 2, px));
		imp.getCalibration().setValueUnit("HU");
		Path f = tmp.resolve("hu.tif");
		assertTrue(new FileSaver(imp).saveAsTiff(f.toString()));
		Volume v = VolumeReaders.read(f, ReadOptions.DEFAULT.requiringHounsfield());
		assertTrue(v.isHounsfield());
		assertArrayEquals(px, v.plane(0));
	}

	@Test
	void pngGoesThroughImageJ() {
		Path f = tmp.resolve("slice.png");
		ImagePlus imp = new ImagePlus("p", new ij.process.ByteProcessor(6, 3));
		imp.getProcessor().set(4, 1, 77);
		assertTrue(new FileSaver(imp).saveAsPng(f.toString()));
		assertEquals(77, VolumeReaders.read(f).get(4, 1, 0));
	}

	@Test
	void openImageKeepsItsCalibratedValues() {
		ImagePlus imp = stack16(4, 4, 2);
		imp.getCalibration().setFunction(ij.measure.Calibration.STRAIGHT_LINE, new double[] {-1024, 1}, "HU");
		Volume v = VolumeReaders.fromImagePlus(imp);
		assertEquals(5 + 1000 - 1024, v.get(1, 1, 1));
		assertTrue(v.isHounsfield());
	}

	@Test
	void colourAndHyperstacksAreRefusedClearly() {
		ExplorerException rgb = assertThrows(ExplorerException.class, () -> VolumeReaders.fromImagePlus(new ImagePlus("photo", new ColorProcessor(3, 3))));
		assertTrue(rgb.getMessage().contains("photo") && rgb.getMessage().contains("RGB"));
		ImagePlus hyper = stack16(3, 3, 4);
		hyper.setDimensions(2, 2, 1);
		assertThrows(ExplorerException.class, () -> VolumeReaders.fromImagePlus(hyper));
	}

	@Test
	void imgLib2ImageBecomesAVolume() {
		var img = ArrayImgs.floats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
		Volume v = VolumeReaders.fromImg(img, "img", ReadOptions.DEFAULT);
		assertEquals(7f, v.get(0, 1, 1));
		assertEquals(2, v.depth());
	}

	/** Stands in for a SCIFIO Dataset whose calibration lookup breaks (averageScale throws for the z axis). */
	public static final class BrokenCalibration extends net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.real.FloatType, net.imglib2.img.basictypeaccess.array.FloatArray> {
		BrokenCalibration() {
			super(new net.imglib2.img.basictypeaccess.array.FloatArray(8), new long[] {2, 2, 2}, new net.imglib2.util.Fraction());
			setLinkedType(new net.imglib2.type.numeric.real.FloatType(this));
		}

		public double averageScale(int d) {
			if (d == 2) throw new IllegalStateException("no z calibration");
			return 0.7;
		}
	}

	@Test
	void aBrokenCalibrationLookupIsRecordedNotSilentlyLost() {
		Volume v = VolumeReaders.fromImg(new BrokenCalibration(), "img", ReadOptions.DEFAULT);
		assertArrayEquals(new double[] {0.7, 0.7, 1}, v.spacing());
		assertTrue(v.metadata().get("spacingWarning").contains("axis 2") && v.metadata().get("spacingWarning").contains("no z calibration"),
			v.metadata().toString());
		assertNull(VolumeReaders.fromImg(ArrayImgs.floats(2, 2, 2), "plain", ReadOptions.DEFAULT).metadata().get("spacingWarning"));
	}

	@Test
	void ioServiceOpensDicomAndNiftiAsOurVolume() throws Exception {
		Path nii = Fixtures.write(tmp.resolve("v.nii"), Fixtures.nifti(ByteOrder.BIG_ENDIAN, 4, new int[] {3, 2, 2}, new float[] {1, 1, 1}, 0, 0, 352,
			Fixtures.ramp(3, 2, 2)));
		try (Context context = new Context(IOService.class)) {
			IOService io = context.service(IOService.class);
			Object dicom = io.open(Fixtures.dicom("CT_small.dcm").toAbsolutePath().toString());
			assertInstanceOf(Volume.class, dicom);
			assertEquals(-849f, ((Volume) dicom).get(0, 0, 0));
			assertInstanceOf(Volume.class, io.open(nii.toString()));
			assertEquals(20, ((Volume) io.open(DicomSeriesTest.BRAIN.toAbsolutePath().toString())).depth());
		}
	}

	@Test
	void volumeViewRoundTripsThroughFromImagePlus() {
		Volume v = VolumeReaders.read(Fixtures.dicom("CT_small.dcm"));
		ImagePlus view = v.imagePlus();
		assertEquals("HU", view.getCalibration().getValueUnit());
		assertArrayEquals(v.plane(0), VolumeReaders.fromImagePlus(view).plane(0));
	}
}
