package io.github.ctlatent.data.io;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Volume;
import ij.ImagePlus;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads CT volumes: DICOM files and series, NIfTI-1, TIFF stacks and whatever else ImageJ 1 opens, open images.
 * Formats are told by content, not by name. Every problem is one {@link ExplorerException} that names the file,
 * what is wrong with it and what to do.
 * <pre>
 * Volume ct = VolumeReaders.read(Path.of("chest.dcm"));             // one file
 * List&lt;Volume&gt; series = VolumeReaders.readSeries(Path.of("study/")); // one volume per DICOM series
 * ScanResult corpus = VolumeReaders.scan(Path.of("corpus/"), true);   // everything below, lazily, bad files listed
 * for (VolumeSource s : corpus.volumes()) { Volume v = s.open(); … }
 * </pre>
 */
public final class VolumeReaders {

	private VolumeReaders() {}

	public static Volume read(Path file) {
		return read(file, ReadOptions.DEFAULT);
	}

	/** One file: a DICOM file (all its frames), a NIfTI-1 volume, a TIFF stack, or any image ImageJ 1 opens. */
	public static Volume read(Path file, ReadOptions options) {
		ReadErrors.checkFile(file); // a folder, a missing or an empty file: one wording everywhere
		Volume v = switch (VolumeFormat.detect(file)) {
			case DICOM -> DicomSeries.assemble(List.of(DicomParser.read(file)), baseName(file), options);
			case NIFTI -> NiftiReader.read(file, options);
			case TIFF, OTHER -> ImageJVolumes.read(file, options);
		};
		return requireHounsfield(v, file, options);
	}

	public static List<Volume> readSeries(Path folder) {
		return readSeries(folder, ReadOptions.DEFAULT);
	}

	/**
	 * Every DICOM series in a folder (and its sub-folders with {@link ReadOptions#recursive()}), one volume each,
	 * slices ordered by position along the slice normal. Non-DICOM files are ignored; a bad DICOM file fails the
	 * whole call (use {@link #scan} with skipBad to leave bad files out).
	 */
	public static List<Volume> readSeries(Path folder, ReadOptions options) {
		List<DicomHeader> headers = new ArrayList<>();
		for (Path f : files(folder, options.recursive())) {
			if (VolumeFormat.detect(f) != VolumeFormat.DICOM) continue;
			DicomHeader h = DicomParser.readHeader(f);
			if (h.hasPixelData) headers.add(h);
		}
		if (headers.isEmpty())
			throw new ExplorerException("No DICOM images found in " + folder + ". Choose the folder that holds the .dcm files"
				+ (options.recursive() ? "." : ", or read sub-folders too (recursive)."));
		Map<String, List<DicomHeader>> groups = DicomSeries.group(headers);
		DicomSeries.removeDuplicates(groups);
		List<Volume> volumes = new ArrayList<>();
		for (List<DicomHeader> g : groups.values())
			volumes.add(DicomSeries.assemble(g, seriesName(g, groups.size() > 1), options));
		return volumes;
	}

	/** {@link #scan(Path, ReadOptions, Monitor)} recursively, checking headers only. */
	public static ScanResult scan(Path folder, boolean skipBad) {
		ReadOptions o = ReadOptions.DEFAULT.recursively();
		return scan(folder, skipBad ? o.skippingBad() : o, Monitor.NONE);
	}

