package io.github.ctlatent.data.io;

import io.github.ctlatent.bench.DicomReadBenchmark;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Volume;
import ij.ImagePlus;
import ij.util.DicomTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class DicomSeriesTest {

	static final Path BRAIN = Fixtures.DICOM.resolve("series-mr-brain");

	/** A slice as ImageJ 1 sees it: its file and its position along the normal, from ImageJ's own tag reader. */
	record Slice(Path file, double position, int instance) {}

	static List<Slice> slicesByImageJ() throws IOException {
		List<Slice> slices = new ArrayList<>();
		try (var files = Files.list(BRAIN)) {
			for (Path f : files.sorted().toList()) {
				ImagePlus imp = ij.IJ.openImage(f.toString());
				double[] p = numbers(DicomTools.getTag(imp, "0020,0032")), o = numbers(DicomTools.getTag(imp, "0020,0037"));
				double[] n = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
				slices.add(new Slice(f, p[0] * n[0] + p[1] * n[1] + p[2] * n[2], Integer.parseInt(DicomTools.getTag(imp, "0020,0013").trim())));
			}
		}
		return slices;
	}

	private static double[] numbers(String s) {
		String[] parts = s.trim().split("\\\\");
		double[] d = new double[parts.length];
		for (int i = 0; i < d.length; i++) d[i] = Double.parseDouble(parts[i].trim());
		return d;
	}

	@Test
	void brainSeriesIsOneVolumeOrderedByPositionWithMedianSpacing() throws IOException {
		List<Volume> series = VolumeReaders.readSeries(BRAIN);
		assertEquals(1, series.size());
		Volume v = series.get(0);
		assertEquals(20, v.depth());
		assertEquals("ImagePositionPatient", v.metadata().get("sliceOrder"));
		List<Slice> expected = slicesByImageJ();
		expected.sort(Comparator.comparingDouble(Slice::position));
		for (int z = 0; z < 20; z++)
			assertArrayEquals(VolumeReaders.read(expected.get(z).file()).plane(0), v.plane(z), "slice " + z);
		double[] gaps = new double[19];
		for (int i = 0; i < 19; i++) gaps[i] = expected.get(i + 1).position() - expected.get(i).position();
		java.util.Arrays.sort(gaps);
		assertEquals((gaps[9] + gaps[10]) / 2, v.spacing()[2], 1e-5); // the cosines are printed to 6 digits
		assertEquals(0.859375, v.spacing()[0], 1e-9);
	}

	@Test
	void orderDoesNotComeFromFileNames(@TempDir Path tmp) throws IOException {
		List<Path> originals = slicesByImageJ().stream().sorted(Comparator.comparingDouble(Slice::position)).map(Slice::file).toList();
		List<Integer> names = new ArrayList<>();
		for (int i = 0; i < originals.size(); i++) names.add(i);
		Collections.shuffle(names, new Random(7));
		for (int i = 0; i < originals.size(); i++)
			Files.copy(originals.get(i), tmp.resolve(String.format("img%03d.dcm", names.get(i))));
		assertNotEquals(List.copyOf(names), names.stream().sorted().toList(), "the shuffle must change the name order");
		Volume shuffled = VolumeReaders.readSeries(tmp).get(0);
		Volume original = VolumeReaders.readSeries(BRAIN).get(0);
		for (int z = 0; z < 20; z++) assertArrayEquals(original.plane(z), shuffled.plane(z));
	}

	@Test
	void withoutPositionsInstanceNumberOrders(@TempDir Path tmp) throws IOException {
		List<Slice> slices = slicesByImageJ();
		for (int i = 0; i < slices.size(); i++) {
			byte[] b = Files.readAllBytes(slices.get(i).file());
			int at = Fixtures.find(b, 0x0020, 0x0032, "DS");
			b[at + 2] = 0x30; // (0020,0032) becomes the retired (0020,0030): no position any more
			Fixtures.write(tmp.resolve("x" + (slices.size() - i) + ".dcm"), b);
		}
		Volume v = VolumeReaders.readSeries(tmp).get(0);
		assertEquals("InstanceNumber", v.metadata().get("sliceOrder"));
		slices.sort(Comparator.comparingInt(Slice::instance));
		for (int z = 0; z < 20; z++) assertArrayEquals(VolumeReaders.read(slices.get(z).file()).plane(0), v.plane(z));
	}

	@Test
	void twoSeriesInOneFolderGiveTwoVolumes(@TempDir Path tmp) throws IOException {
		for (String f : List.of("brain_001.dcm", "brain_002.dcm", "brain_003.dcm")) Files.copy(BRAIN.resolve(f), tmp.resolve(f));
		Files.copy(Fixtures.dicom("CT_small.dcm"), tmp.resolve("ct.dcm"));
		Files.writeString(tmp.resolve("notes.txt"), "not an image");
		List<Volume> series = VolumeReaders.readSeries(tmp);
		assertEquals(List.of(3, 1), series.stream().map(Volume::depth).sorted(Comparator.reverseOrder()).toList());
	}

	@Test
	void lazyScanOpensTheSameVolume() {
		ScanResult r = VolumeReaders.scan(BRAIN, false);
		assertEquals(1, r.volumes().size());
		VolumeSource s = r.volumes().get(0);
		assertEquals("DICOM", s.format());
		assertEquals(20, s.depth());
		assertArrayEquals(VolumeReaders.readSeries(BRAIN).get(0).plane(7), s.open().plane(7));
	}

	@Test
	void movedCopiesOfOneSliceFormASeriesWithFiveMillimetreSpacing(@TempDir Path tmp) {
		byte[] ct = Fixtures.bytes("CT_small.dcm");
		for (int i = 0; i < 5; i++) Fixtures.write(tmp.resolve("s" + (4 - i) + ".dcm"), Fixtures.movedSlice(ct, i));
		Volume v = VolumeReaders.readSeries(tmp).get(0);
		assertEquals(5, v.depth());
		assertEquals(5.0, v.spacing()[2], 1e-9);
		assertTrue(v.metadata().get("imagePositionPatient").endsWith("-75.7"), v.metadata().get("imagePositionPatient"));
		assertEquals("s4.dcm", v.metadata().get("sourceFiles").split(";")[0]);
	}

	@Test
	void readBenchmarkNeedsNothingOutsideTheProject() throws Exception {
		// Maven runs tests from the project folder, where the benchmark finds the fixtures by their relative path
		var rows = new DicomReadBenchmark().run(Monitor.NONE);
		assertEquals(4, rows.size(), rows.toString());
		for (var r : rows) assertTrue(r.value() > 0 && Double.isFinite(r.value()), r.format());
	}
}
