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

	@Parameter(required = false, label = "Start from this image", description = "VAE models: start from the encoding of this image's current slice (in Fiji: an open CT image) instead of a seed")
	protected ij.ImagePlus base_image;

	@Parameter(required = false, description = "keep the generator's [-1, 1] values instead of mapping to HU")
	protected boolean model_units;

	@Parameter(required = false, description = "auto, cpu, gpu or gpu:N")
	protected String device = "auto";

	/** Loads model and directions, checks they belong together, and renders the walk. */
	protected TraversalVolume traversal(Monitor monitor) {
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
			monitor.log(String.format("Walking %d direction(s) of %s, r = %.2f, %d frames, base seed %d", ks.length, directions, r.radius(), r.frames(), seed));
			DatasetCard data = Files.isDirectory(model.toPath()) ? ModelCard.read(model.toPath()).dataset : null;
			float[] base = base_image == null ? Traversal.seedLatent(g.latentDim(), seed) : encode(base_image, data, dev, monitor);
			TraversalVolume v = Traversal.walk(g, dirs, ks, base, r, monitor);
			if (!model_units && data != null) v.toHounsfield(data.preprocessing, data.pixelSizeMm);
			return v;
		}
	}

	/** The VAE posterior mean of the image's current slice, preprocessed as the model's training data was. */
	private float[] encode(ij.ImagePlus imp, DatasetCard data, Device dev, Monitor monitor) {
		return io.github.ctlatent.view.LatentExplorer.encodeSlice(model.toPath(), data, imp, dev, monitor);
	}

	/** "all", "3", "0,2,5", "0-4" (inclusive) → indices. */
	static int[] parseIndices(String s, int count) {
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("all")) return java.util.stream.IntStream.range(0, count).toArray();
		List<Integer> out = new ArrayList<>();
		try {
			for (String part : s.split(",")) {
				String p = part.trim();
				int dash = p.indexOf('-', 1);
				if (dash > 0) {
					int from = Integer.parseInt(p.substring(0, dash).trim()), to = Integer.parseInt(p.substring(dash + 1).trim());
					if (to < from) throw new ExplorerException("indices='" + s + "': the range " + p + " runs backwards; write it as " + to + "-" + from + ".");
					if (to >= count) throw new ExplorerException("Direction " + to + " does not exist: the set has directions 0…" + (count - 1) + ".");
					for (int k = from; k <= to; k++) out.add(k);
				} else out.add(Integer.parseInt(p));
			}
		} catch (NumberFormatException e) {
			throw new ExplorerException("indices='" + s + "' is not a list like 0,3,7 or a range like 0-4 (or all).");
		}
		for (int k : out) if (k < 0 || k >= count) throw new ExplorerException("Direction " + k + " does not exist: the set has directions 0…" + (count - 1) + ".");
		return out.stream().mapToInt(Integer::intValue).toArray();
	}
}
