package io.github.ctlatent.data.phantom;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.phantom.PhantomGenerator.Format;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The front door of the synthetic data: thorax CT volumes with known anatomy factors written as a data set folder
 * (what is in it: {@link PhantomGenerator}), ready for {@link io.github.ctlatent.data.SliceSets}.
 * <pre>
 * Phantoms.Written w = Phantoms.thorax().count(8).size(128).slices(64).format("nifti").seed(1).write(folder, monitor);
 * </pre>
 * Defaults are the "Generate Thorax Phantom" command's, which is wiring over this class. The folder is built aside and
 * swapped in, so a canceled or killed run leaves the previous data set (or nothing), never a mix.
 */
public final class Phantoms {

	/** What was written, and one line saying so. */
	public record Written(PhantomGenerator.Summary summary, String line) {}

	private int count = 10, size = 128, slices = 96;
	private long seed = 1;
	private double noise = 10;
	private Set<Format> formats = EnumSet.of(Format.DICOM);
	private boolean overwrite;

	private Phantoms() {}

	/** The thorax phantom: apex to upper abdomen, one volume per patient. */
	public static Phantoms thorax() {
		return new Phantoms();
	}

	/** Number of volumes (patients). */
	public Phantoms count(int n) { count = n; return this; }

	/** In-plane size N of the N×N slices. */
	public Phantoms size(int n) { size = n; return this; }

	/** Slices per volume, apex to upper abdomen. */
	public Phantoms slices(int n) { slices = n; return this; }

	/** Same seed, same volumes; volume i depends only on the seed and i. */
	public Phantoms seed(long s) { seed = s; return this; }

	/** Gaussian noise std in HU (0 for none). */
	public Phantoms noise(double hu) { noise = hu; return this; }

	/** One or more file formats. */
	public Phantoms format(Format... f) { formats = f.length == 0 ? EnumSet.noneOf(Format.class) : EnumSet.copyOf(Arrays.asList(f)); return this; }

	/** A format by name: dicom, nifti or tiff. */
	public Phantoms format(String name) {
		try {
			return format(Format.valueOf(name.trim().toUpperCase(Locale.ROOT)));
		} catch (IllegalArgumentException e) {
			throw new ExplorerException("Unknown phantom format '" + name + "'. Use dicom, nifti or tiff.");
		}
	}

	/** Replace an existing phantom data set (only one this tool wrote: it holds phantom.json). */
	public Phantoms overwrite(boolean b) { overwrite = b; return this; }

	/** Renders and writes the data set into {@code output}, holding its lock. */
	public Written write(Path output, Monitor monitor) {
		if (output == null) throw new ExplorerException("Give the output folder of the phantom data set.");
		Outputs.requireFreeFolder("output", output, overwrite, "phantom data set", PhantomGenerator.JSON);
		PhantomGenerator.Summary[] built = new PhantomGenerator.Summary[1];
		try (OutputLock lock = OutputLock.acquire(output, "Generate Thorax Phantom", monitor)) {
			AtomicFiles.cleanLeftovers(output.toAbsolutePath().getParent());
			AtomicFiles.replaceFolderVia(output, Outputs.replaceable(PhantomGenerator.JSON), tmp -> built[0] = PhantomGenerator.generate(count, size, slices, seed, formats, tmp, noise, monitor));
		}
		List<Path> files = new ArrayList<>(); // the summary names the temporary folder it was built in
		for (Path f : built[0].files()) files.add(output.resolve(built[0].folder().relativize(f)));
		PhantomGenerator.Summary s = new PhantomGenerator.Summary(output, built[0].volumes(), built[0].slices(), List.copyOf(files));
		String names = String.join("+", formats.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
		return new Written(s, s.volumes() + " phantom volumes of " + size + "x" + size + "x" + slices + " (" + names + ") in " + output);
	}
}
