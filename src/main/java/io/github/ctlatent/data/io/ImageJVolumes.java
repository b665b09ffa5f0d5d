package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.Volume;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Volumes from what ImageJ 1 opens (TIFF stacks and the rest), from open images, and from ImgLib2 images. */
final class ImageJVolumes {

	private ImageJVolumes() {}

	/** Any file ImageJ 1 opens (TIFF first of all); stacks become volumes. */
	static Volume read(Path file, ReadOptions options) {
		ReadErrors.checkFile(file);
		if (!java.nio.file.Files.isReadable(file)) throw ReadErrors.bad(file, "permission denied", "Make the file readable (chmod a+r).");
		ImagePlus imp;
		try {
			IJ.redirectErrorMessages(); // an error goes to the log, not to a dialog, and we report it below
			imp = new Opener().openImage(file.toString());
		} catch (RuntimeException | OutOfMemoryError e) {
			throw ReadErrors.bad(file, "ImageJ failed to open it (" + e + ")", "Check that the file is a complete image ImageJ can open.");
		}
		if (imp == null || imp.getStackSize() == 0)
			throw ReadErrors.bad(file, "ImageJ could not open it (unknown or damaged format)",
				"Use DICOM, NIfTI-1 or TIFF, or check that the file is complete.");
		Volume v = fromImagePlus(imp, file, options);
		VolumeReaders.checkFinite(file, planesOf(v), v.width());
		return v;
	}

	private static float[][] planesOf(Volume v) {
		float[][] p = new float[v.depth()][];
		for (int z = 0; z < p.length; z++) p[z] = v.plane(z);
		return p;
	}

	/**
	 * An image as a volume: calibrated values (the calibration function of 8/16-bit images, e.g. the rescale ImageJ
	 * sets for DICOM), spacing from the calibration in mm, Hounsfield units when the value unit says so or the image
	 * is a CT DICOM.
	 */
	static Volume fromImagePlus(ImagePlus imp, Path source, ReadOptions options) {
		String title = imp.getTitle();
		if (imp.getBitDepth() == 24)
			throw new ExplorerException("Cannot use the image '" + title + "': it is RGB colour. Convert it to 8, 16 or 32-bit grayscale first (Image › Type).");
		int c = imp.getNChannels(), z = imp.getNSlices(), t = imp.getNFrames();
		if (c > 1 || (z > 1 && t > 1))
			throw new ExplorerException("Cannot use the image '" + title + "': it has " + c + " channels, " + z + " slices and " + t
				+ " time points. Reduce it to one z-stack first (Image › Duplicate… with one channel and one time point).");
		ImageStack stack = imp.getStack();
		int w = imp.getWidth(), h = imp.getHeight(), n = w * h;
		Calibration cal = imp.getCalibration();
		float[] table = imp.getBitDepth() != 32 && cal.calibrated() ? cal.getCTable() : null;
		float[][] planes = new float[stack.getSize()][];
		for (int s = 0; s < planes.length; s++) {
			ImageProcessor ip = stack.getProcessor(s + 1);
			float[] p = new float[n];
			Object px = ip.getPixels();
			if (px instanceof byte[] b) for (int i = 0; i < n; i++) p[i] = table == null ? b[i] & 0xFF : table[b[i] & 0xFF];
			else if (px instanceof short[] sh) for (int i = 0; i < n; i++) p[i] = table == null ? sh[i] & 0xFFFF : table[sh[i] & 0xFFFF];
			else if (px instanceof float[] f) System.arraycopy(f, 0, p, 0, n);
			else throw new ExplorerException("Cannot use the image '" + title + "': unsupported pixel type " + px.getClass().getSimpleName() + ".");
			planes[s] = p;
		}
		String info = imp.getInfoProperty() == null ? "" : imp.getInfoProperty();
		String modality = dicomValue(info, "0008,0060");
		String unit = cal.getValueUnit() == null ? "" : cal.getValueUnit();
		boolean huUnit = unit.equalsIgnoreCase("HU") || unit.toLowerCase(Locale.ROOT).contains("hounsfield");
		boolean hu = huUnit || modality.equals("CT") || (modality.isEmpty() && options.assumeHounsfield());
		Map<String, String> meta = new LinkedHashMap<>();
		meta.put("format", "ImageJ" + (imp.getOriginalFileInfo() != null ? " (" + fileFormat(imp.getOriginalFileInfo()) + ")" : ""));
		if (!modality.isEmpty()) meta.put("modality", modality);
		String series = dicomValue(info, "0020,000E");
		if (!series.isEmpty()) meta.put("seriesInstanceUID", series);
		if (!unit.isEmpty()) meta.put("valueUnit", unit);
		if (table != null) meta.put("calibration", "function " + cal.getFunction() + " coefficients " + java.util.Arrays.toString(cal.getCoefficients()));
		FileInfo fi = imp.getOriginalFileInfo();
		if (source != null) meta.put("source", source.toString());
		else if (fi != null && fi.fileName != null && fi.directory != null) meta.put("source", Path.of(fi.directory, fi.fileName).toString());
		double mm = unitToMm(cal.getUnit());
		double[] spacing = {positive(cal.pixelWidth * mm), positive(cal.pixelHeight * mm), positive(cal.pixelDepth * mm)};
		if (!"mm".equals(cal.getUnit())) meta.put("spacingUnit", cal.getUnit() + (mm == 1 ? " (taken as mm)" : " (converted to mm)"));
		String name = title == null || title.isEmpty() ? (source == null ? "image" : VolumeReaders.baseName(source)) : stripExtension(title);
		return new Volume(name, w, h, planes, spacing, hu, meta);
	}