	/**
	 * Finds every volume under a folder: DICOM series (grouped across sub-folders by series UID), NIfTI and TIFF
	 * files. Headers are read and checked (format, transfer syntax, sizes, declared data length, Hounsfield units
	 * when required); with {@link ReadOptions#verify()} every file is also decoded once. With
	 * {@link ReadOptions#skipBad()} bad files are listed with their reason, otherwise the first one throws.
	 *
	 * @throws ExplorerException when nothing readable is found ("No images found in …")
	 */
	public static ScanResult scan(Path folder, ReadOptions options, Monitor monitor) {
		List<Path> files = files(folder, options.recursive());
		List<DicomHeader> dicoms = new ArrayList<>();
		List<VolumeSource> sources = new ArrayList<>();
		List<ScanResult.Skipped> skipped = new ArrayList<>();
		List<Path> ignored = new ArrayList<>();
		for (int i = 0; i < files.size(); i++) {
			monitor.checkCanceled();
			Path f = files.get(i);
			monitor.progress(i, files.size(), "scanning " + f.getFileName());
			try {
				switch (VolumeFormat.detect(f)) {
					case DICOM -> {
						DicomHeader h = DicomParser.readHeader(f);
						if (!h.hasPixelData) {
							ignored.add(f);
							continue;
						}
						DicomPixels.check(h);
						if (options.requireHounsfield() && !DicomSeries.isHounsfield(h, options))
							throw ReadErrors.bad(f, "the values are not Hounsfield units (modality " + (h.modality().isEmpty() ? "not given" : h.modality()) + ", not CT)",
								"Use CT images, or set allow_non_hu=true to accept other images.");
						if (options.verify()) DicomPixels.decode(DicomParser.read(f));
						dicoms.add(h);
					}
					case NIFTI -> {
						NiftiReader.header(f);
						if (options.requireHounsfield() && !options.assumeHounsfield())
							throw ReadErrors.bad(f, "NIfTI tells no modality, so its values are not known to be Hounsfield units",
								"If they are HU, scan with 'assume Hounsfield units'.");
						if (options.verify()) read(f, options);
						sources.add(fileSource(f, "NIfTI", options));
					}
					case TIFF -> {
						if (options.verify() || options.requireHounsfield()) read(f, options); // HU shows in its calibration only
						sources.add(fileSource(f, "TIFF", options));
					}
					case OTHER -> ignored.add(f);
				}
			} catch (ExplorerException e) {
				if (!options.skipBad()) throw e;
				skipped.add(new ScanResult.Skipped(f, ReadErrors.reason(e, f)));
			}
		}
		Map<String, List<DicomHeader>> groups = DicomSeries.group(dicoms);
		for (DicomHeader d : DicomSeries.removeDuplicates(groups))
			skipped.add(new ScanResult.Skipped(d.file, "a duplicate: the same image (SOPInstanceUID) as another file of its series"));
		for (List<DicomHeader> g : groups.values()) {
			List<DicomHeader> odd = DicomSeries.oddSizes(g);
			if (!odd.isEmpty()) {
				if (!options.skipBad()) DicomSeries.checkSizes(g);
				for (DicomHeader h : odd)
					skipped.add(new ScanResult.Skipped(h.file, "its slice size " + h.columns() + "×" + h.rows()
						+ " differs from the rest of its series " + h.seriesUid()));
				g = new ArrayList<>(g);
				g.removeAll(odd);
			}
			sources.add(dicomSource(g, seriesName(g, true), options));
		}
		monitor.progress(files.size(), files.size(), "scanned " + folder);
		if (sources.isEmpty()) {
			String why = skipped.isEmpty() ? "" : " (" + skipped.size() + " bad files skipped, e.g. " + skipped.get(0) + ")";
			throw new ExplorerException("No images found in " + folder + why
				+ ". Choose a folder that holds DICOM, NIfTI-1 (.nii, .nii.gz) or TIFF files.");
		}
		sources.sort(Comparator.comparing(s -> s.files().get(0)));
		return new ScanResult(folder, List.copyOf(sources), List.copyOf(skipped), List.copyOf(ignored));
	}

	public static Volume fromImagePlus(ImagePlus imp) {
		return fromImagePlus(imp, ReadOptions.DEFAULT);
	}

	/**
	 * An open image as a volume (values copied, calibration applied): spacing from the calibration, Hounsfield units
	 * when its value unit is HU or it is a CT DICOM opened by ImageJ.
	 */
	public static Volume fromImagePlus(ImagePlus imp, ReadOptions options) {
		Volume v = ImageJVolumes.fromImagePlus(imp, null, options);
		if (options.requireHounsfield() && !v.isHounsfield())
			throw new ExplorerException("The image '" + imp.getTitle() + "' is not in Hounsfield units (no CT modality, value unit '"
				+ imp.getCalibration().getValueUnit() + "'). Use a CT image, calibrate it in HU (Analyze › Calibrate…), or set allow_non_hu=true.");
		return v;
	}

	/** A 2D/3D ImgLib2 image (e.g. a SCIFIO Dataset) as a volume, copied to float planes. */
	public static Volume fromImg(RandomAccessibleInterval<? extends RealType<?>> img, String name, ReadOptions options) {
		return requireHounsfield(ImageJVolumes.fromImg(img, name, options), null, options);
	}

	// --- helpers shared by the readers ---------------------------------------------------------------------------

