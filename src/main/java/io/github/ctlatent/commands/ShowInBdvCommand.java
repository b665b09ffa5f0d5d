package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.BdvBridge;
import io.github.ctlatent.view.Exports;
import io.github.ctlatent.view.Window;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Opens traversal volumes in BigDataViewer inside Fiji (one source per direction, shift as the third axis). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Show in BigDataViewer", headless = true,
	description = "Open latent traversals in BigDataViewer (Fiji only; BigDataViewer itself refuses a headless session with a clear message).")
public class ShowInBdvCommand extends TraversalCommand {

	@Parameter(required = false, choices = {"auto", "lung", "mediastinum", "full"}, description = "display range of the sources (a CT window); "
		+ Window.AUTO_MEANS)
	private String window = Window.AUTO;

	{
		range = "volume"; // 64 frames: the walk looks like a volume in 3D
	}

	@Override
	protected void execute(Monitor monitor) {
		io.github.ctlatent.traverse.Traversals t = traversals();
		TraversalVolume v = t.walkOne(monitor);
		Window.Choice w = Window.choose(window, t.dataset());
		monitor.log("Display range: " + w.why());
		BdvBridge.show(BdvBridge.sources(v, Exports.cubicShiftSpacing(v), w.window()), "Latent traversal of " + model.getName(), BdvBridge.fiji());
	}
}
