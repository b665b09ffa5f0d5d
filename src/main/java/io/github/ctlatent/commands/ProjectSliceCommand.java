package io.github.ctlatent.commands;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.Projection;
import io.github.ctlatent.traverse.SliceProjections;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/**
 * Finds the latent code whose image reproduces a real slice, for any generator (GAN, VAE decoder, TorchScript), and
 * writes it where Traverse Directions' {@code latents=} reads it: walks then start from the user's anatomy.
 */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Project Slice to Latent", headless = true,
	description = "Optimise a latent code to reproduce each given slice (any generator); write the codes for Traverse Directions' latents= "
		+ "with each slice's error beside a random code's and the mean training image's.")
public class ProjectSliceCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE (its encoder gives one start), or a TorchScript .pt")
	private File model;

	@Parameter(required = false, style = "directory", description = "a prepared slice set at the model's size: the slices to project, and its training split's mean image is a baseline")
	private File slices;

	@Parameter(required = false, description = "slices of the set, 0-based as in slices.csv (e.g. 3,17 or 0-7); empty: see split")
	private String indices = "";

	@Parameter(required = false, choices = {"auto", "test", "train", "all"}, description = "all slices of this split of the set; auto (and no indices): 8 spread over the test split")
	private String split = "auto";

	@Parameter(required = false, label = "Image", description = "project slices of this image instead (a file headless, in Fiji an open CT image), windowed as the model's data")
	private ImagePlus image;

	@Parameter(required = false, description = "slices of the image, 1-based (e.g. 10,40); empty: its current slice")
	private String image_slices = "";

	@Parameter(required = false, style = "directory", description = "with image: the slice set the model was trained on (its window when the model has none; its mean image as baseline)")
	private File reference;

	@Parameter(label = "Output folder", required = false, style = "directory", description = "latents.txt (for latents=), projection.json and projection.csv; empty: write nothing")
	private File output;

	@Parameter(required = false, description = "replace an existing projection folder at output")
	private boolean overwrite;

	@Parameter(required = false, min = "1", max = "100000", description = "Adam steps per start")
	private int steps = Projection.Settings.defaults().steps();

	@Parameter(required = false, min = "1e-6", max = "10", description = "Adam step size in latent units")
	private double learning_rate = Projection.Settings.defaults().learningRate();

	@Parameter(required = false, min = "1", max = "1024", description = "random starting codes per slice; the best result is kept")
	private int restarts = Projection.Settings.defaults().restarts();

	@Parameter(required = false, min = "0", max = "1000", description = "weight of the pull towards N(0, I) codes, which keeps walks from the code valid")
	private double prior_weight = Projection.Settings.defaults().priorWeight();

	@Parameter(required = false, min = "0", max = "100000", description = "random codes of the no-optimisation baseline (0: as many as restarts)")
	private int random_draws;

	@Parameter(required = false, description = "VAE models: do not start one code from the encoder's posterior mean")
	private boolean no_encoder;

	@Parameter(required = false, description = "seed of the random starting codes")
	private long seed = 1;

	@Parameter(required = false, description = Keys.DEVICE)
	private String device = Keys.AUTO;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus projection;

	@Override
	protected void execute(Monitor monitor) {
		SliceProjections p = SliceProjections.of(model.toPath()).device(device).encoder(!no_encoder);
		p.slices(path(slices), split, indices);
		if (image != null) p.image(image, image_slices);
		p.reference(path(reference));
		if (output != null && !output.getPath().isEmpty()) p.output(output.toPath(), overwrite);
		SliceProjections.Report r = p.project(new Projection.Settings(steps, learning_rate, restarts, prior_weight, seed, random_draws), monitor);
		summary = r.summary();
		projection = stack(r);
	}

	private static java.nio.file.Path path(File f) {
		return f == null || f.getPath().isEmpty() ? null : f.toPath();
	}

	/** Each slice beside its projection (model units), for a look in Fiji. */
	private static ImagePlus stack(SliceProjections.Report r) {
		int size = (int) Math.round(Math.sqrt(r.rows().get(0).result().image().length));
		ImageStack s = new ImageStack(size, size);
		for (SliceProjections.Row row : r.rows()) {
			s.addSlice(row.name(), new FloatProcessor(size, size, row.target().clone()));
			s.addSlice("projection of " + row.name(), new FloatProcessor(size, size, row.result().image().clone()));
		}
		ImagePlus imp = new ImagePlus("Projected slices", s);
		imp.setDisplayRange(-1, 1);
		return imp;
	}
}
