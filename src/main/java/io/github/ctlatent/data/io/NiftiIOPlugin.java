package io.github.ctlatent.data.io;

import io.github.ctlatent.data.Volume;
import org.scijava.Priority;
import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens NIfTI-1 files (.nii, .nii.gz, .hdr/.img, told by content) through SciJava's {@code IOService} as a
 * {@link Volume}; low priority so that SCIFIO keeps File › Open inside Fiji.
 */
@Plugin(type = IOPlugin.class, priority = Priority.LOW)
public class NiftiIOPlugin extends AbstractIOPlugin<Volume> {

	@Override
	public Class<Volume> getDataType() {
		return Volume.class;
	}

	@Override
	public boolean supportsOpen(Location source) {
		Path p = DicomIOPlugin.path(source);
		return p != null && Files.isRegularFile(p) && VolumeFormat.detect(p) == VolumeFormat.NIFTI;
	}

	@Override
	public Volume open(Location source) {
		return VolumeReaders.read(DicomIOPlugin.path(source));
	}
}
