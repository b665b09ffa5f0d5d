package io.github.ctlatent.commands;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.view.ViewOptions;
import io.github.ctlatent.view.Views;
import io.github.ctlatent.view.LatentExplorer;
import io.github.ctlatent.view.Ranking;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;


/**
 * Opens the Latent Explorer window: a slider per direction and the generated slice in HU, updated live. Needs a
 * display; headless, every action is 'Render Latent' or a {@link LatentExplorer} call.
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Latent Explorer", headless = true,
	description = "A window with one slider per latent direction and the generated CT slice updating as you drag (needs a display).")
public class LatentExplorerCommand extends LatentCommand {



	@Parameter(required = false, choices = {"index", "eigenvalue", "rca", "pixel_change"}, description = "which directions get sliders first")
	private String ranking = "index";

	@Parameter(required = false, min = "1", max = "64", description = "number of sliders (the top directions by the ranking)")
	private int sliders = 8;

	@Parameter(required = false, min = "0.1", max = "1000", description = "each slider runs from -radius to +radius")
	private double radius = 6;




	@Override
	protected void execute(Monitor monitor) {
		if (java.awt.GraphicsEnvironment.isHeadless())
			throw new ExplorerException("The Latent Explorer is a window and this session is headless. Use 'Render Latent' (the image of a latent, "
				+ "a seed plus slider values, or a walk along one direction) or the LatentExplorer class from a script.");
		LatentExplorer e = explorer(Ranking.parse(ranking), sliders, monitor);
		Views.explorerWindow(e, radius, seed, ViewOptions.options().window(window)); // the window owns the explorer from here and closes it with itself
	}
}
