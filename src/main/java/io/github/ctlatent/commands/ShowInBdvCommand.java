package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.BdvBridge;
import io.github.ctlatent.view.DirectionLabels;
import io.github.ctlatent.view.Exports;
import io.github.ctlatent.view.Window;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.util.Map;

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
		Map<Integer, String> labels = report == null || report.getPath().isEmpty() ? Map.of() : DirectionLabels.fromReport(report.toPath()); // a bad report fails before the walk
		io.github.ctlatent.traverse.Traversals t = traversals();
		TraversalVolume v = t.walkOne(monitor);
		Window.Choice w = Window.choose(window, t.dataset());
		monitor.log("Display range: " + w.why());
		BdvBridge.show(BdvBridge.sources(v, Exports.cubicShiftSpacing(v), w.window(), labels), "Latent traversal of " + model.getName(), BdvBridge.fiji());
	}
}
