package io.github.ctlatent.traverse;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.VaeEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The base latents one traversal call walks from: seeds, explicit latents, a file of latents, or the VAE
 * encodings of slices of an image or of a slice set. All bases of one call share model, directions and range,
 * so the model is loaded once however many there are.
 */
public final class Bases {

	/**
	 * A base latent and where it came from (named in logs, exports and export.json); {@code origin} holds what
	 * export.json records besides the name (for a default choice: slice, split, reconstruction error), or null.
	 */
	public record Base(String name, float[] z, java.util.Map<String, Object> origin) {
		public Base(String name, float[] z) {
			this(name, z, null);
		}
	}

	/** Bases from a slice set when no slices are listed: see {@link ReconstructedBases}. */
	public static final int DEFAULT_SET_SLICES = 8;

	private Bases() {}

	/** "1,2,3" or "1-4" (inclusive) or a mix → seeds. */
	public static List<Base> seeds(String list, int d) {
		List<Base> out = new ArrayList<>();
		long[] all = numbers(list, "seeds");
		io.github.ctlatent.core.Limits.checkCount("seeds: the number of bases", all.length, (long) io.github.ctlatent.core.Limits.SEEDS.max(),
			"Split the call into several smaller ones.");
		for (long s : all) out.add(new Base("seed " + s, Traversal.seedLatent(d, s)));
		return out;
	}

	/** One latent written out: "0.1, -0.3, …" (d values). */
	public static Base explicit(String values, int d) {
		return new Base("latent", parse(values, d, "latent"));
	}

