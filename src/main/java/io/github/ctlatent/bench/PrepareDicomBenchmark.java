package io.github.ctlatent.bench;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceBatches;
import io.github.ctlatent.data.SlicePreparation;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data path end to end at scale: 80 phantom volumes of 128×128×128 written as DICOM series (10,240 files),
 * prepared into a 64² slice set, then iterated for three epochs while the process RSS is watched.
 */
@Plugin(type = Benchmark.class, name = "prepare-dicom", description = "10,240 DICOM slices -> slice set (slices/s), then 3 epochs of batches with RSS")
public class PrepareDicomBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		List<Measurement> out = new ArrayList<>();
		Path dir = Files.createTempDirectory("prepare-dicom-bench");
		try {
			long t0 = System.nanoTime();
			PhantomGenerator.generate(80, 128, 128, 1, PhantomGenerator.Format.DICOM, dir.resolve("dicom"), 10, monitor);
			out.add(new Measurement("phantom render + DICOM write", 80 * 128 / ((System.nanoTime() - t0) / 1e9), "slices/s", "80 volumes 128x128x128"));
			long t1 = System.nanoTime();
			DatasetCard card = SlicePreparation.fromFolder(dir.resolve("dicom"), dir.resolve("slices"), SlicePreparation.Options.defaults(), monitor);
			out.add(new Measurement("prepare DICOM -> 64² slice set", card.sliceCount / ((System.nanoTime() - t1) / 1e9), "slices/s",
				card.sliceCount + " slices (scan, decode, HU, Lanczos-4, write)"));
			SliceSet set = SliceSet.open(dir.resolve("slices"));
			SliceBatches b = new SliceBatches(set, SliceSet.Split.TRAIN, 64, 1, io.github.ctlatent.data.Augmentation.paper());
			float[] buf = new float[64 * 64 * 64];
			b.nextBatch(buf);
			double rss0 = Rss.mib(), rssMax = rss0;
			long t2 = System.nanoTime(), n = 0;
			for (int i = 0; i < 3 * b.batchesPerEpoch(); i++, n += 64) {
				b.nextBatch(buf);
				if (i % 50 == 0) rssMax = Math.max(rssMax, Rss.mib());
			}
			out.add(new Measurement("batches with augmentation over " + set.count() + " slices", n / ((System.nanoTime() - t2) / 1e9), "slices/s",
				String.format("3 epochs; RSS %.0f MiB at start, max %.0f MiB (+%.1f%%)", rss0, rssMax, 100 * (rssMax - rss0) / rss0)));
		} finally {
			AtomicFiles.deleteRecursively(dir);
		}
		return out;
	}
}
