package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.plugin.GifWriter;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.traverse.WalkPictures;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The view stage's volume exports of a traversal, each written atomically: BDV XML + N5 and a calibrated TIFF
 * hyperstack (the pictures of a walk — PNG strip, GIF — are {@link WalkPictures}, which reports draw too).
 */
public final class Exports {

	private Exports() {}

	/**
	 * {@code <name>.xml} + {@code <name>.n5} + {@code <name>.settings.xml} in {@code folder}; shift axis voxel size
	 * {@code shiftSpacing} (mm); BDV opens it with the display range of {@code window}.
	 */
	public static Path bdv(TraversalVolume v, Path folder, String name, double shiftSpacing, Window window) {
		Path n5 = folder.resolve(name + ".n5"), xml = folder.resolve(name + ".xml");
		double px = v.pixelSizeMm();
		AtomicFiles.replaceFolderVia(n5, tmp -> N5Writer.writeN5(v, tmp, new double[] {px, px, shiftSpacing}));
		AtomicFiles.writeString(folder.resolve(name + ".settings.xml"), N5Writer.bdvSettings(v.directions().length, WalkPictures.range(v, window)));
		AtomicFiles.writeString(xml, N5Writer.bdvXml(v, n5.getFileName().toString(), shiftSpacing));
		return xml;
	}

	/** Shift spacing that displays the walk as a cube (the full walk spans the image width). */
	public static double cubicShiftSpacing(TraversalVolume v) {
		return v.pixelSizeMm() * v.size() / v.frames();
	}

	public static Path tiff(TraversalVolume v, Path file) {
		ImagePlus imp = v.imagePlus(file.getFileName().toString(), false);
		AtomicFiles.writeVia(file, tmp -> {
			boolean ok = imp.getStackSize() > 1 ? new FileSaver(imp).saveAsTiffStack(tmp.toString()) : new FileSaver(imp).saveAsTiff(tmp.toString());
			if (!ok) throw new IOException("ImageJ could not write the TIFF");
		});
		return file;
	}
}
