package io.github.ctlatent.commands;

import ij.ImagePlus;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.LatentExplorer;
import io.github.ctlatent.view.Ranking;
import io.github.ctlatent.view.LatentText;
import io.github.ctlatent.picture.Window;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * What the Latent Explorer window does, as a macro-recordable command: the image of one latent (copied from the
 * window, or a seed plus slider values), and optionally the walk along one direction from there (the window's
 * "traversal" button).
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Render Latent", headless = true,
	description = "Render the image of a latent (as copied from the Latent Explorer, or a seed plus slider values) in HU, optionally with the walk along one direction from it.")
public class RenderLatentCommand extends LatentCommand {

	@Parameter(required = false, description = "the latent as comma-separated numbers (the explorer's 'Copy latent'); empty: the seed's base plus values")
	private String latent = "";

	@Parameter(required = false, description = "slider values as direction:shift pairs, e.g. 0:2.5,3:-1 (added to the latent)")
	private String values = "";

	@Parameter(required = false, min = "-1", max = "100000", description = "also walk along this direction from the latent (-1: no walk)")
	private int walk = -1;

	@Parameter(required = false, min = "0", max = "1000", description = "walk: shifts from -radius to +radius")
	private double radius = 6;

	@Parameter(required = false, min = "2", max = "100000", description = "walk: number of frames (64 looks like a volume in 3D viewers)")
	private int frames = 64;

	@Parameter(required = false, choices = {"linear", "even"}, description = "walk: frames at equal shift steps (linear) or at equal image change (even)")
	private String spacing = "linear";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus image;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus traversal;

	@Override
	protected void execute(Monitor monitor) {
		java.nio.file.Path m = modelPath();
		Window w = Window.parse(window);
		try (LatentExplorer e = explorer(Ranking.INDEX, Integer.MAX_VALUE, monitor)) {
			if (!latent.isBlank()) e.setBase(LatentText.parseLatent(latent, e.generator().latentDim()));
			LatentText.applyValues(e, values);
			image = e.snapshot(w);
			image.setTitle("latent of " + m.getFileName());
			if (walk >= 0) {
				int j = e.sliderOf(walk);
				TraversalVolume v = e.traversal(j, new Traversal.Range(radius, frames), io.github.ctlatent.traverse.Spacing.parse(spacing), monitor);
				traversal = v.imagePlus("walk along direction " + walk + " of " + m.getFileName(), false);
				if (v.valueUnit().equals("HU")) traversal.setDisplayRange(w.min(), w.max());
			}
		}
	}
}