	/** A 2D or 3D ImgLib2 image (higher dimensions of size 1 allowed), e.g. a SCIFIO Dataset, copied to float planes. */
	static Volume fromImg(RandomAccessibleInterval<? extends RealType<?>> img, String name, ReadOptions options) {
		int nd = img.numDimensions();
		for (int d = 3; d < nd; d++)
			if (img.dimension(d) > 1)
				throw new ExplorerException("Cannot use the image '" + name + "': dimension " + d + " has " + img.dimension(d)
					+ " elements; only x, y, z are supported. Reduce it to one z-stack first.");
		long w = img.dimension(0), h = nd > 1 ? img.dimension(1) : 1, depth = nd > 2 ? img.dimension(2) : 1;
		if (w * h > Integer.MAX_VALUE - 8 || depth > Integer.MAX_VALUE - 8)
			throw new ExplorerException("Cannot use the image '" + name + "': " + w + "×" + h + " planes are too large.");
		float[][] planes = new float[(int) depth][(int) (w * h)];
		Cursor<? extends RealType<?>> cursor = Views.flatIterable(img).cursor();
		for (float[] p : planes)
			for (int i = 0; i < p.length; i++) p[i] = cursor.next().getRealFloat();
		Map<String, String> meta = new LinkedHashMap<>();
		double[] spacing = {scale(img, 0, meta), scale(img, 1, meta), scale(img, 2, meta)};
		meta.put("format", "ImgLib2 " + img.getClass().getSimpleName());
		return new Volume(name, (int) w, (int) h, planes, spacing, options.assumeHounsfield(), meta);
	}

	/** Spacing warnings go to the platform log once per JVM (every volume's card still records its own). */
	private static final java.util.concurrent.atomic.AtomicBoolean SCALE_WARNED = new java.util.concurrent.atomic.AtomicBoolean();

	/**
	 * A SCIFIO Dataset knows its calibration ({@code averageScale(d)}); read it without compiling against SCIFIO.
	 * An image without the method is uncalibrated (unit spacing); one whose method fails keeps unit spacing too, but
	 * says so in {@code meta} ({@code spacingWarning}, copied into the dataset card) and in the log, because the
	 * calibration was there and is lost.
	 */
	static double scale(Object img, int d, Map<String, String> meta) {
		if (d >= ((RandomAccessibleInterval<?>) img).numDimensions()) return 1;
		try {
			Method m = img.getClass().getMethod("averageScale", int.class);
			double v = ((Number) m.invoke(img, d)).doubleValue();
			if (v > 0 && Double.isFinite(v)) return v;
			return lostScale(meta, d, "averageScale(" + d + ") = " + v);
		} catch (NoSuchMethodException e) {
			return 1; // a plain ImgLib2 image: no calibration to read
		} catch (ReflectiveOperationException | RuntimeException e) {
			Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null ? e.getCause() : e;
			return lostScale(meta, d, "averageScale(" + d + ") failed: " + cause);
		}
	}

	private static double lostScale(Map<String, String> meta, int d, String why) {
		String line = "calibration of axis " + d + " could not be read (" + why + "); unit spacing (1 mm) used";
		meta.merge("spacingWarning", line, (a, b) -> a + "; " + b);
		if (SCALE_WARNED.compareAndSet(false, true))
			System.getLogger(ImageJVolumes.class.getName()).log(System.Logger.Level.WARNING, line + " (further cases: see spacingWarning in the dataset card)");
		return 1;
	}

	/** A value from ImageJ's DICOM info text ("0008,0060  Modality: CT"), or "". */
	static String dicomValue(String info, String tag) {
		for (String line : info.split("\n"))
			if (line.startsWith(tag)) {
				int colon = line.indexOf(':');
				return colon < 0 ? "" : line.substring(colon + 1).trim();
			}
		return "";
	}

	private static String fileFormat(FileInfo fi) {
		return switch (fi.fileFormat) {
			case FileInfo.TIFF -> "TIFF";
			case FileInfo.DICOM -> "DICOM";
			case FileInfo.FITS -> "FITS";
			case FileInfo.PGM -> "PGM";
			default -> "format " + fi.fileFormat;
		};
	}

	private static double unitToMm(String unit) {
		if (unit == null) return 1;
		return switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "mm", "millimeter", "millimetre" -> 1;
			case "cm" -> 10;
			case "m", "meter", "metre" -> 1000;
			case "\u00b5m", "\u03bcm", "um", "micron", "microns", "micrometer" -> 0.001;
			case "nm" -> 1e-6;
			default -> 1; // "pixel", "inch" or unknown: keep the numbers (1 for an uncalibrated image)
		};
	}

	private static double positive(double v) {
		return v > 0 && Double.isFinite(v) ? v : 1;
	}

	private static String stripExtension(String title) {
		return title.replaceFirst("(?i)\\.(tiff?|dcm|nii(\\.gz)?)$", "");
	}
}
