package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;
import ij.ImagePlus;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.scijava.io.IOService;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens any image as a {@link Volume}: our readers for DICOM, NIfTI and TIFF, otherwise whatever the
 * {@link IOService} opens (inside Fiji: SCIFIO/Bio-Formats), converted from an ImagePlus or an ImgLib2 image
 * (a SCIFIO {@code Dataset} is one), and when no service plugin opens it, ImageJ 1.
 */
public final class VolumeIO {

	private VolumeIO() {}

	public static Volume open(IOService io, String path) {
		return open(io, path, ReadOptions.DEFAULT);
	}

	@SuppressWarnings("unchecked")
	public static Volume open(IOService io, String path, ReadOptions options) {
		Path p = Path.of(path);
		if (Files.isDirectory(p)) {
			var series = VolumeReaders.readSeries(p, options);
			if (series.size() == 1) return series.get(0);
			throw new ExplorerException("The folder " + p + " holds " + series.size() + " DICOM series; choose the folder of one series.");
		}
		if (Files.isRegularFile(p) && VolumeFormat.detect(p) != VolumeFormat.OTHER) return VolumeReaders.read(p, options);
		Object data;
		try {
			data = io.open(path);
		} catch (java.io.IOException | RuntimeException e) {
			data = null; // no IOService plugin for it (outside Fiji there is no SCIFIO): ImageJ 1 has the last word
		}
		if (data == null) return VolumeReaders.read(p, options);
		if (data instanceof Volume v) return v;
		if (data instanceof ImagePlus imp) return VolumeReaders.fromImagePlus(imp, options);
		if (data instanceof RandomAccessibleInterval<?> rai && rai.getType() instanceof RealType<?>)
			return VolumeReaders.fromImg((RandomAccessibleInterval<? extends RealType<?>>) rai, VolumeReaders.baseName(p), options);
		throw new ExplorerException("Cannot use " + path + ": it opened as " + data.getClass().getSimpleName()
			+ ", not as a grayscale image. Open it in Fiji and convert it to a grayscale stack first.");
	}
}
