package io.github.ctlatent.data.io;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link VolumeReaders#scan} found under a folder.
 *
 * @param volumes the readable volumes, to be opened one at a time
 * @param skipped bad files with the reason (only when scanning with skipBad), and duplicate DICOM files (the same
 *                image as another file of the series, always left out)
 * @param ignored files that are no image format we read (README, JSON, DICOM reports …), not errors
 */
public record ScanResult(Path folder, List<VolumeSource> volumes, List<Skipped> skipped, List<Path> ignored) {

	/** A file left out and why ("the pixel data are cut short: …"). */
	public record Skipped(Path file, String reason) {
		@Override
		public String toString() {
			return file + ": " + reason;
		}
	}

	/** One line for a log: "12 volumes (3 DICOM series, 9 NIfTI), 2 files skipped, 1 ignored in /data". */
	public String summary() {
		long dicom = volumes.stream().filter(v -> v.format().equals("DICOM")).count();
		long nifti = volumes.stream().filter(v -> v.format().equals("NIfTI")).count();
		long tiff = volumes.size() - dicom - nifti;
		return volumes.size() + " volumes (" + dicom + " DICOM series, " + nifti + " NIfTI, " + tiff + " TIFF), "
			+ skipped.size() + " files skipped, " + ignored.size() + " ignored in " + folder;
	}
}
