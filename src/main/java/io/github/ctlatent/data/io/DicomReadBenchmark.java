package io.github.ctlatent.data.io;

import io.github.ctlatent.bench.Benchmark;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Volume;
import org.scijava.plugin.Plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DICOM read rates: a 200-slice series assembled from copies of the CT fixture (distinct positions and instance
 * UIDs), the header-only scan of the same folder, and RLE decoding of the 512² chest slice. The fixtures are
 * found at {@code -Dctlatent.dicom=…} or {@code ../shared/data/dicom} (the project's layout).
 */
@Plugin(type = Benchmark.class, name = "dicom-read", description = "DICOM slices/s: 200-slice series, header scan, 512² RLE decode")
public class DicomReadBenchmark implements Benchmark {

	static final int SLICES = 200;

	@Override
	public List<Measurement> run(Monitor monitor) throws IOException {
		Path fixtures = fixtures();
		byte[] ct = Files.readAllBytes(fixtures.resolve("CT_small.dcm"));
		Path dir = Files.createTempDirectory("dicom-read-bench");
		try {
			for (int i = 0; i < SLICES; i++) Files.write(dir.resolve(String.format("s%03d.dcm", (i * 7919) % SLICES)), slice(ct, i));
			List<Measurement> out = new ArrayList<>();
			double series = best(3, () -> {
				Volume v = VolumeReaders.readSeries(dir).get(0);
				if (v.depth() != SLICES) throw new IllegalStateException("series of " + v.depth());
			});
			out.add(new Measurement("series 200 × 128² CT, explicit LE", SLICES / series, "slices/s"));
			double scan = best(3, () -> VolumeReaders.scan(dir, false));
			out.add(new Measurement("header-only scan of the same 200 files", SLICES / scan, "files/s"));
			monitor.checkCanceled();
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

	static Path fixtures() {
		String prop = System.getProperty("ctlatent.dicom");
		for (Path p : prop != null ? List.of(Path.of(prop)) : List.of(Path.of("../shared/data/dicom"), Path.of("shared/data/dicom")))
			if (Files.isRegularFile(p.resolve("CT_small.dcm"))) return p;
		throw new ExplorerException("The DICOM fixtures (CT_small.dcm, chest_ct_512_rle.dcm) were not found at "
			+ (prop != null ? prop : "../shared/data/dicom") + ". Run from the project folder or pass -Dctlatent.dicom=<folder>.");
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

	/** The CT slice moved to z = 5 mm × i, with its own SOPInstanceUID (values rewritten in place, same lengths). */
	static byte[] slice(byte[] ct, int i) {
		byte[] b = ct.clone();
		rewrite(b, 0x0020, 0x0032, "DS", String.format(Locale.ROOT, "-158.135803\\-179.035797\\%.1f", -75.7 + 5 * i));
		String uid = text(b, find(b, 0x0008, 0x0018, "UI"));
		rewrite(b, 0x0008, 0x0018, "UI", uid.substring(0, uid.length() - 4) + String.format("%04d", 1000 + i));
		return b;
	}

	private static void rewrite(byte[] b, int group, int elem, String vr, String value) {
		int at = find(b, group, elem, vr);
		int len = (b[at + 6] & 0xFF) | (b[at + 7] & 0xFF) << 8;
		byte[] v = value.getBytes(StandardCharsets.US_ASCII);
		if (v.length > len) throw new IllegalStateException(value + " does not fit in " + len + " bytes");
		for (int k = 0; k < len; k++) b[at + 8 + k] = k < v.length ? v[k] : (byte) (vr.equals("UI") ? 0 : ' ');
	}

	private static String text(byte[] b, int at) {
		int len = (b[at + 6] & 0xFF) | (b[at + 7] & 0xFF) << 8;
		return new String(b, at + 8, len, StandardCharsets.US_ASCII).replace("\0", "").trim();
	}

	private static int find(byte[] b, int group, int elem, String vr) {
		outer:
		for (int i = 132; i + 8 <= b.length; i++) {
			byte[] pat = {(byte) group, (byte) (group >> 8), (byte) elem, (byte) (elem >> 8), (byte) vr.charAt(0), (byte) vr.charAt(1)};
			for (int k = 0; k < pat.length; k++)
				if (b[i + k] != pat[k]) continue outer;
			return i;
		}
		throw new IllegalStateException("element not found in the CT fixture");
	}
}
