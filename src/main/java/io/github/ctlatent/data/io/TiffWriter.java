package io.github.ctlatent.data.io;

import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.data.Volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link Volume} as an ImageJ TIFF stack through ImageJ 1's {@link FileSaver}: 32-bit float voxels (values
 * exactly as in the volume, e.g. HU), calibration in mm (pixel width, height, depth) and the volume's metadata in the
 * image's Info property. TIFF keeps the in-plane pixel size as a resolution rational, exact to about 1e-6 relative.
 */
public final class TiffWriter {

	private TiffWriter() {}

	/** Writes atomically. */
	public static void write(Volume v, Path file) {
		ImagePlus imp = v.imagePlus();
		StringBuilder info = new StringBuilder();
		for (Map.Entry<String, String> e : v.metadata().entrySet()) info.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
		if (info.length() > 0) imp.setProperty("Info", info.toString());
		AtomicFiles.writeVia(file, tmp -> {
			FileSaver saver = new FileSaver(imp);
			boolean ok = v.depth() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
			if (!ok) throw new IOException("ImageJ could not write the TIFF");
		});
	}
}