	/** A text file with one latent per line (d numbers separated by commas or spaces; # starts a comment). */
	public static List<Base> file(Path file, int d) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file);
		} catch (IOException e) {
			throw new ExplorerException("Cannot read the latents file " + file + ": " + e.getMessage() + ". Give a text file with one latent (" + d
				+ " numbers) per line.", e);
		}
		List<Base> out = new ArrayList<>();
		io.github.ctlatent.core.Limits.checkCount("latents: the lines of " + file.getFileName(), lines.stream().filter(l -> !l.replaceAll("#.*", "").isBlank()).count(),
			(long) io.github.ctlatent.core.Limits.LATENT_LINES.max(), "Split the file into several smaller ones.");
		for (int i = 0; i < lines.size(); i++) {
			String l = lines.get(i).replaceAll("#.*", "").trim();
			if (l.isEmpty()) continue;
			out.add(new Base(file.getFileName() + " line " + (i + 1), parse(l, d, file.getFileName() + " line " + (i + 1))));
		}
		if (out.isEmpty()) throw new ExplorerException("The latents file " + file + " holds no latent; write one per line (" + d + " numbers each).");
		return out;
	}

	/** VAE posterior means of slices of an image (1-based slice numbers; "": its current slice). */
	public static List<Base> imageSlices(ij.ImagePlus imp, String slices, DatasetCard data, Path model, Device dev, Monitor monitor) {
		if (data == null) throw new ExplorerException("base_image needs a VAE run folder (its dataset card says how to preprocess the image).");
		List<String> names = new ArrayList<>();
		List<float[]> images = new ArrayList<>();
		imagePlanes(imp, slices, data, "base_slices", names, images);
		return encode(names, images, model, dev, monitor);
	}

	/**
	 * Adds the slices of an image (1-based numbers under {@code key}; "": its current slice) to {@code names} and
	 * {@code images}, preprocessed as {@code data}'s training slices were (model units at the card's size).
	 */
	public static void imagePlanes(ij.ImagePlus imp, String slices, DatasetCard data, String key, List<String> names, List<float[]> images) {
		io.github.ctlatent.data.Volume vol = io.github.ctlatent.data.io.VolumeReaders.fromImagePlus(imp);
		long[] numbers = slices == null || slices.isBlank() ? new long[] {imp.getCurrentSlice()} : numbers(slices, key);
		for (long n : numbers) {
			if (n < 1 || n > vol.depth())
				throw new ExplorerException(key + ": slice " + n + " does not exist; " + imp.getTitle() + " has slices 1-" + vol.depth() + ".");
			names.add(imp.getTitle() + " slice " + n);
			images.add(data.preprocessing.apply(vol.plane((int) n - 1), vol.width(), vol.height()));
		}
	}

	/**
	 * VAE posterior means of slices of a prepared slice set (0-based indices as in slices.csv). With none listed,
	 * {@value #DEFAULT_SET_SLICES} training slices the model reconstructs well, spread along the body
	 * ({@link ReconstructedBases}; {@code decoder} draws the reconstructions), and the choice in words.
	 */
	public static Chosen setSlices(Path folder, String slices, Path model, Generator decoder, Device dev, Monitor monitor) {
		SliceSet set = SliceSet.open(folder);
		if (slices == null || slices.isBlank())
			try (VaeEncoder enc = VaeEncoder.load(model, dev)) {
				return ReconstructedBases.choose(set, folder.getFileName().toString(), DEFAULT_SET_SLICES, enc, decoder, monitor);
			}
		List<String> names = new ArrayList<>();
		List<float[]> images = new ArrayList<>();
		for (long i : numbers(slices, "base_slices")) {
			if (i < 0 || i >= set.count()) throw new ExplorerException("base_slices: slice " + i + " does not exist; the set has slices 0-" + (set.count() - 1) + ".");
			names.add(folder.getFileName() + " slice " + i);
			images.add(set.slice((int) i));
		}
		return new Chosen(encode(names, images, model, dev, monitor), null);
	}

	/** Bases and, when the tool chose them (not the user), how: logged, and written to export.json as baseChoice. */
	public record Chosen(List<Base> bases, String how) {}

	private static List<Base> encode(List<String> names, List<float[]> images, Path model, Device dev, Monitor monitor) {
		try (VaeEncoder enc = VaeEncoder.load(model, dev)) {
			float[][] z = enc.encode(images.toArray(new float[0][]));
			List<Base> out = new ArrayList<>();
			for (int i = 0; i < z.length; i++) out.add(new Base(names.get(i), z[i]));
			monitor.log("Base latents: VAE encodings of " + String.join(", ", names));
			return out;
		}
	}

	/** One latent as a line of {@link #file}: comma-separated floats, each the shortest string that reads back the same. */
	public static String format(float[] z) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < z.length; i++) sb.append(i == 0 ? "" : ",").append(z[i]);
		return sb.toString();
	}

	private static float[] parse(String values, int d, String what) {
		String[] parts = values.trim().split("[,;\\s]+");
		if (parts.length != d)
			throw new ExplorerException(what + " has " + parts.length + " values; the generator's latent has " + d + ".");
		float[] z = new float[d];
		try {
			for (int i = 0; i < d; i++) z[i] = Float.parseFloat(parts[i]);
		} catch (NumberFormatException e) {
			throw new ExplorerException(what + ": '" + values.trim() + "' is not a list of " + d + " numbers.");
		}
		for (float v : z) if (!Float.isFinite(v)) throw new ExplorerException(what + " holds a value that is not a finite number.");
		for (float v : z)
			if (Math.abs(v) > io.github.ctlatent.core.Limits.LATENT_VALUE.max())
				throw new ExplorerException(what + " holds " + v + ": latent coordinates must lie within ±" + (long) io.github.ctlatent.core.Limits.LATENT_VALUE.max()
					+ " (N(0, I) codes lie within ±10; larger ones only make non-finite pixels).");
		return z;
	}

	/** "1,3,5" or "2-6" or a mix → the numbers, in order. */
	public static long[] numbers(String list, String key) {
		List<Long> out = new ArrayList<>();
		try {
			for (String part : list.split(",")) {
				String p = part.trim();
				int dash = p.indexOf('-', 1);
				if (dash > 0) {
					long from = Long.parseLong(p.substring(0, dash).trim()), to = Long.parseLong(p.substring(dash + 1).trim());
					if (to < from || to - from > 100_000) throw new ExplorerException(key + "='" + list + "': the range " + p + " runs backwards or is too long.");
					for (long v = from; v <= to; v++) out.add(v);
				} else out.add(Long.parseLong(p));
			}
		} catch (NumberFormatException e) {
			throw new ExplorerException(key + "='" + list + "' is not a list like 1,3,7 or a range like 1-4.");
		}
		return out.stream().mapToLong(Long::longValue).toArray();
	}
}
