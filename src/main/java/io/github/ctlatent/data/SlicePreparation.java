package io.github.ctlatent.data;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.io.ReadOptions;
import io.github.ctlatent.data.io.ScanResult;
import io.github.ctlatent.data.io.VolumeReaders;
import io.github.ctlatent.data.io.VolumeSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The data stage's entry point: CT volumes (a folder of DICOM series / NIfTI / TIFF, or one volume such as an
 * open image) → a prepared {@link SliceSet} folder with its {@link DatasetCard}. Volumes are opened one at a time,
 * so corpora far larger than memory work. A {@code factors.csv} beside the inputs (the phantom's ground truth) is
 * carried along for the evaluation stage.
 */
public final class SlicePreparation {

	/**
	 * @param skipBad           leave unreadable files out (listed in the card and the log) instead of stopping
	 * @param requireHounsfield refuse inputs that are not known to be CT in Hounsfield units
	 * @param overwrite         replace an existing slice set at the output path
	 */
	public record Options(Preprocessing preprocessing, long seed, double testFraction, boolean skipBad, boolean requireHounsfield,
		boolean overwrite) {
		public static Options defaults() {
			return new Options(Preprocessing.cpuDefault(), 1, 0.1, false, true, false);
		}
	}

	private SlicePreparation() {}

	public static DatasetCard fromFolder(Path input, Path output, Options o, Monitor monitor) {
		if (!Files.isDirectory(input)) throw new ExplorerException("Input folder " + input + " does not exist or is not a folder.");
		Outputs.requireApart("output", output, Map.of("input", input));
		checkOutput(output, o);
		ReadOptions ro = ReadOptions.DEFAULT.recursively().assumingHounsfield();
		if (o.requireHounsfield()) ro = ro.requiringHounsfield();
		if (o.skipBad()) ro = ro.skippingBad();
		ScanResult scan = VolumeReaders.scan(input, ro, monitor);
		monitor.log("Found " + scan.summary());
		try (SliceSetWriter w = SliceSetWriter.create(output, o.preprocessing(), o.seed(), o.testFraction())) {
			for (ScanResult.Skipped s : scan.skipped()) w.skip(s.file().toString(), s.reason());
			int i = 0, n = scan.volumes().size();
			for (VolumeSource src : scan.volumes()) {
				monitor.checkCanceled();
				monitor.progress(i++, n, "preparing " + src.name());
				try {
					Volume v = src.open();
					w.add(src.name(), src.files().get(0).toString(), v);
				} catch (ExplorerException e) {
					if (!o.skipBad()) throw e;
					w.skip(src.toString(), e.getMessage());
					monitor.log("Skipped " + src + ": " + e.getMessage());
				}
			}
			Path factors = input.resolve("factors.csv");
			if (Files.isRegularFile(factors)) w.copyFactors(factors);
			monitor.progress(n, n, "writing slice set");
			DatasetCard card = w.commit();
			report(card, monitor);
			return card;
		}
	}

	/** One volume (e.g. the image open in Fiji) → a slice set, split by slab (see {@code Splits}). */
	public static DatasetCard fromVolume(Volume v, Path output, Options o, Monitor monitor) {
		checkOutput(output, o);
		if (o.requireHounsfield() && !v.isHounsfield())
			throw new ExplorerException("Image '" + v.name() + "' is not calibrated in Hounsfield units. Open a CT DICOM series, calibrate the "
				+ "image (Analyze › Calibrate…, unit HU) or set allow_non_hu=true.");
		try (SliceSetWriter w = SliceSetWriter.create(output, o.preprocessing(), o.seed(), o.testFraction())) {
			monitor.progress(0, 1, "preparing " + v.name());
			w.add(v.name(), "image " + v.name(), v);
			DatasetCard card = w.commit();
			report(card, monitor);
			return card;
		}
	}

	/** A new or empty folder, or (with overwrite) a slice set this tool wrote; leftovers of killed runs are removed. */
	private static void checkOutput(Path output, Options o) {
		Outputs.requireFreeFolder("output", output, o.overwrite(), "slice set", DatasetCard.FILE);
		AtomicFiles.cleanLeftovers(output.toAbsolutePath().getParent());
	}

	private static void report(DatasetCard card, Monitor monitor) {
		monitor.log(String.format("Slice set %s: %d slices of %d² (%d train, %d test) from %d volumes; %d files skipped",
			card.name, card.sliceCount, card.preprocessing.size(), card.trainSlices, card.testSlices, card.volumes.size(), card.skipped.size()));
		for (DatasetCard.Skipped s : card.skipped) monitor.log("  skipped " + s.file() + ": " + s.reason());
		monitor.log(card.splitNote);
		for (DataHealth.Named v : card.health.volumes()) monitor.log("  window fill of " + v.volume() + ": " + v.health().summary());
		monitor.log("Window fill overall: " + card.health.overall().summary());
		for (String w : card.health.warnings()) monitor.log("WARNING: " + w);
	}
}
