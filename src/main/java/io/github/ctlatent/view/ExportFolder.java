package io.github.ctlatent.view;

import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.picture.Window;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.traverse.Traversals;
import io.github.ctlatent.traverse.TraversalVolume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the walks of one traversal call into an export folder: BDV XML/N5, TIFF hyperstack, labelled PNG strip
 * and forward–backward GIFs, plus {@code export.json} (what was exported, from what, from which bases). One base
 * keeps the plain names ({@code traversal.tif}, {@code direction_03.gif}); several get a {@code _base00} suffix
 * each. The folder is built aside and swapped in: a killed export never leaves old and new files mixed.
 */
public final class ExportFolder {

	/** The card that marks a folder as an export of this tool. */
	public static final String CARD = "export.json";

	/** What to write and how; {@code format} is all, bdv, tiff, png or gif; {@code window} as {@link Window#choose} takes it. */
	public record Request(Path output, String format, String window, int frameMs, boolean overwrite) {}

	private ExportFolder() {}

	/**
	 * Renders the walks of {@code t} and writes them into {@code r}'s folder: the output is checked before anything
	 * is rendered, then locked for {@code owner} (named in the lock) while the walks are rendered and written.
	 */
	public static Written walkAndWrite(Traversals t, Request r, String owner, Monitor monitor) {
		check(r, t.inputs());
		try (OutputLock lock = OutputLock.acquire(r.output(), owner, monitor)) {
			List<Traversals.Walk> walks = t.walk(monitor);
			Window.Choice w = Window.choose(r.window(), t.dataset());
			monitor.log("Window of the strips, GIFs and BDV display range: " + w.why());
			List<Path> files = write(walks, r, w, t.provenance(), monitor);
			return new Written(walks, files, summary(files, r.output()), w.window());
		}
	}

	/** The walks of one export, what was written and in which window. */
	public record Written(List<Traversals.Walk> walks, List<Path> files, String summary, Window window) {}

	/** Refuses an output that overlaps the inputs or is not a (replaceable) export folder, before anything is rendered. */
	public static void check(Request r, Map<String, Path> inputs) {
		Outputs.requireApart("output", r.output(), inputs);
		Outputs.requireFreeFolder("output", r.output(), r.overwrite(), "traversal export", CARD);
		AtomicFiles.cleanLeftovers(r.output().toAbsolutePath().getParent());
	}

	/** Writes every walk; returns the files written. {@code card} holds the caller's provenance (model, directions, …). */
	public static List<Path> write(List<Traversals.Walk> walks, Request r, Window.Choice window, Map<String, Object> card, Monitor monitor) {
		List<Path> written = new ArrayList<>();
		Window w = window.window();
		String f = r.format();
		boolean all = f.equals("all");
		AtomicFiles.replaceFolderVia(r.output(), Outputs.replaceable(CARD), tmp -> {
			Files.createDirectories(tmp);
			List<Map<String, Object>> bases = new ArrayList<>();
			for (int b = 0; b < walks.size(); b++) {
				TraversalVolume v = walks.get(b).volume();
				String suffix = walks.size() == 1 ? "" : String.format("_base%02d", b);
				monitor.checkCanceled();
				if (all || f.equals("bdv")) written.add(Exports.bdv(v, tmp, "traversal" + suffix, Exports.cubicShiftSpacing(v), w));
				if (all || f.equals("tiff")) written.add(Exports.tiff(v, tmp.resolve("traversal" + suffix + ".tif")));
				if (all || f.equals("png")) written.add(WalkPictures.png(v, w, tmp.resolve("traversal" + suffix + ".png")));
				if (all || f.equals("gif"))
					for (int j = 0; j < v.directions().length; j++) {
						monitor.checkCanceled();
						written.add(WalkPictures.gif(v, j, w, r.frameMs(), tmp.resolve(String.format("direction_%02d%s.gif", v.directions()[j], suffix))));
					}
				Map<String, Object> base = new LinkedHashMap<>();
				base.put("name", walks.get(b).base().name());
				base.put("suffix", suffix);
				if (walks.get(b).base().origin() != null) base.putAll(walks.get(b).base().origin());
				base.put("latent", v.base());
				if (Double.isNaN(v.shiftStep())) base.put("shifts", perDirection(v)); // spacing=even: every direction and base has its own
				bases.add(base);
			}
			TraversalVolume first = walks.get(0).volume();
			Map<String, Object> c = new LinkedHashMap<>();
			c.put("tool", "ct-latent-explorer");
			c.putAll(card);
			c.put("generatorFingerprint", first.generatorFingerprint());
			c.put("indices", java.util.Arrays.stream(first.directions()).boxed().toList());
			c.put("spacing", first.spacing().key());
			c.put("path", first.path().key());
			if (first.path().curved()) c.put("localRank", first.path().rank());
			if (!Double.isNaN(first.shiftStep())) c.put("shifts", first.shifts(0));
			else c.put("shifts_note", "frames at equal image change: each base lists the shift of every frame of every direction (bases[].shifts)");
			c.put("valueUnit", first.valueUnit());
			c.put("format", f);
			c.put("window", Map.of("name", w.name(), "min", w.min(), "max", w.max(), "why", window.why()));
			c.put("bases", bases);
			c.put("files", written.stream().map(p -> p.getFileName().toString()).toList());
			Json.write(tmp.resolve(CARD), c);
		});
		return written;
	}

	/** Direction index → the shift of each of its frames. */
	private static Map<String, double[]> perDirection(TraversalVolume v) {
		Map<String, double[]> m = new LinkedHashMap<>();
		for (int j = 0; j < v.directions().length; j++) m.put(String.valueOf(v.directions()[j]), v.shifts(j));
		return m;
	}

	/** "3 file(s) in out: a, b, c" (at most six names). */
	public static String summary(List<Path> written, Path out) {
		return written.size() + " file(s) in " + out + ": " + String.join(", ", written.stream().map(p -> p.getFileName().toString()).limit(6).toList())
			+ (written.size() > 6 ? ", …" : "");
	}
}
