package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.view.ViewOptions;
import io.github.ctlatent.view.Views;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** Writes traversals (one or many bases) as BDV XML/N5, TIFF hyperstack, PNG strip and animated GIFs. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Export Traversal", headless = true,
	description = "Export latent traversals: BDV XML/N5, TIFF hyperstack, labelled PNG strip, forward-backward GIF per direction (one set per base).")
public class ExportTraversalCommand extends TraversalCommand {

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(required = false, choices = {"all", "bdv", "tiff", "png", "gif"}, description = "what to write")
	private String format = "all";

	@Parameter(required = false, choices = {"auto", "lung", "mediastinum", "full"}, description = "window for PNG, GIF and the BDV display range; "
		+ io.github.ctlatent.picture.Window.AUTO_MEANS)
	private String window = io.github.ctlatent.picture.Window.AUTO;

	@Parameter(required = false, min = "10", max = "60000", description = "GIF frame time in ms (the paper's animations: 50)")
	private int frame_ms = 50;

	@Parameter(required = false, description = "replace an existing export folder (only one this command wrote: it holds export.json)")
	private boolean overwrite;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		summary = Views.export(traversals(), ViewOptions.options().output(output.toPath()).format(format).window(window).frameMs(frame_ms)
			.overwrite(overwrite).owner(label()), monitor).summary();
	}
}
