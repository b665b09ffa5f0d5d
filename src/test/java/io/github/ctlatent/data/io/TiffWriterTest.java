package io.github.ctlatent.data.io;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;
import io.github.ctlatent.data.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TiffWriterTest {

	@Test
	void floatStackWithCalibrationAndMetadata(@TempDir Path dir) throws Exception {
		Volume v = DicomWriterTest.huVolume("t");
		v.metadata().put("phantom.fat", "12.5");
		Path file = dir.resolve("v.tif");
		TiffWriter.write(v, file);
		ImagePlus imp = IJ.openImage(file.toString());
		assertEquals(v.depth(), imp.getStackSize());
		assertEquals(ImagePlus.GRAY32, imp.getType());
		for (int k = 0; k < v.depth(); k++) {
			ImageProcessor ip = imp.getStack().getProcessor(k + 1);
			assertArrayEquals(v.plane(k), (float[]) ip.getPixels());
		}
		// TIFF stores the pixel size as a resolution rational: kept to about 1e-6 relative
		assertEquals(0.75, imp.getCalibration().pixelWidth, 1e-5);
		assertEquals(0.8, imp.getCalibration().pixelHeight, 1e-5);
		assertEquals(2.5, imp.getCalibration().pixelDepth, 1e-9);
		assertEquals("mm", imp.getCalibration().getUnit());
		assertTrue(String.valueOf(imp.getProperty("Info")).contains("phantom.fat: 12.5"));
		try (var s = Files.list(dir)) {
			assertEquals(1, s.count(), "no temporary file left");
		}
	}

	@Test
	void singleSliceVolume(@TempDir Path dir) {
		Volume v = new Volume("one", 5, 4, new float[][] {new float[20]}, new double[] {1, 1, 1}, false, Map.of());
		TiffWriter.write(v, dir.resolve("one.tif"));
		assertEquals(5, IJ.openImage(dir.resolve("one.tif").toString()).getWidth());
	}
}