	private static Volume requireHounsfield(Volume v, Path file, ReadOptions options) {
		if (!options.requireHounsfield() || v.isHounsfield()) return v;
		String what = file == null ? "'" + v.name() + "'" : file.toString();
		throw new ExplorerException("Cannot read " + what + ": the values are not known to be Hounsfield units ("
			+ v.metadata().getOrDefault("format", "this format") + " tells no CT modality). If they are HU, read with 'assume Hounsfield units'.");
	}

	/** Refuses NaN and infinite values: one of them poisons every statistic and every training step. */
	static void checkFinite(Path file, float[][] planes, int width) {
		for (int z = 0; z < planes.length; z++) {
			float[] p = planes[z];
			for (int i = 0; i < p.length; i++)
				if (!Float.isFinite(p[i]))
					throw ReadErrors.bad(file, "it contains " + (Float.isNaN(p[i]) ? "NaN (not-a-number)" : "infinite")
						+ " values, the first at voxel (" + i % width + ", " + i / width + ", " + z + ")",
						"Replace them (e.g. Process › Math › Remove NaNs…, or a fixed value) and save the volume again.");
		}
	}

	static String baseName(Path file) {
		return file.getFileName().toString().replaceFirst("(?i)\\.(dcm|dicom|ima|nii\\.gz|nii|hdr|tiff?)$", "");
	}

	private static String seriesName(List<DicomHeader> g, boolean qualify) {
		DicomHeader h = g.get(0);
		Path parent = h.file.toAbsolutePath().getParent();
		String folder = parent == null || parent.getFileName() == null ? "series" : parent.getFileName().toString();
		String desc = h.text(DicomHeader.SERIES_DESCRIPTION).trim();
		if (!qualify) return desc.isEmpty() ? folder : desc;
		String number = h.text(DicomHeader.SERIES_NUMBER).trim();
		return folder + (desc.isEmpty() ? "" : " " + desc) + (number.isEmpty() ? "" : " #" + number);
	}

	private static VolumeSource fileSource(Path f, String format, ReadOptions options) {
		return new VolumeSource() {
			@Override public String name() { return baseName(f); }
			@Override public String format() { return format; }
			@Override public List<Path> files() { return List.of(f); }
			@Override public int depth() { return -1; }
			@Override public Volume open() { return read(f, options); }
			@Override public String toString() { return format + " " + f; }
		};
	}

	private static VolumeSource dicomSource(List<DicomHeader> series, String name, ReadOptions options) {
		List<DicomHeader> slices = List.copyOf(series);
		int depth = slices.stream().mapToInt(DicomHeader::frames).sum();
		return new VolumeSource() {
			@Override public String name() { return name; }
			@Override public String format() { return "DICOM"; }
			@Override public List<Path> files() { return slices.stream().map(h -> h.file).toList(); }
			@Override public int depth() { return depth; }
			@Override public Volume open() { return DicomSeries.assemble(slices, name, options); }
			@Override public String toString() { return "DICOM series " + name + " (" + slices.size() + " files)"; }
		};
	}

	/** The regular, non-hidden files of a folder (sorted), or of its whole tree. */
	static List<Path> files(Path folder, boolean recursive) {
		if (!Files.isDirectory(folder))
			throw new ExplorerException(Files.exists(folder) ? folder + " is a file, not a folder. Choose the folder that holds the images."
				: "The folder " + folder + " does not exist. Check the path.");
		try (Stream<Path> s = recursive ? Files.walk(folder) : Files.list(folder)) {
			return s.filter(p -> !p.equals(folder) && !isHidden(folder, p) && (Files.isRegularFile(p) || !recursive && looksLikeFile(p)))
				.sorted().toList();
		} catch (IOException | java.io.UncheckedIOException e) {
			throw new ExplorerException("Cannot list the folder " + folder + ": " + e.getMessage() + ". Check that it is readable.", e);
		}
	}

	/** A folder named like an image file (x.dcm/) is handed to the reader, which reports it, rather than passed over. */
	private static boolean looksLikeFile(Path p) {
		return Files.isDirectory(p) && VolumeFormat.byName(p) != VolumeFormat.OTHER;
	}

	private static boolean isHidden(Path root, Path p) {
		for (Path part : root.relativize(p))
			if (part.toString().startsWith(".")) return true;
		return false;
	}
}
