package io.github.ctlatent.bench;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.data.io.DicomWriter;
import io.github.ctlatent.data.io.VolumeReaders;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DICOM read rates: a 200-slice 128² CT series written by {@link DicomWriter} (HU values from −1000 to 2000; files
 * named out of order, so the reader sorts by position), the header-only scan of the same folder, and — when the reader
 * test fixtures are at hand — RLE decoding of a 512² chest slice and a 16-frame file. The fixtures are found at
 * {@code -Dctlatent.dicom=<folder>} or, in a clone of the project, in {@code src/test/resources/fixtures/dicom}.
 */
@Plugin(type = Benchmark.class, name = "dicom-read", description = "DICOM slices/s: 200-slice series, header scan, 512² RLE decode")
public class DicomReadBenchmark implements Benchmark {

	static final int SLICES = 200;

	@Override
	public List<Measurement> run(Monitor monitor) throws IOException {
		Path dir = Files.createTempDirectory("dicom-read-bench");
		try {
			List<Path> written = DicomWriter.writeSeries(ramp(128, SLICES), dir);
			for (int i = 0; i < SLICES; i++) Files.move(written.get(i), dir.resolve(String.format("s%03d.dcm", (i * 7919) % SLICES)));
			List<Measurement> out = new ArrayList<>();
			double series = best(3, () -> {
				Volume v = VolumeReaders.readSeries(dir).get(0);
				if (v.depth() != SLICES) throw new IllegalStateException("series of " + v.depth());
			});
			out.add(new Measurement("series 200 × 128² CT, explicit LE", SLICES / series, "slices/s"));
			double scan = best(3, () -> VolumeReaders.scan(dir, false));
			out.add(new Measurement("header-only scan of the same 200 files", SLICES / scan, "files/s"));
			monitor.checkCanceled();
			Path fixtures = fixtures();
			if (fixtures == null) {
				monitor.log("dicom-read: RLE and multi-frame rates skipped: no fixture folder (run from a clone of the project "
					+ "or pass -Dctlatent.dicom=<folder with chest_ct_512_rle.dcm and explicit_little.dcm>)");
				return out;
			}
			Path rle = fixtures.resolve("chest_ct_512_rle.dcm");
			int reps = 40;
			double rleTime = best(3, () -> {
				for (int i = 0; i < reps; i++) VolumeReaders.read(rle);
			});
			out.add(new Measurement("512² RLE lossless CT slice read+decode", reps / rleTime, "slices/s",
				String.format(Locale.ROOT, "%.0f MB/s of 16-bit pixels", reps * 512 * 512 * 2 / rleTime / 1e6)));
			Path multi = fixtures.resolve("explicit_little.dcm");
			double multiTime = best(3, () -> {
				for (int i = 0; i < 10; i++) VolumeReaders.read(multi);
			});
			out.add(new Measurement("multi-frame 16 × 256² 8-bit, explicit LE", 160 / multiTime, "frames/s"));
			return out;
		} finally {
			AtomicFiles.deleteQuietly(dir);
		}
	}

	/** The folder holding the two fixture files, or null; an explicit {@code -Dctlatent.dicom} must hold them. */
	static Path fixtures() {
		String prop = System.getProperty("ctlatent.dicom");
		// bin/latent-explorer names the project folder; elsewhere (Maven's tests) the working folder is the project
		Path project = Path.of(System.getProperty("ctlatent.home", "."));
		Path p = prop != null ? Path.of(prop) : project.resolve("src/test/resources/fixtures/dicom");
		if (Files.isRegularFile(p.resolve("chest_ct_512_rle.dcm")) && Files.isRegularFile(p.resolve("explicit_little.dcm"))) return p;
		if (prop != null) throw new ExplorerException("The DICOM fixtures chest_ct_512_rle.dcm and explicit_little.dcm were not found in "
			+ prop + ". Pass -Dctlatent.dicom=<folder> with both files, e.g. the project's src/test/resources/fixtures/dicom.");
		return null;
	}

	/** A CT-like volume: every HU value of [−1000, 2000] appears, 1 mm voxels. */
	static Volume ramp(int size, int slices) {
		float[][] planes = new float[slices][size * size];
		for (int z = 0; z < slices; z++)
			for (int i = 0; i < size * size; i++) planes[z][i] = -1000 + (i * 7 + z * 13) % 3001;
		return new Volume("dicom-read", size, size, planes, new double[] {1, 1, 1}, true, Map.of());
	}

	/** Seconds of the fastest of {@code reps} runs, after one warm-up run. */
	private static double best(int reps, Runnable r) {
		r.run();
		double best = Double.MAX_VALUE;
		for (int i = 0; i < reps; i++) {
			long t0 = System.nanoTime();
			r.run();
			best = Math.min(best, (System.nanoTime() - t0) / 1e9);
		}
		return best;
	}
}
