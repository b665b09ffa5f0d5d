package io.github.ctlatent.data.io;

/**
 * How {@link VolumeReaders} reads and scans.
 *
 * @param requireHounsfield refuse volumes whose values are not known to be Hounsfield units (a model trained on
 *                          CT windows needs HU; an MR series would silently train on nonsense)
 * @param assumeHounsfield  take volumes from formats that carry no modality (NIfTI, TIFF without an "HU" value
 *                          unit) as Hounsfield units; a DICOM file that names a non-CT modality is never assumed HU
 * @param recursive         look into sub-folders too (patient/study/series trees)
 * @param skipBad           while scanning, list bad files with the reason instead of failing on the first one
 * @param verify            while scanning, decode every file once (and drop it) so that errors in pixel data are
 *                          found up front, not later while training; costs one full read of the corpus
 */
public record ReadOptions(boolean requireHounsfield, boolean assumeHounsfield, boolean recursive, boolean skipBad,
	boolean verify) {

	/** Strict, non-recursive, nothing assumed, nothing required. */
	public static final ReadOptions DEFAULT = new ReadOptions(false, false, false, false, false);

	public ReadOptions requiringHounsfield() {
		return new ReadOptions(true, assumeHounsfield, recursive, skipBad, verify);
	}

	public ReadOptions assumingHounsfield() {
		return new ReadOptions(requireHounsfield, true, recursive, skipBad, verify);
	}

	public ReadOptions recursively() {
		return new ReadOptions(requireHounsfield, assumeHounsfield, true, skipBad, verify);
	}

	public ReadOptions skippingBad() {
		return new ReadOptions(requireHounsfield, assumeHounsfield, recursive, true, verify);
	}

	public ReadOptions verifying() {
		return new ReadOptions(requireHounsfield, assumeHounsfield, recursive, skipBad, true);
	}
}
