package io.github.ctlatent.data.phantom;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.data.io.DicomWriter;
import io.github.ctlatent.data.io.NiftiWriter;
import io.github.ctlatent.data.io.TiffWriter;
import io.github.ctlatent.data.phantom.PhantomFactors.Factor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a phantom data set: one volume per patient in each requested {@link Format} ({@code phantom_000/} DICOM
 * series, {@code phantom_000.nii.gz}, {@code phantom_000.tif}), {@code factors.csv} with one labelled row per slice,
 * and {@code phantom.json} describing seed, size and factor ranges.
 * <p>
 * Deterministic: the same arguments give byte-identical files, and volume {@code i} depends only on the seed and
 * {@code i} (not on {@code count}), so a larger data set extends a smaller one.
 * <p>
 * Every file (and every DICOM folder) appears atomically. On cancellation or error the volumes already completed stay
 * in place, but {@code factors.csv} and {@code phantom.json} are written only after the last volume, so a data set
 * without them is incomplete and should be regenerated.
 */
public final class PhantomGenerator {

	public enum Format {
		DICOM, NIFTI, TIFF;

		/** The file (or folder, for DICOM) a volume of this name is written to. */
		public String fileName(String volume) {
			return switch (this) {
				case DICOM -> volume;
				case NIFTI -> volume + ".nii.gz";
				case TIFF -> volume + ".tif";
			};
		}
	}

	public static final String CSV = "factors.csv", JSON = "phantom.json";

	private PhantomGenerator() {}

	/** What was written. */
	public record Summary(Path folder, int volumes, List<SliceFactors> slices, List<Path> files) {}

	public static Summary generate(int count, int size, int slices, long seed, Format format, Path outDir, double noiseStd, Monitor monitor) {
		return generate(count, size, slices, seed, EnumSet.of(format), outDir, noiseStd, monitor);
	}

	/**
	 * @param count    number of volumes (patients)
	 * @param size     axial matrix size N (N×N)
	 * @param slices   slices per volume, apex to upper abdomen
	 * @param noiseStd Gaussian noise, HU (0 for none)
	 */
	public static Summary generate(int count, int size, int slices, long seed, Set<Format> formats, Path outDir, double noiseStd,
		Monitor monitor) {
		if (count < 1) throw new ExplorerException("Phantom count must be at least 1, got " + count + ".");
		if (size < 16 || slices < 2) throw new ExplorerException("A phantom volume needs size >= 16 and slices >= 2, got size=" + size + ", slices=" + slices + ".");
		if (!Double.isFinite(noiseStd) || noiseStd < 0) throw new ExplorerException("Phantom noise must be a finite number >= 0 HU, got " + noiseStd + ".");
		if (formats.isEmpty()) throw new ExplorerException("Choose at least one output format.");
		// a volume is rendered in memory as float HU plus its label maps before it is written
		Checks.requireMemory("A phantom volume of " + size + "x" + size + "x" + slices, 4.0 * size * size * slices * 4,
			"Use a smaller size or fewer slices.");
		List<SliceFactors> rows = new ArrayList<>();
		List<Path> files = new ArrayList<>();
		monitor.log(String.format(Locale.ROOT, "Phantom: %d volumes of %dx%dx%d, seed %d, noise %.1f HU, %s -> %s", count, size, size, slices,
			seed, noiseStd, formats, outDir));
		for (int i = 0; i < count; i++) {
			monitor.checkCanceled();
			monitor.progress(i, count, "Phantom volume " + (i + 1) + "/" + count);
			ThoraxPhantom.Rendered r = render(seed, i, size, slices, noiseStd);
			Volume v = r.volume();
			for (Format f : formats) {
				Path target = outDir.resolve(f.fileName(v.name()));
				switch (f) {
					case DICOM -> AtomicFiles.replaceFolderVia(target, tmp -> DicomWriter.writeSeries(v, tmp));
					case NIFTI -> NiftiWriter.write(v, target);
					case TIFF -> TiffWriter.write(v, target);
				}
				files.add(target);
			}
			rows.addAll(r.slices());
		}
		monitor.checkCanceled();
		AtomicFiles.writeString(outDir.resolve(CSV), csv(rows));
		Json.write(outDir.resolve(JSON), description(count, size, slices, seed, formats, noiseStd));
		monitor.progress(count, count, "Phantom done");
		return new Summary(outDir, count, List.copyOf(rows), List.copyOf(files));
	}

	/** Renders volume {@code i} of the data set with this seed, in memory (what {@link #generate} writes). */
	public static ThoraxPhantom.Rendered render(long seed, int i, int size, int slices, double noiseStd) {
		long s = volumeSeed(seed, i);
		return ThoraxPhantom.render(i, PhantomFactors.draw(s), size, slices, noiseStd, mix(s ^ 0x6E6F697365L));
	}

	/** The seed of volume {@code i}: a hash of the data set's seed and the index. */
	public static long volumeSeed(long seed, int i) {
		return mix(mix(seed) + i * 0x9E3779B97F4A7C15L);
	}

	/** SplitMix64's finalizer: a bijective 64-bit mix. */
	static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/** factors.csv: volume, slice, z, every volume factor, then the observability mask of breast and lung. */
	public static String csv(List<SliceFactors> rows) {
		StringBuilder sb = new StringBuilder("volume,slice");
		for (Factor f : Factor.values()) sb.append(',').append(f.key);
		sb.append(",obs_breast,obs_lung\n");
		for (SliceFactors r : rows) {
			sb.append(r.volume()).append(',').append(r.slice());
			for (double x : r.values()) sb.append(',').append(String.format(Locale.ROOT, "%.6g", x));
			sb.append(',').append(r.breastObservable() ? 1 : 0).append(',').append(r.lungObservable() ? 1 : 0).append('\n');
		}
		return sb.toString();
	}

	static Map<String, Object> description(int count, int size, int slices, long seed, Set<Format> formats, double noiseStd) {
		Map<String, Object> d = new LinkedHashMap<>();
		d.put("generator", "CT Latent Explorer thorax phantom");
		d.put("seed", seed);
		d.put("volumes", count);
		d.put("size", List.of(size, size, slices));
		double dz = slices > 1 ? ThoraxPhantom.LENGTH_MM / (slices - 1) : ThoraxPhantom.LENGTH_MM;
		d.put("spacing_mm", List.of(ThoraxPhantom.FOV_MM / size, ThoraxPhantom.FOV_MM / size, dz));
		d.put("field_of_view_mm", ThoraxPhantom.FOV_MM);
		d.put("length_mm", ThoraxPhantom.LENGTH_MM);
		d.put("noise_std_hu", noiseStd);
		d.put("formats", formats.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
		d.put("naming", "volume i is phantom_<iii>; factors.csv has one row per slice (slice 0 = apex)");
		List<Map<String, Object>> factors = new ArrayList<>();
		for (Factor f : Factor.values()) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("name", f.key);
			m.put("unit", f.unit);
			m.put("min", f.min);
			m.put("max", f.max);
			m.put("mean", f.mean());
			m.put("std", f.std());
			m.put("per", f == Factor.Z ? "slice" : "volume");
			m.put("meaning", f.meaning);
			m.put("observable", f.observability);
			factors.add(m);
		}
		d.put("factors", factors);
		return d;
	}
}
