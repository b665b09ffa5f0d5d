package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.BdvBridge;
import io.github.ctlatent.view.Exports;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Opens traversal volumes in BigDataViewer inside Fiji (one source per direction, shift as the third axis). */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Show in BigDataViewer", headless = true,
	description = "Open latent traversals in BigDataViewer (Fiji only; BigDataViewer itself refuses a headless session with a clear message).")
public class ShowInBdvCommand extends TraversalCommand {

	@Override
	protected void execute(Monitor monitor) {
		TraversalVolume v = traversal(monitor);
		BdvBridge.show(BdvBridge.sources(v, Exports.cubicShiftSpacing(v)), "Latent traversal of " + model.getName(), BdvBridge.fiji());
	}
}
