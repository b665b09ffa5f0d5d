package io.github.ctlatent.data.io;

import io.github.ctlatent.data.Volume;

import java.nio.file.Path;
import java.util.List;

/**
 * A volume found by {@link VolumeReaders#scan}, read only when {@link #open()} is called, so that a corpus of
 * thousands of slices is never all in memory.
 */
public interface VolumeSource {

	/** A short name: the series description / folder for DICOM, the file name without extension otherwise. */
	String name();

	/** "DICOM", "NIfTI" or "TIFF". */
	String format();

	/** The files the volume is read from (the slices of a DICOM series, in volume order once opened). */
	List<Path> files();

	/** Number of slices if known from the headers, else -1. */
	int depth();

	/** Reads the volume; throws {@link io.github.ctlatent.core.ExplorerException} for bad data. */
	Volume open();
}
