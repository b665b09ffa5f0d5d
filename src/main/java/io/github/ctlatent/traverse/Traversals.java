package io.github.ctlatent.traverse;

import ai.djl.Device;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.Pace;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traversal stage from files: a model folder (or TorchScript file) and a {@code directions.json} in, the walks
 * from one or many base latents out, in HU when the model knows its data. {@link Traversal#walk} is the same for a
 * generator already in memory.
 * <pre>
 * List&lt;Traversals.Walk&gt; walks = Traversals.of(model, directionsJson).indices("0-3").seeds("1-4").range(Traversal.Range.animation()).walk(monitor);
 * </pre>
 * The bases are given one way: a seed (default 1), a list of seeds, an explicit latent, a file of latents, or (VAE
 * models) the encodings of slices of an image or of a slice set.
 */
public final class Traversals {

	/** A walk and the base it started from. */
	public record Walk(Bases.Base base, TraversalVolume volume) {}

	private final Path model, directions;
	private String indices = "all", seeds = "", latent = "", baseSlices = "", device = "auto";
	private Traversal.Range range = Traversal.Range.paper();
	private Spacing spacing = Spacing.LINEAR;
	private WalkPath path = WalkPath.straight();
	private long seed = 1;
	private Path latentsFile, baseSliceSet;
	private ij.ImagePlus baseImage;
	private boolean modelUnits;
	/** How the tool chose the bases of the last walk when the user did not (export.json's baseChoice); null otherwise. */
	private String baseChoice;

	private Traversals(Path model, Path directions) {
		this.model = model;
		this.directions = directions;
	}

	/**
	 * Latent codes that reproduce real slices, for any generator ({@link SliceProjections}): their file is what
	 * {@link #latents} walks from.
	 */
	public static SliceProjections projections(Path model) {
		return SliceProjections.of(model);
	}

	/** Walks of {@code directions} (a directions.json) on {@code model} (a run folder or a TorchScript .pt). */
	public static Traversals of(Path model, Path directions) {
		return new Traversals(model, directions);
	}

	/** Direction indices: "all" (default), "3", "0,2,5" or "0-4". */
	public Traversals indices(String list) { indices = list; return this; }

	public Traversals range(Traversal.Range r) { range = r; return this; }

	/** A range by name: paper, animation, volume, or custom (then {@code radius} and {@code frames}). */
	public Traversals range(String name, double radius, int frames) {
		return range(switch (name) {
			case "animation" -> Traversal.Range.animation();
			case "volume" -> Traversal.Range.volume();
			case "custom" -> new Traversal.Range(radius, frames);
			default -> Traversal.Range.paper();
		});
	}

	/** Frames at equal shift steps (linear, default) or at equal image change (even, {@link EvenSteps}). */
	public Traversals spacing(Spacing s) { spacing = s; return this; }

	/** "linear" or "even". */
	public Traversals spacing(String s) { return spacing(Spacing.parse(s)); }

	/** Straight walks (default) or curved ones that follow the local basis ({@link CurvedPath}). */
	public Traversals path(WalkPath p) { path = p; return this; }

	/** "straight", "curved" or "projected", the latter two following {@code rank} local singular vectors. */
	public Traversals path(String p, int rank) { return path(WalkPath.parse(p, rank)); }

	/** The base z ~ N(0, I) of this seed (used when no other base is given). */
	public Traversals seed(long s) { seed = s; return this; }

	/** Several bases: "1,2,3" or "1-8". */
	public Traversals seeds(String list) { seeds = list == null ? "" : list; return this; }

	/** One explicit base: d numbers separated by commas or spaces. */
	public Traversals latent(String values) { latent = values == null ? "" : values; return this; }

	/** A text file of base latents, one per line. */
	public Traversals latents(Path file) { latentsFile = file; return this; }

	/** VAE models: start from the encodings of this image's slices (see {@link #baseSlices}; default its current slice). */
	public Traversals baseImage(ij.ImagePlus imp) { baseImage = imp; return this; }

	/** VAE models: start from the encodings of slices of this slice set (default 8 it reconstructs well, spread over its training split). */
	public Traversals baseSliceSet(Path folder) { baseSliceSet = folder; return this; }

	/** The slices to encode: of the base image 1-based, of the base slice set 0-based as in slices.csv. */
	public Traversals baseSlices(String list) { baseSlices = list == null ? "" : list; return this; }

	/** Keep the generator's [-1, 1] values instead of mapping to HU. */
	public Traversals modelUnits(boolean b) { modelUnits = b; return this; }

	/** auto, cpu, gpu or gpu:N. */
	public Traversals device(String d) { device = d; return this; }

	public Path model() { return model; }

	public Path directions() { return directions; }

	/** The model's dataset card (how its data was prepared, its health), or null for a TorchScript file. */
	public DatasetCard dataset() {
		return Files.isDirectory(model) ? ModelCard.read(model).dataset : null;
	}

	/** The input files (model, directions, latents, slice set), for callers that must keep outputs apart from them. */
	public Map<String, Path> inputs() {
		Map<String, Path> in = new LinkedHashMap<>();
		in.put("model", model);
		in.put("directions", directions);
		if (latentsFile != null) in.put("latents", latentsFile);
		if (baseSliceSet != null) in.put("base_slice_set", baseSliceSet);
		return in;
	}

	/** What the walks came from, for export cards. */
	public Map<String, Object> provenance() {
		Map<String, Object> card = new LinkedHashMap<>();
		card.put("model", model.toString());
		card.put("directions", directions.toString());
		card.put("seed", seed);
		if (baseChoice != null) card.put("baseChoice", baseChoice);
		return card;
	}

	/** Loads model and directions once, checks they belong together, and renders the walk from every base. */
	public List<Walk> walk(Monitor monitor) {
		Device dev = Engines.device(device, monitor);
		DirectionSet set = DirectionSet.load(directions);
		try (Generator g = Models.load(model, dev, monitor)) {
			set.requireGenerator(g);
			Directions dirs = Directions.of(set);
			int[] ks = parseIndices(indices, dirs.count());
			ModelCard card = Files.isDirectory(model) ? ModelCard.read(model) : null;
			DatasetCard data = card == null ? null : card.dataset;
			List<Bases.Base> bases = bases(g, card != null && "vae".equals(card.kind), data, dev, monitor);
			monitor.log(String.format("Walking %d direction(s) of %s, r = %.2f, %d frames, spacing=%s, path=%s, from %d base(s): %s", ks.length, directions, range.radius(), range.frames(), spacing.key(),
				path.curved() ? path.key() + " (local_rank=" + path.rank() + ")" : "straight",
				bases.size(), String.join("; ", bases.stream().map(Bases.Base::name).limit(8).toList()) + (bases.size() > 8 ? "; …" : "")));
			// sizes known up front: every walk is kept until it is shown or written, so all of them must fit the heap
			long perBase = (long) ks.length * range.frames(), frames = perBase * bases.size();
			double bytes = 4.0 * frames * g.imageSize() * g.imageSize();
			Checks.requireMemory(String.format(java.util.Locale.ROOT, "Walks of %d direction(s) x %d frames from %d base(s) (%,d images of %d²)", ks.length, range.frames(),
				bases.size(), frames, g.imageSize()), bytes, "Use fewer bases or directions (seeds=, latents=, indices=) or fewer frames.");
			monitor.log(String.format(java.util.Locale.ROOT, "%,d frames in all, about %s", frames, Checks.size(bytes)));
			Pace pace = new Pace(monitor, "Walking", frames, "frames");
			List<Walk> walks = new ArrayList<>();
			for (Bases.Base b : bases) {
				monitor.checkCanceled();
				TraversalVolume v = Traversal.walk(g, dirs, ks, b.z(), range, spacing, path, monitor);
				if (!modelUnits && data != null) v.toHounsfield(data.preprocessing, data.pixelSizeMm);
				walks.add(new Walk(b, v));
				pace.done(perBase);
			}
			return walks;
		}
	}

	/** The walk from the one base asked for; with several, a warning and the first. */
	public TraversalVolume walkOne(Monitor monitor) {
		List<Walk> walks = walk(monitor);
		if (walks.size() > 1) monitor.log("WARNING: " + walks.size() + " bases were given; this shows the first (" + walks.get(0).base().name() + ").");
		return walks.get(0).volume();
	}

	private List<Bases.Base> bases(Generator g, boolean vae, DatasetCard data, Device dev, Monitor monitor) {
		int d = g.latentDim();
		baseChoice = null;
		int given = (seeds.isBlank() ? 0 : 1) + (latent.isBlank() ? 0 : 1) + (latentsFile == null ? 0 : 1) + (baseImage == null ? 0 : 1) + (baseSliceSet == null ? 0 : 1);
		if (given > 1) throw new ExplorerException("Give the base latents one way: seeds=, latent=, latents=, base_image= or base_slice_set= (got " + given + ").");
		if (!baseSlices.isBlank() && baseImage == null && baseSliceSet == null)
			throw new ExplorerException("base_slices= needs base_image= or base_slice_set= (the slices to encode).");
		if (!seeds.isBlank()) return Bases.seeds(seeds, d);
		if (!latent.isBlank()) return List.of(Bases.explicit(latent, d));
		if (latentsFile != null) return Bases.file(latentsFile, d);
		if (baseImage != null) return Bases.imageSlices(baseImage, baseSlices, data, model, dev, monitor);
		if (baseSliceSet != null) {
			if (data == null) throw new ExplorerException("base_slice_set needs a VAE run folder (its encoder makes the base latents).");
			Bases.Chosen c = Bases.setSlices(baseSliceSet, baseSlices, model, g, dev, monitor);
			baseChoice = c.how();
			return c.bases();
		}
		// a seed's code is not anatomy the model has seen; only the user knows which slice set the VAE learned from
		if (vae) monitor.log("Base latent: seed " + seed + ", a random code. To start from real anatomy the VAE reconstructs well, give the "
			+ "slice set it was trained on as base_slice_set=.");
		return List.of(new Bases.Base("seed " + seed, Traversal.seedLatent(d, seed)));
	}

	/** "all", "3", "0,2,5", "0-4" (inclusive) → indices. */
	public static int[] parseIndices(String s, int count) {
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("all")) return java.util.stream.IntStream.range(0, count).toArray();
		long[] ks = Bases.numbers(s, "indices");
		for (long k : ks) if (k < 0 || k >= count) throw new ExplorerException("Direction " + k + " does not exist: the set has directions 0…" + (count - 1) + ".");
		return java.util.Arrays.stream(ks).mapToInt(k -> (int) k).toArray();
	}
}
