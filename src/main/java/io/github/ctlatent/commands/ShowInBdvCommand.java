package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.view.ViewOptions;
import io.github.ctlatent.view.Views;
import io.github.ctlatent.picture.Window;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/**
 * Opens traversal volumes in BigDataViewer inside Fiji: one source per direction (shift as the third axis), shown one
 * at a time, the first current, in a CT window, and named after an evaluation report's labels when one is given.
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Show in BigDataViewer", headless = true,
	description = "Open latent traversals in BigDataViewer (Fiji only; BigDataViewer itself refuses a headless session with a clear message).")
public class ShowInBdvCommand extends TraversalCommand {

	@Parameter(required = false, choices = {"auto", "lung", "mediastinum", "full"}, description = "display range of the sources (a CT window); "
		+ Window.AUTO_MEANS)
	private String window = Window.AUTO;

	@Parameter(required = false, label = "Evaluation report", style = "directory", description = "a report folder of 'Evaluate Directions' for these directions: sources named by their labels")
	private File report;

	{
		range = "volume"; // 64 frames: the walk looks like a volume in 3D
	}

	@Override
	protected void execute(Monitor monitor) {
		ViewOptions o = ViewOptions.options().window(window).title("Latent traversal of " + model.getName())
			.report(report == null ? null : report.toPath()); // a bad report fails before the walk
		io.github.ctlatent.traverse.Traversals t = traversals();
		Views.bdv(t.walkOne(monitor), o, t, monitor);
	}
}
