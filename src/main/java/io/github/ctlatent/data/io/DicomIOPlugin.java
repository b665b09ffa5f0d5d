package io.github.ctlatent.data.io;

import io.github.ctlatent.data.Volume;
import org.scijava.Priority;
import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.FileLocation;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a DICOM file (by content) or a folder holding one DICOM series through SciJava's {@code IOService}, as a
 * {@link Volume}. Low priority on purpose: inside Fiji, SCIFIO keeps handling File › Open; outside Fiji (the
 * command-line runner, tests) this is what {@code io.open(…)} finds.
 */
@Plugin(type = IOPlugin.class, priority = Priority.LOW)
public class DicomIOPlugin extends AbstractIOPlugin<Volume> {

	@Override
	public Class<Volume> getDataType() {
		return Volume.class;
	}

	@Override
	public boolean supportsOpen(Location source) {
		Path p = path(source);
		if (p == null) return false;
		if (Files.isDirectory(p)) return holdsDicom(p);
		return Files.isRegularFile(p) && VolumeFormat.detect(p) == VolumeFormat.DICOM;
	}

	@Override
	public Volume open(Location source) {
		Path p = path(source);
		if (!Files.isDirectory(p)) return VolumeReaders.read(p);
		List<Volume> series = VolumeReaders.readSeries(p);
		if (series.size() > 1)
			throw new io.github.ctlatent.core.ExplorerException("The folder " + p + " holds " + series.size()
				+ " DICOM series; open them with VolumeReaders.readSeries (or choose the folder of one series).");
		return series.get(0);
	}

	static Path path(Location source) {
		return source instanceof FileLocation f ? f.getFile().toPath() : null;
	}

	private static boolean holdsDicom(Path folder) {
		try (var s = Files.list(folder)) {
			return s.filter(Files::isRegularFile).limit(20).anyMatch(f -> VolumeFormat.detect(f) == VolumeFormat.DICOM);
		} catch (java.io.IOException | RuntimeException e) {
			return false; // an unreadable folder is not ours to claim; the service reports that nobody opens it
		}
	}
}
