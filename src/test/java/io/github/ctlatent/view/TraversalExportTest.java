package io.github.ctlatent.view;

import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.picture.Window;
import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.testing.ToyGenerator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TraversalExportTest {

	static ToyGenerator g;
	@TempDir
	Path dir;

	@BeforeAll
	static void generator() {
		g = new ToyGenerator(4, 16, 3);
	}

	@AfterAll
	static void close() {
		g.close();
	}

	private static TraversalVolume walk(int frames) {
		float[][] axes = new float[4][4];
		for (int i = 0; i < 4; i++) axes[i][i] = 1;
		return Traversal.walk(g, Directions.of(axes), new int[] {1, 3}, Traversal.seedLatent(4, 9), new Traversal.Range(6, frames), Monitor.NONE);
	}

	@Test
	void framesWalkFromMinusToPlusRadiusAndTheCentreIsTheBase() {
		TraversalVolume v = walk(7);
		assertArrayEquals(new double[] {-6, -4, -2, 0, 2, 4, 6}, v.shifts(0), 1e-12);
		// the base image itself (a walk along a zero direction is refused as constant)
		assertArrayEquals(g.images(Traversal.seedLatent(4, 9))[0], v.plane(0, 3), 1e-6f);
		assertFalse(java.util.Arrays.equals(v.plane(0, 0), v.plane(0, 6)));
	}

	@Test
	void imgLib2AndImageJViewsShareThePlanes() {
		TraversalVolume v = walk(5);
		assertArrayEquals(new long[] {16, 16, 5, 2}, v.img().dimensionsAsLongArray());
		v.plane(1, 2)[17] = 42f;
		RandomAccess<FloatType> ra = v.img().randomAccess();
		ra.setPosition(new long[] {1, 1, 2, 1});
		assertEquals(42f, ra.get().get());
		ImagePlus imp = v.imagePlus("t", false);
		assertEquals(2, imp.getNChannels());
		assertEquals(5, imp.getNSlices());
		imp.setPosition(2, 3, 1);
		assertEquals(42f, imp.getProcessor().getf(1, 1));
		assertEquals(3.0, imp.getCalibration().pixelDepth, 1e-12); // 12 shift units over 4 steps
	}

	@Test
	void hounsfieldMappingUsesTheDatasetCard() {
		TraversalVolume v = walk(3);
		float before = v.plane(0, 0)[0];
		v.toHounsfield(Preprocessing.cpuDefault(), 5.5);
		assertEquals(Preprocessing.cpuDefault().toHounsfield(before), v.plane(0, 0)[0], 1e-2);
		assertEquals("HU", v.valueUnit());
		assertEquals(5.5, v.imagePlus("t", true).getCalibration().pixelWidth, 1e-12);
	}

	@Test
	void resliceShowsShiftAsAnAxis() {
		TraversalVolume v = walk(5);
		assertEquals(v.plane(1, 4)[7 * 16 + 3], Reslice.xShift(v, 1, 7).getf(3, 4));
		assertEquals(v.plane(0, 2)[9 * 16 + 5], Reslice.yShift(v, 0, 5).getf(2, 9));
	}

	@Test
	void n5AndBdvXmlFollowTheFormatAndReadBack() throws Exception {
		TraversalVolume v = walk(70).toHounsfield(Preprocessing.cpuDefault(), 0.8); // more frames than one 64³ block: a truncated border block
		Path xml = Exports.bdv(v, dir, "walk", 2.0, Window.MEDIASTINUM);
		Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
		assertEquals("bdv.n5", ((org.w3c.dom.Element) doc.getElementsByTagName("ImageLoader").item(0)).getAttribute("format"));
		assertEquals("walk.n5", doc.getElementsByTagName("n5").item(0).getTextContent());
		assertEquals(2, doc.getElementsByTagName("ViewSetup").getLength());
		assertEquals("16 16 70", doc.getElementsByTagName("size").item(0).getTextContent());
		Path n5 = dir.resolve("walk.n5");
		assertTrue(Files.readString(n5.resolve("setup1/attributes.json")).contains("\"downsamplingFactors\":[[1,1,1]]"));
		String attrs = Files.readString(n5.resolve("setup1/timepoint0/s0/attributes.json"));
		assertTrue(attrs.contains("\"dimensions\":[16,16,70]") && attrs.contains("\"dataType\":\"float32\"") && attrs.contains("\"type\":\"raw\""), attrs);
		assertTrue(attrs.contains("\"downsamplingFactors\":[1,1,1]"), attrs); // as BDV's own writer: other N5 tools read it
		String timepoint = Files.readString(n5.resolve("setup1/timepoint0/attributes.json"));
		assertTrue(timepoint.contains("\"multiScale\":true") && timepoint.contains("\"resolution\":[0.8,0.8,2.0]"), timepoint);
		float[] read = readN5Voxel(n5.resolve("setup1/timepoint0/s0"), 5, 9, 66);
		assertEquals(v.plane(1, 66)[9 * 16 + 5], read[0]);
	}

	@Test
	void bdvSettingsOpenTheWalkInTheChosenWindow() throws Exception {
		TraversalVolume v = walk(5).toHounsfield(Preprocessing.cpuDefault(), 1);
		Exports.bdv(v, dir, "walk", 1.0, Window.LUNG);
		Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("walk.settings.xml").toFile());
		org.w3c.dom.NodeList setups = doc.getElementsByTagName("ConverterSetup");
		assertEquals(2, setups.getLength());
		for (int j = 0; j < 2; j++) {
			org.w3c.dom.Element e = (org.w3c.dom.Element) setups.item(j);
			assertEquals(String.valueOf(j), e.getElementsByTagName("id").item(0).getTextContent());
			assertEquals(-1350.0, Double.parseDouble(e.getElementsByTagName("min").item(0).getTextContent()));
			assertEquals(150.0, Double.parseDouble(e.getElementsByTagName("max").item(0).getTextContent()));
		}
		org.w3c.dom.Element group = (org.w3c.dom.Element) doc.getElementsByTagName("MinMaxGroup").item(1);
		double rangeMin = Double.parseDouble(group.getElementsByTagName("rangeMin").item(0).getTextContent());
		double currentMin = Double.parseDouble(group.getElementsByTagName("currentMin").item(0).getTextContent());
		assertTrue(rangeMin <= currentMin && currentMin == -1350.0, rangeMin + " " + currentMin);
		// BDV restores one <Source> per source, all 10 default groups and one manual transform per source
		assertEquals(2, ((org.w3c.dom.Element) doc.getElementsByTagName("Sources").item(0)).getElementsByTagName("Source").getLength());
		assertEquals(10, doc.getElementsByTagName("SourceGroup").getLength());
		assertEquals(2, doc.getElementsByTagName("SourceTransform").getLength());
		// model-unit walks get the model's range, not a CT window
		Exports.bdv(walk(5), dir, "raw", 1.0, Window.LUNG);
		assertTrue(Files.readString(dir.resolve("raw.settings.xml")).contains("<min>-1.0</min>"));
	}

	/** An independent reader of one voxel, following the N5 spec (block grid path, header, big-endian data). */
	private static float[] readN5Voxel(Path ds, int x, int y, int z) throws Exception {
		int b = 64;
		Path block = ds.resolve(String.valueOf(x / b)).resolve(String.valueOf(y / b)).resolve(String.valueOf(z / b));
		try (DataInputStream in = new DataInputStream(Files.newInputStream(block))) {
			assertEquals(0, in.readShort());
			assertEquals(3, in.readShort());
			int bx = in.readInt(), by = in.readInt(), bz = in.readInt();
			assertEquals(70 - 64, bz);
			int lx = x % b, ly = y % b, lz = z % b;
			in.skipBytes(4 * ((lz * by + ly) * bx + lx));
			return new float[] {in.readFloat()};
		}
	}

	@Test
	void tiffPngAndGifAreWrittenAndReadBackByImageJ() {
		TraversalVolume v = walk(7).toHounsfield(Preprocessing.cpuDefault(), 2);
		ImagePlus tif = IJ.openImage(Exports.tiff(v, dir.resolve("walk.tif")).toString());
		assertEquals(2, tif.getNChannels());
		assertEquals(7, tif.getNSlices());
		assertEquals(2.0, tif.getCalibration().pixelWidth, 1e-9);
		ImagePlus png = IJ.openImage(WalkPictures.png(v, Window.LUNG, dir.resolve("walk.png")).toString());
		assertTrue(png.getWidth() > 7 * 16 && png.getHeight() > 2 * 16);
		ImagePlus gif = IJ.openImage(WalkPictures.gif(v, 0, Window.LUNG, 50, dir.resolve("walk.gif")).toString());
		assertEquals(12, gif.getStackSize()); // 7 forward + 5 back (turning frames not repeated)
		List<String> leftovers = new ArrayList<>();
		for (String f : dir.toFile().list()) if (f.startsWith(".")) leftovers.add(f);
		assertEquals(List.of(), leftovers);
	}

	@Test
	void bdvBridgeBuildsOneCalibratedSourcePerDirectionAndRefusesHeadless() {
		TraversalVolume v = walk(5).toHounsfield(Preprocessing.cpuDefault(), 0.7);
		List<BdvBridge.Source> s = BdvBridge.sources(v, 1.5, Window.MEDIASTINUM);
		assertEquals(2, s.size());
		assertEquals("direction 3", s.get(1).name());
		assertArrayEquals(new double[] {0.7, 0.7, 1.5}, s.get(1).calibration());
		assertArrayEquals(new long[] {16, 16, 5}, s.get(1).rai().dimensionsAsLongArray());
		assertEquals("mm", s.get(1).unit());
		assertArrayEquals(new double[] {-125, 225}, s.get(1).displayRange(), 1e-9);
		if (java.awt.GraphicsEnvironment.isHeadless()) {
			ExplorerException e = assertThrows(ExplorerException.class, () -> BdvBridge.show(s, "t", new RecordingBdv()));
			assertTrue(e.getMessage().contains("headless"), e.getMessage());
		}
	}
}
