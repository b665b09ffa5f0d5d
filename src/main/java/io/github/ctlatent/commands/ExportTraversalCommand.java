package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
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

/** Writes a traversal as BDV XML/N5, TIFF hyperstack, PNG strip and animated GIFs. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Export Traversal", headless = true,
	description = "Export latent traversals: BDV XML/N5, TIFF hyperstack, labelled PNG strip, forward-backward GIF per direction.")
public class ExportTraversalCommand extends TraversalCommand {

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(required = false, choices = {"all", "bdv", "tiff", "png", "gif"}, description = "what to write")
	private String format = "all";

	@Parameter(required = false, choices = {"lung", "mediastinum", "full"}, description = "window for PNG and GIF")
	private String window = "lung";

	@Parameter(required = false, min = "10", description = "GIF frame time in ms (the paper's animations: 50)")
	private int frame_ms = 50;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		TraversalVolume v = traversal(monitor);
		Path out = output.toPath();
		Window w = Window.parse(window);
		List<Path> written = new ArrayList<>();
		boolean all = format.equals("all");
		if (all || format.equals("bdv")) written.add(Exports.bdv(v, out, "traversal", Exports.cubicShiftSpacing(v)));
		if (all || format.equals("tiff")) written.add(Exports.tiff(v, out.resolve("traversal.tif")));
		if (all || format.equals("png")) written.add(Exports.png(v, w, out.resolve("traversal.png")));
		if (all || format.equals("gif"))
			for (int j = 0; j < v.directions().length; j++) {
				monitor.checkCanceled();
				written.add(Exports.gif(v, j, w, frame_ms, out.resolve(String.format("direction_%02d.gif", v.directions()[j]))));
			}
		summary = written.size() + " file(s) in " + out + ": " + String.join(", ", written.stream().map(p -> p.getFileName().toString()).limit(6).toList())
			+ (written.size() > 6 ? ", …" : "");
	}
}
