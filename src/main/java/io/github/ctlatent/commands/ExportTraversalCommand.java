package io.github.ctlatent.commands;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.Exports;
import io.github.ctlatent.view.Window;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a traversal as BDV XML/N5, TIFF hyperstack, PNG strip and animated GIFs. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Export Traversal", headless = true,
	description = "Export latent traversals: BDV XML/N5, TIFF hyperstack, labelled PNG strip, forward-backward GIF per direction.")
public class ExportTraversalCommand extends TraversalCommand {

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(required = false, choices = {"all", "bdv", "tiff", "png", "gif"}, description = "what to write")
	private String format = "all";

	@Parameter(required = false, choices = {"lung", "mediastinum", "full"}, description = "window for PNG, GIF and the BDV display range")
	private String window = "lung";

	@Parameter(required = false, min = "10", max = "60000", description = "GIF frame time in ms (the paper's animations: 50)")
	private int frame_ms = 50;

	@Parameter(required = false, description = "replace an existing export folder (only one this command wrote: it holds export.json)")
	private boolean overwrite;

	/** The card that marks a folder as an export of this tool (what was exported, from what). */
	static final String CARD = "export.json";

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		Path out = output.toPath();
		Outputs.requireApart("output", out, Map.of("model", model.toPath(), "directions", directions.toPath()));
		Outputs.requireFreeFolder("output", out, overwrite, "traversal export", CARD);
		List<Path> written = new ArrayList<>();
		try (OutputLock lock = lock(output, monitor)) {
			AtomicFiles.cleanLeftovers(out.toAbsolutePath().getParent());
			TraversalVolume v = traversal(monitor);
			Window w = Window.parse(window);
			// the whole export is built aside and swapped in: a killed export never leaves old and new files mixed
			AtomicFiles.replaceFolderVia(out, tmp -> {
				java.nio.file.Files.createDirectories(tmp);
				boolean all = format.equals("all");
				if (all || format.equals("bdv")) written.add(Exports.bdv(v, tmp, "traversal", Exports.cubicShiftSpacing(v), w));
				if (all || format.equals("tiff")) written.add(Exports.tiff(v, tmp.resolve("traversal.tif")));
				if (all || format.equals("png")) written.add(Exports.png(v, w, tmp.resolve("traversal.png")));
				if (all || format.equals("gif"))
					for (int j = 0; j < v.directions().length; j++) {
						monitor.checkCanceled();
						written.add(Exports.gif(v, j, w, frame_ms, tmp.resolve(String.format("direction_%02d.gif", v.directions()[j]))));
					}
				Map<String, Object> card = new java.util.LinkedHashMap<>();
				card.put("tool", "ct-latent-explorer");
				card.put("model", model.toString());
				card.put("directions", directions.toString());
				card.put("generatorFingerprint", v.generatorFingerprint());
				card.put("indices", java.util.Arrays.stream(v.directions()).boxed().toList());
				card.put("shifts", v.shifts(0));
				card.put("seed", seed);
				card.put("format", format);
				card.put("files", written.stream().map(p -> p.getFileName().toString()).toList());
				Json.write(tmp.resolve(CARD), card);
			});
		}
		summary = written.size() + " file(s) in " + out + ": " + String.join(", ", written.stream().map(p -> p.getFileName().toString()).limit(6).toList())
			+ (written.size() > 6 ? ", …" : "");
	}
}
