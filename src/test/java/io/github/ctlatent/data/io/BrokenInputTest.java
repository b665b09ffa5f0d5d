package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The broken-input corpus: every damaged, truncated, absurd or unsupported input, built from the real fixtures,
 * must give one {@link ExplorerException} that names the file and says what is wrong.
 */
class BrokenInputTest {

	@TempDir
	Path tmp;

	enum Action { READ, READ_SERIES, SCAN, READ_HU }

	/** A broken input: how to build it in a folder, how to read it, and a phrase the message must contain. */
	record Case(String name, Function<Path, Path> build, Action action, String phrase) {}

	static Path put(Path dir, String name, byte[] content) {
		return Fixtures.write(dir.resolve(name), content);
	}

	static byte[] cut(byte[] b, int n) {
		return Arrays.copyOf(b, n);
	}

	static byte[] ct() {
		return Fixtures.bytes("CT_small.dcm");
	}

	static byte[] nifti(int type, double[] values) {
		return Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, type, new int[] {4, 3, 2}, new float[] {1, 1, 1}, 0, 0, 352, values);
	}

	static byte[] goodNifti() {
		return nifti(4, Fixtures.ramp(4, 3, 2));
	}

	static byte[] withInt(byte[] b, int at, int value) {
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
		return b;
	}

	static byte[] withShort(byte[] b, int at, int value) {
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
		return b;
	}

	/** Offset of the RLE header of the first frame: after the pixel data element, the offset table item, the item tag. */
	static int rleHeader(byte[] b) {
		int at = Fixtures.find(b, 0x7FE0, 0x0010, "OB") + 12;
		int bot = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4);
		return at + 8 + bot + 8;
	}

	static List<Case> corpus() {
		return List.of(
			new Case("truncated_in_meta.dcm", d -> put(d, "truncated_in_meta.dcm", cut(ct(), 150)), Action.READ, "cut short"),
			new Case("truncated_in_header.dcm", d -> put(d, "truncated_in_header.dcm", cut(ct(), 700)), Action.READ, "cut short"),
			new Case("truncated_in_pixels.dcm", d -> put(d, "truncated_in_pixels.dcm", cut(ct(), ct().length - 1000)), Action.READ, "pixel data are cut short"),
			new Case("truncated_rle.dcm", d -> {
				byte[] b = Fixtures.bytes("chest_ct_512_rle.dcm");
				return put(d, "truncated_rle.dcm", cut(b, b.length / 2));
			}, Action.READ, "cut short"),
			new Case("wrong_magic.dcm", d -> {
				byte[] b = ct();
				b[131] = 'X';
				return put(d, "wrong_magic.dcm", b);
			}, Action.READ, "no 'DICM' marker"),
			new Case("empty.dcm", d -> put(d, "empty.dcm", new byte[0]), Action.READ, "empty"),
			new Case("absurd_dimensions.dcm", d -> put(d, "absurd_dimensions.dcm",
				Fixtures.setUS(Fixtures.setUS(ct(), 0x0028, 0x0010, 65535), 0x0028, 0x0011, 65535)), Action.READ, "65535 rows × 65535 columns"),
			new Case("absurd_frames.dcm", d -> put(d, "absurd_frames.dcm",
				Fixtures.replace(Fixtures.bytes("explicit_little.dcm"), 0x0028, 0x0008, "IS", "1000000")), Action.READ, "1000000 frames"),
			new Case("pixels_shorter_than_image.dcm", d -> {
				byte[] b = ct();
				int at = Fixtures.find(b, 0x7FE0, 0x0010, "OW");
				return put(d, "pixels_shorter_than_image.dcm", cut(withInt(b, at + 8, 1000), at + 12 + 1000));
			}, Action.READ, "pixel data hold 1000 bytes"),
			new Case("bits_allocated_12.dcm", d -> put(d, "bits_allocated_12.dcm", Fixtures.setUS(ct(), 0x0028, 0x0100, 12)), Action.READ, "BitsAllocated 12"),
			new Case("colour.dcm", d -> put(d, "colour.dcm", Fixtures.setUS(ct(), 0x0028, 0x0002, 3)), Action.READ, "colour"),
			new Case("MR_odd_size.dcm", d -> {
				Path series = d.resolve("mixed_series");
				try {
					Files.createDirectories(series);
					for (String f : List.of("brain_001.dcm", "brain_002.dcm")) Files.copy(DicomSeriesTest.BRAIN.resolve(f), series.resolve(f));
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
				String uid = VolumeReaders.read(DicomSeriesTest.BRAIN.resolve("brain_001.dcm")).metadata().get("seriesInstanceUID");
				put(series, "MR_odd_size.dcm", Fixtures.replace(Fixtures.bytes("MR_small.dcm"), 0x0020, 0x000E, "UI", uid));
				return series;
			}, Action.READ_SERIES, "differ in size"),
			new Case("mr_not_ct.dcm", d -> put(d, "mr_not_ct.dcm", Fixtures.bytes("MR_small.dcm")), Action.READ_HU, "not Hounsfield units"),
			new Case("nan.nii", d -> {
				double[] v = new double[24];
				Arrays.fill(v, Double.NaN);
				return put(d, "nan.nii", nifti(16, v));
			}, Action.READ, "contains NaN"),
			new Case("inf.nii", d -> {
				double[] v = Fixtures.ramp(4, 3, 2);
				v[17] = Double.POSITIVE_INFINITY;
				return put(d, "inf.nii", nifti(64, v));
			}, Action.READ, "infinite values, the first at voxel (1, 1, 1)"),
			new Case("garbage.nii.gz", d -> {
				byte[] b = new byte[600];
				new java.util.Random(3).nextBytes(b);
				b[0] = 0x1f;
				b[1] = (byte) 0x8b;
				b[2] = 8;
				b[3] = 0;
				return put(d, "garbage.nii.gz", b);
			}, Action.READ, "gzip data are"),
			new Case("truncated.nii.gz", d -> {
				byte[] gz = Fixtures.gzip(Fixtures.nifti(ByteOrder.LITTLE_ENDIAN, 4, new int[] {40, 40, 10}, new float[] {1, 1, 1}, 0, 0, 352, Fixtures.ramp(40, 40, 10)));
				return put(d, "truncated.nii.gz", cut(gz, gz.length / 2));
			}, Action.READ, "compressed voxel data are cut short"),
			new Case("bad_sizeof_hdr.nii", d -> put(d, "bad_sizeof_hdr.nii", withInt(goodNifti(), 0, 349)), Action.READ, "sizeof_hdr is 349"),
			new Case("nifti2.nii", d -> put(d, "nifti2.nii", withInt(goodNifti(), 0, 540)), Action.READ, "NIfTI-2"),
			new Case("dim0_zero.nii", d -> put(d, "dim0_zero.nii", withShort(goodNifti(), 40, 0)), Action.READ, "dim[0] is 0"),
			new Case("negative_dim.nii", d -> put(d, "negative_dim.nii", withShort(goodNifti(), 44, -4)), Action.READ, "dim[2] is -4"),
			new Case("rgb24.nii", d -> put(d, "rgb24.nii", withShort(goodNifti(), 70, 128)), Action.READ, "datatype 128 (RGB24)"),
			new Case("vox_offset_beyond.nii", d -> {
				byte[] b = goodNifti();
				ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 100000f);
				return put(d, "vox_offset_beyond.nii", b);
			}, Action.READ, "from offset 100000"),
			new Case("vox_offset_beyond.nii.gz", d -> {
				byte[] b = goodNifti();
				ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 100000f);
				return put(d, "vox_offset_beyond.nii.gz", Fixtures.gzip(b));
			}, Action.READ, "vox_offset 100000 lies beyond the end"),
			new Case("empty_folder", d -> mkdir(d.resolve("empty_folder")), Action.SCAN, "No images found"),
			new Case("folder_named.dcm", d -> mkdir(d.resolve("folder_named.dcm")), Action.READ, "a folder, not a file"),
			new Case("unknown_syntax.dcm", d -> put(d, "unknown_syntax.dcm", Fixtures.replace(ct(), 0x0002, 0x0010, "UI", "1.2.3.4.5.99")),
				Action.READ, "unsupported transfer syntax 1.2.3.4.5.99 (unknown"),
			new Case("jpeg_lossless_sel1.dcm", d -> put(d, "jpeg_lossless_sel1.dcm", Fixtures.bytes("jpeg_lossless_sel1.dcm")),
				Action.READ, "JPEG lossless"),
			new Case("rle_bad_segment_count.dcm", d -> {
				byte[] b = Fixtures.bytes("MR_small_RLE.dcm");
				return put(d, "rle_bad_segment_count.dcm", withInt(b, rleHeader(b), 3));
			}, Action.READ, "has 3 segments"),
			new Case("rle_bad_segment_offset.dcm", d -> {
				byte[] b = Fixtures.bytes("MR_small_RLE.dcm");
				return put(d, "rle_bad_segment_offset.dcm", withInt(b, rleHeader(b) + 8, 1 << 30));
			}, Action.READ, "outside"),
			new Case("deflated_garbage.dcm", d -> {
				byte[] b = Fixtures.bytes("deflated.dcm");
				Arrays.fill(b, Fixtures.metaEnd(b), b.length, (byte) 0xFF); // deflate block type 3: invalid
				return put(d, "deflated_garbage.dcm", b);
			}, Action.READ, "deflated data set is corrupt"),
			new Case("deflated_truncated.dcm", d -> {
				byte[] b = Fixtures.bytes("deflated.dcm");
				return put(d, "deflated_truncated.dcm", cut(b, Fixtures.metaEnd(b) + 300));
			}, Action.READ, "cut short"),
			new Case("malformed_element.dcm", d -> {
				byte[] b = ct();
				int at = Fixtures.find(b, 0x0008, 0x0060, "CS");
				b[at + 4] = 'c';
				return put(d, "malformed_element.dcm", b);
			}, Action.READ, "malformed data element (0008,0060)"),
			new Case("text.dcm", d -> put(d, "text.dcm", "This is a note, not an image. It is long enough to reach byte 128 of the file, where DICOM puts its magic.\n".repeat(3)
				.getBytes(StandardCharsets.UTF_8)), Action.READ, "not a DICOM file"));
	}

	static Path mkdir(Path p) {
		try {
			return Files.createDirectories(p);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static void run(Action action, Path input) {
		switch (action) {
			case READ -> VolumeReaders.read(input);
			case READ_HU -> VolumeReaders.read(input, ReadOptions.DEFAULT.requiringHounsfield());
			case READ_SERIES -> VolumeReaders.readSeries(input);
			case SCAN -> VolumeReaders.scan(input, false);
		}
	}

	@Test
	void theCorpusHasAtLeastTwentyBrokenInputs() {
		assertTrue(corpus().size() >= 20, "corpus size " + corpus().size());
		assertEquals(corpus().size(), corpus().stream().map(Case::name).distinct().count());
	}

	@TestFactory
	List<DynamicTest> eachBrokenInputGivesOneClearErrorNamingTheFile() {
		return corpus().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
			Path input = c.build().apply(tmp);
			ExplorerException e = assertThrows(ExplorerException.class, () -> run(c.action(), input), c.name());
			assertTrue(e.getMessage().contains(c.name()) || e.getMessage().contains(input.toString()), "names the input: " + e.getMessage());
			assertTrue(e.getMessage().contains(c.phrase()), "says '" + c.phrase() + "': " + e.getMessage());
		})).toList();
	}

	@Test
	void unreadableFileIsReportedAsSuch() throws IOException {
		Path f = put(tmp, "locked.dcm", ct());
		Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
		org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "running as root: chmod 000 does not stop reading");
		ExplorerException e = assertThrows(ExplorerException.class, () -> VolumeReaders.read(f));
		assertTrue(e.getMessage().contains("locked.dcm") && e.getMessage().contains("permission denied"), e.getMessage());
	}

	/** A folder of good files and bad ones: scanning with skipBad keeps the good, lists the bad with reasons. */
	@Test
	void scanSkipsBadFilesAndSaysWhy() {
		Path corpus = mkdir(tmp.resolve("corpus"));
		Path sub = mkdir(corpus.resolve("patient2/series1"));
		put(corpus, "ct.dcm", ct());
		put(sub, "chest.dcm", Fixtures.bytes("chest_ct_512_rle.dcm"));
		put(corpus, "good.nii.gz", Fixtures.gzip(goodNifti()));
		put(corpus, "README.txt", "notes".getBytes(StandardCharsets.UTF_8));
		Set<String> bad = Set.of("truncated_in_pixels.dcm", "text.dcm", "garbage.nii.gz", "nan.nii", "jpeg_lossless_sel1.dcm",
			"deflated_garbage.dcm", "rle_bad_segment_count.dcm");
		for (Case c : corpus()) if (bad.contains(c.name())) c.build().apply(sub);

		ScanResult r = VolumeReaders.scan(corpus, ReadOptions.DEFAULT.recursively().skippingBad().verifying(), io.github.ctlatent.core.Monitor.NONE);
		assertEquals(3, r.volumes().size(), r.summary());
		assertEquals(bad, r.skipped().stream().map(s -> s.file().getFileName().toString()).collect(Collectors.toSet()));
		r.skipped().forEach(s -> assertFalse(s.reason().isBlank()));
		assertEquals(List.of("README.txt"), r.ignored().stream().map(p -> p.getFileName().toString()).toList());
		for (VolumeSource s : r.volumes()) assertTrue(s.open().depth() >= 1);

		// without verification the header-level problems are still found; bad voxel data surface when opened
		ScanResult lazy = VolumeReaders.scan(corpus, true);
		VolumeSource nan = lazy.volumes().stream().filter(s -> s.name().equals("nan")).findFirst().orElseThrow();
		ExplorerException e = assertThrows(ExplorerException.class, nan::open);
		assertTrue(e.getMessage().contains("nan.nii"));

		// and without skipBad the first bad file stops the scan
		assertThrows(ExplorerException.class, () -> VolumeReaders.scan(corpus, false));
	}

	@Test
	void requiringHounsfieldSkipsNonCtSeriesWhileScanning() {
		Path corpus = mkdir(tmp.resolve("mixed"));
		put(corpus, "ct.dcm", ct());
		put(corpus, "mr.dcm", Fixtures.bytes("MR_small.dcm"));
		ScanResult r = VolumeReaders.scan(corpus, ReadOptions.DEFAULT.requiringHounsfield().skippingBad(), io.github.ctlatent.core.Monitor.NONE);
		assertEquals(1, r.volumes().size());
		assertTrue(r.volumes().get(0).open().isHounsfield());
		assertTrue(r.skipped().get(0).reason().contains("modality MR"), r.skipped().get(0).reason());
	}
}
