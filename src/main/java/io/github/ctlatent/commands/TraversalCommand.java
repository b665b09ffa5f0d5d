package io.github.ctlatent.commands;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import org.scijava.plugin.Parameter;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Parameters and wiring shared by the commands that walk directions (traverse, export, show in BDV). */
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

	@Parameter(required = false, description = "slices to encode: of base_image 1-based (e.g. 10,40,70; default its current slice), of base_slice_set 0-based as in slices.csv (default 8 spread over the test split)")
	protected String base_slices = "";

	@Parameter(required = false, description = "keep the generator's [-1, 1] values instead of mapping to HU")
	protected boolean model_units;

	@Parameter(required = false, description = "auto, cpu, gpu or gpu:N")
	protected String device = "auto";

	/** The walk from the one base asked for (commands that show a single walk). */
	protected TraversalVolume traversal(Monitor monitor) {
		List<Walk> walks = traversals(monitor);
		if (walks.size() > 1) monitor.log("WARNING: " + walks.size() + " bases were given; this command shows the first (" + walks.get(0).base().name() + ").");
		return walks.get(0).volume();
	}

	/** The walks of one call and, when they were exported, what was written. */
	protected record Rendered(List<Walk> walks, String summary) {}

	/**
	 * Renders every base's walk; with an export request (may be null) the output is checked before anything is
	 * rendered, then the walks are written into it under its lock.
	 */
	protected Rendered renderAndExport(TraversalExports.Request export, Monitor monitor) {
		if (export == null) return new Rendered(traversals(monitor), null);
		java.util.Map<String, java.nio.file.Path> inputs = new java.util.LinkedHashMap<>();
		inputs.put("model", model.toPath());
		inputs.put("directions", directions.toPath());
		if (latents != null) inputs.put("latents", latents.toPath());
		if (base_slice_set != null) inputs.put("base_slice_set", base_slice_set.toPath());
		TraversalExports.check(export, inputs);
		try (io.github.ctlatent.core.OutputLock lock = lock(export.output().toFile(), monitor)) {
			List<Walk> walks = traversals(monitor);
			java.util.Map<String, Object> card = new java.util.LinkedHashMap<>();
			card.put("model", model.toString());
			card.put("directions", directions.toString());
			card.put("seed", seed);
			List<java.nio.file.Path> written = TraversalExports.write(walks, export, card, monitor);
			return new Rendered(walks, TraversalExports.summary(written, export.output()));
		}
	}

	/** A walk and the base it started from. */
	protected record Walk(TraversalBases.Base base, TraversalVolume volume) {}

	/** Loads model and directions once, checks they belong together, and renders the walk from every base asked for. */
	protected List<Walk> traversals(Monitor monitor) {
		Device dev = Engines.device(device, monitor);
		DirectionSet set = DirectionSet.load(directions.toPath());
		try (Generator g = Models.load(model.toPath(), dev)) {
			set.requireGenerator(g);
			Directions dirs = Directions.of(set);
			int[] ks = parseIndices(indices, dirs.count());
			Traversal.Range r = switch (range) {
				case "animation" -> Traversal.Range.animation();
				case "volume" -> Traversal.Range.volume();
				case "custom" -> new Traversal.Range(radius, frames);
				default -> Traversal.Range.paper();
			};
			DatasetCard data = Files.isDirectory(model.toPath()) ? ModelCard.read(model.toPath()).dataset : null;
			List<TraversalBases.Base> bases = bases(g.latentDim(), data, dev, monitor);
			monitor.log(String.format("Walking %d direction(s) of %s, r = %.2f, %d frames, from %d base(s): %s", ks.length, directions, r.radius(), r.frames(),
				bases.size(), String.join("; ", bases.stream().map(TraversalBases.Base::name).limit(8).toList()) + (bases.size() > 8 ? "; …" : "")));
			List<Walk> walks = new ArrayList<>();
			for (TraversalBases.Base b : bases) {
				monitor.checkCanceled();
				TraversalVolume v = Traversal.walk(g, dirs, ks, b.z(), r, monitor);
				if (!model_units && data != null) v.toHounsfield(data.preprocessing, data.pixelSizeMm);
				walks.add(new Walk(b, v));
			}
			return walks;
		}
	}

	/** The bases from whichever of seed / seeds / latent / latents / base_image / base_slice_set was given (only one). */
	private List<TraversalBases.Base> bases(int d, DatasetCard data, Device dev, Monitor monitor) {
		int given = (blank(seeds) ? 0 : 1) + (blank(latent) ? 0 : 1) + (latents == null ? 0 : 1) + (base_image == null ? 0 : 1) + (base_slice_set == null ? 0 : 1);
		if (given > 1) throw new ExplorerException("Give the base latents one way: seeds=, latent=, latents=, base_image= or base_slice_set= (got " + given + ").");
		if (!blank(base_slices) && base_image == null && base_slice_set == null)
			throw new ExplorerException("base_slices= needs base_image= or base_slice_set= (the slices to encode).");
		if (!blank(seeds)) return TraversalBases.seeds(seeds, d);
		if (!blank(latent)) return List.of(TraversalBases.explicit(latent, d));
		if (latents != null) return TraversalBases.file(latents.toPath(), d);
		if (base_image != null) return TraversalBases.imageSlices(base_image, base_slices, data, model.toPath(), dev, monitor);
		if (base_slice_set != null) {
			if (data == null) throw new ExplorerException("base_slice_set needs a VAE run folder (its encoder makes the base latents).");
			return TraversalBases.setSlices(base_slice_set.toPath(), base_slices, model.toPath(), dev, monitor);
		}
		return List.of(new TraversalBases.Base("seed " + seed, Traversal.seedLatent(d, seed)));
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}

	/** "all", "3", "0,2,5", "0-4" (inclusive) → indices. */
	static int[] parseIndices(String s, int count) {
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("all")) return java.util.stream.IntStream.range(0, count).toArray();
		long[] ks = TraversalBases.numbers(s, "indices");
		for (long k : ks) if (k < 0 || k >= count) throw new ExplorerException("Direction " + k + " does not exist: the set has directions 0…" + (count - 1) + ".");
		return java.util.Arrays.stream(ks).mapToInt(k -> (int) k).toArray();
	}
}
