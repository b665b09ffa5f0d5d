package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;
import ij.ImagePlus;
import ij.plugin.DICOM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class DicomReaderTest {

	/** The fixtures' reference values (pydicom + numpy), one line per file. */
	static List<String> referenceLines() throws IOException {
		List<String> lines = new ArrayList<>();
		for (String l : Files.readAllLines(Fixtures.DICOM.resolve("reference_values.txt")))
			if (l.matches("^\\S+\\.dcm: shape=.*")) lines.add(l);
		assertTrue(lines.size() >= 9, "reference lines: " + lines.size());
		return lines;
	}

	private static final Pattern REF = Pattern.compile("(\\S+): shape=\\(([\\d, ]+)\\) stored\\[min=(\\S+) max=(\\S+) mean=(\\S+)\\] "
		+ "rescaled\\[min=(\\S+) max=(\\S+) mean=(\\S+)\\] pixel\\(0,0\\)=(\\S+) pixel\\(center\\)=(\\S+)");

	@TestFactory
	List<DynamicTest> reproducesTheIndependentReferenceValues() throws IOException {
		return referenceLines().stream().map(l -> DynamicTest.dynamicTest(l.substring(0, l.indexOf(':')), () -> reproduces(l))).toList();
	}

	private static void reproduces(String line) {
		Matcher m = REF.matcher(line);
		assertTrue(m.matches(), line);
		Volume v = VolumeReaders.read(Fixtures.dicom(m.group(1)));
		String[] shape = m.group(2).split(",\\s*");
		// numpy order: (frames,) rows, cols
		assertEquals(Integer.parseInt(shape[shape.length - 1]), v.width());
		assertEquals(Integer.parseInt(shape[shape.length - 2]), v.height());
		assertEquals(shape.length == 3 ? Integer.parseInt(shape[0]) : 1, v.depth());
		double[] s = v.stats();
		assertEquals(m.group(6), fmt(s[0]), "rescaled min");
		assertEquals(m.group(7), fmt(s[1]), "rescaled max");
		assertEquals(m.group(8), fmt(s[2]), "rescaled mean");
		double slope = Double.parseDouble(v.metadata().get("rescaleSlope")), intercept = Double.parseDouble(v.metadata().get("rescaleIntercept"));
		assertEquals(m.group(3), fmt((s[0] - intercept) / slope), "stored min");
		assertEquals(m.group(5), fmt((s[2] - intercept) / slope), "stored mean");
		assertEquals(Double.parseDouble(m.group(9)), v.get(0, 0, 0), "pixel(0,0)");
		// numpy's centre index is every dimension // 2: (rows//2, cols//2), and frames//2 for the multi-frame file
		assertEquals(Double.parseDouble(m.group(10)), v.get(v.width() / 2, v.height() / 2, v.depth() / 2), "pixel(center)");
	}

	private static String fmt(double d) {
		String s = String.format(Locale.ROOT, "%.4f", d);
		return s.endsWith(".0000") ? s.substring(0, s.length() - 5) : s; // the reference file prints integers plainly
	}

	@Test
	void ctIsHounsfieldAndCarriesItsMetadata() {
		Volume ct = VolumeReaders.read(Fixtures.dicom("chest_ct_512_rle.dcm"));
		assertTrue(ct.isHounsfield());
		assertEquals("CT", ct.metadata().get("modality"));
		assertEquals("-1024", ct.metadata().get("rescaleIntercept"));
		assertTrue(ct.metadata().get("transferSyntax").startsWith("1.2.840.10008.1.2.5 "));
		assertFalse(ct.metadata().get("seriesInstanceUID").isEmpty());
		assertEquals(0.661468, ct.spacing()[0], 1e-9);
		assertFalse(VolumeReaders.read(Fixtures.dicom("MR_small.dcm")).isHounsfield());
	}

	@TestFactory
	List<DynamicTest> everyEncodingOfTheSameSliceGivesIdenticalPixels() {
		return each(List.of("MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"), DicomReaderTest::sameAsExplicit);
	}

	static List<DynamicTest> each(List<String> names, java.util.function.Consumer<String> test) {
		return names.stream().map(n -> DynamicTest.dynamicTest(n, () -> test.accept(n))).toList();
	}

	private static void sameAsExplicit(String encoding) {
		Volume reference = VolumeReaders.read(Fixtures.dicom("MR_small.dcm"));
		assertArrayEquals(reference.plane(0), VolumeReaders.read(Fixtures.dicom(encoding)).plane(0));
	}

	@Test
	void theBigEndianFileIsASliceOfTheBrainSeries() {
		// explicit_big.dcm carries the SOPInstanceUID of brain_013.dcm: same image, other byte order
		assertArrayEquals(VolumeReaders.read(Fixtures.dicom("series-mr-brain/brain_013.dcm")).plane(0),
			VolumeReaders.read(Fixtures.dicom("explicit_big.dcm")).plane(0));
	}

	@Test
	void deflatedFileInflatesToA512SquareTestPattern() {
		Volume v = VolumeReaders.read(Fixtures.dicom("deflated.dcm"));
		assertEquals(512, v.width());
		assertEquals(512, v.height());
		double[] s = v.stats();
		assertEquals(0, s[0]);
		assertEquals(255, s[1]);
		assertTrue(v.metadata().get("transferSyntax").contains("deflated"));
	}

	/** Where ImageJ 1 reads a syntax, our reader must agree with it value for value (an independent check). */
	@TestFactory
	List<DynamicTest> agreesWithImageJ1WhereImageJ1ReadsTheFile() {
		return each(List.of("CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "explicit_big.dcm",
			"implicit_little.dcm", "explicit_little.dcm"), DicomReaderTest::agreesWithImageJ1);
	}

	private static void agreesWithImageJ1(String name) {
		DICOM ij = new DICOM();
		ij.open(Fixtures.dicom(name).toString());
		Volume theirs = VolumeReaders.fromImagePlus(ij);
		Volume ours = VolumeReaders.read(Fixtures.dicom(name));
		assertEquals(ours.depth(), theirs.depth());
		for (int z = 0; z < ours.depth(); z++) assertArrayEquals(ours.plane(z), theirs.plane(z), name + " plane " + z);
		assertEquals(ours.isHounsfield(), theirs.isHounsfield(), "HU from ImageJ's info text");
		assertEquals(ours.spacing()[0], theirs.spacing()[0], 1e-6);
		assertEquals(ours.spacing()[1], theirs.spacing()[1], 1e-6);
		// for a multi-frame file ImageJ leaves z at 1; we take SpacingBetweenSlices / SliceThickness
		if (ours.depth() == 1) assertEquals(ours.spacing()[2], theirs.spacing()[2], 1e-6);
	}

	@TestFactory
	List<DynamicTest> imageJ1CannotReadTheseWhichIsWhyTheParserIsOurOwn() {
		return each(List.of("MR_small_RLE.dcm", "chest_ct_512_rle.dcm", "deflated.dcm", "jpeg_lossless_sel1.dcm"), DicomReaderTest::imageJ1Fails);
	}

	private static void imageJ1Fails(String name) {
		ImagePlus imp;
		try {
			DICOM d = new DICOM();
			d.open(Fixtures.dicom(name).toString());
			imp = d.getWidth() == 0 ? null : d;
		} catch (RuntimeException e) {
			imp = null;
		}
		assertNull(imp, "ImageJ 1 now reads " + name + ": reconsider using it (see DicomParser's comment)");
	}

	@Test
	void jpegLosslessIsRefusedWithTheSyntaxAndAConversionHint() {
		ExplorerException e = assertThrows(ExplorerException.class, () -> VolumeReaders.read(Fixtures.dicom("jpeg_lossless_sel1.dcm")));
		assertTrue(e.getMessage().contains("unsupported transfer syntax 1.2.840.10008.1.2.4.70 (JPEG lossless"), e.getMessage());
		assertTrue(e.getMessage().contains("jpeg_lossless_sel1.dcm"));
		assertTrue(e.getMessage().contains("dcmdjpeg or gdcmconv --raw"));
	}

	@Test
	void formatIsToldByContentNotByName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
		var renamed = Fixtures.write(tmp.resolve("slice.tif"), Fixtures.bytes("CT_small.dcm"));
		assertEquals(VolumeFormat.DICOM, VolumeFormat.detect(renamed));
		assertEquals(-849f, VolumeReaders.read(renamed).get(0, 0, 0));
	}
}
