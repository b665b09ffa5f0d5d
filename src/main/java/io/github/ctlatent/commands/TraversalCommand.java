package io.github.ctlatent.commands;

import io.github.ctlatent.traverse.Traversals;
import org.scijava.plugin.Parameter;

import java.io.File;

/** Parameters shared by the commands that walk directions (traverse, export, show in BDV), as a {@link Traversals}. */
abstract class TraversalCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE, or a TorchScript .pt with its .json sidecar")
	protected File model;

	@Parameter(label = "Direction set", description = "a directions.json written by 'Discover Directions'")
	protected File directions;

	@Parameter(required = false, description = "direction indices, e.g. 0,3,7 or 0-4, or all")
	protected String indices = "all";

	@Parameter(required = false, choices = {"paper", "animation", "volume", "custom"}, description = "paper: r=6, 7 frames; animation: r=6, 17 frames; volume: r=6, 64 frames (3D viewing); custom: radius and frames below")
	protected String range = "paper";

	@Parameter(required = false, min = "0", max = "1000", description = "custom range: shifts from -radius to +radius")
	protected double radius = 6;

	@Parameter(required = false, min = "2", max = "100000", description = "custom range: number of frames")
	protected int frames = 7;

	@Parameter(required = false, choices = {"linear", "even"}, description = "linear: frames at equal shift steps; even: at equal image change (a fine walk of 8x the frames is rendered first), so a walk advances at an even pace; each frame's shift is recorded")
	protected String spacing = "linear";

	@Parameter(required = false, choices = {"straight", "curved", "projected"}, description = "straight: frames at base + shift; curved: a path that starts along the direction and at every step follows the generator's local singular vector closest to its heading; projected: its heading projected onto the top local singular vectors (2·(d+1) images per step of 0.25 latent units, slower)")
	protected String path = "straight";

	@Parameter(required = false, min = "1", max = "4096", description = "path=curved: how many of the local basis's leading singular vectors the path may follow")
	protected int local_rank = io.github.ctlatent.traverse.WalkPath.DEFAULT_RANK;

	@Parameter(required = false, description = "seed of the base latent z ~ N(0, I)")
	protected long seed = 1;

	@Parameter(required = false, description = "several bases in one call: seeds such as 1,2,3 or 1-8 (instead of seed)")
	protected String seeds = "";

	@Parameter(required = false, description = "an explicit base latent: d numbers separated by commas or spaces")
	protected String latent = "";

	@Parameter(required = false, style = "file", description = "a text file of base latents, one per line (d numbers each)")
	protected File latents;

	@Parameter(required = false, label = "Start from this image", description = "VAE models: start from the encoding of this image's current slice (in Fiji: an open CT image) instead of a seed")
	protected ij.ImagePlus base_image;

	@Parameter(required = false, style = "directory", description = "VAE models: start from the encodings of slices of this slice set")
	protected File base_slice_set;

	@Parameter(required = false, description = "slices to encode: of base_image 1-based (e.g. 10,40,70; default its current slice), of base_slice_set 0-based as in slices.csv (default: 8 training slices the VAE reconstructs well, spread along the body)")
	protected String base_slices = "";

	@Parameter(required = false, description = "keep the generator's [-1, 1] values instead of mapping to HU")
	protected boolean model_units;

	@Parameter(required = false, description = Keys.DEVICE)
	protected String device = Keys.AUTO;

	/** The walks these parameters ask for. */
	protected Traversals traversals() {
		Traversals t = Traversals.of(model.toPath(), directions.toPath()).indices(indices).range(range, radius, frames).spacing(spacing).path(path, local_rank).seed(seed).seeds(seeds)
			.latent(latent).modelUnits(model_units).device(device);
		return t.latents(latents == null ? null : latents.toPath()).baseImage(base_image).baseSliceSet(base_slice_set == null ? null : base_slice_set.toPath())
			.baseSlices(base_slices);
	}
}
