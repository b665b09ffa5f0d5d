package io.github.ctlatent.train;

import ai.djl.Device;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Limits;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.data.SlicePairs;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The one entry point of training: pick the model, change the settings you care about, run.
 * <pre>{@code
 * TrainingLoop.Result r = Training.gan(slices).output(runFolder).iterations(300).batchSize(64).seed(1).run(monitor);
 * Training.vae(slices).output(runFolder).preset("paper").klWeight(0.002).run(Monitor.printing(System.out));
 * }</pre>
 * Defaults are the "Train GAN" / "Train VAE" commands' (those commands are wiring over this class); the run folder
 * is described in {@link TrainingLoop}, whose card records {@link #macro()}, the macro call that reproduces the run.
 * A zero for batch size, learning rate or a network width means "the preset's / the paper's value".
 */
public final class Training {

	/** The two trainable models, with the menu label of their command. */
	public enum Model {
		GAN("Train GAN", "dcgan"), VAE("Train VAE", "vae");

		final String command, kind;

		Model(String command, String kind) {
			this.command = command;
			this.kind = kind;
		}
	}

	private final Model model;
	private final Path slices;
	private Path output;
	private TrainingPreset preset = TrainingPreset.CPU;
	private String device = "auto", lrMilestones = "";
	private long iterations = 2000, seed = 1, healthWarmup = TrainingHealth.Options.DEFAULT_WARMUP;
	private int batchSize, checkpointEvery = 250, sampleEvery = 250, ngf, ndf, ch;
	private double learningRate, lrGamma = 0.1, tcBeta = 1, orderWeight;
	private PairSharing pairSharing = PairSharing.AVERAGE;
	private boolean geometryAxes;
	private double invarianceWeight;
	private double cycleWeight, warpWeight;
	private double orderSpan = SliceOrder.DEFAULT_SPAN;
	private boolean stopUnhealthy, resume;
	/** Settings whose null means "the preset's value" (explicit ones win over the preset). */
	private Integer latentDim;
	private Double klWeight;
	private String augmentation, keep;
	private SlicePairs.Pairing pairs = SlicePairs.Pairing.NONE;
	private Long patience;
	private LatentPenalty.Options regulariser = LatentPenalty.Options.NONE;
	private Path init, teacher;
	private double teacherWeight = 1;
	private TeacherAxes.Units teacherUnits = TeacherAxes.Units.DATA;

	private Training(Model model, Path slices) {
		if (slices == null) throw new ExplorerException("Training needs a slice set folder (made by 'Prepare Slice Set').");
		this.model = model;
		this.slices = slices;
	}

	/** The seed paper's DCGAN (docs/method.md §2) on a slice set made by "Prepare Slice Set". */
	public static Training gan(Path slices) {
		return new Training(Model.GAN, slices);
	}

	/** The seed paper's ResNet VAE (docs/method.md §3) on a slice set made by "Prepare Slice Set". */
	public static Training vae(Path slices) {
		return new Training(Model.VAE, slices);
	}

	/** The run folder: new, empty, or (with {@link #resume}) a run to continue. Required. */
	public Training output(Path runFolder) { output = runFolder; return this; }
	/**
	 * "cpu" (64², narrow networks, batch 64), "paper" (128², the paper's widths, batch 128) or, for the VAE,
	 * "few_scans" (one to a few volumes: {@link TrainingPreset#FEW_SCANS}); settings given explicitly win over it.
	 */
	public Training preset(String name) {
		TrainingPreset p = TrainingPreset.named(name);
		if (p == TrainingPreset.FEW_SCANS && model != Model.VAE)
			throw new ExplorerException("The few_scans preset is for Train VAE: it stops on the held-out reconstruction error, which a GAN does not have. "
				+ "For a GAN on few scans use preset=cpu with augmentation=few_scans and a smaller latent_dim.");
		preset = p;
		return this;
	}
	public Training iterations(long n) { iterations = n; return this; }
	/** Batch size; 0: the preset's. */
	public Training batchSize(int n) { batchSize = n; return this; }
	/** Latent size d; 0: the preset's (32; few_scans 16). */
	public Training latentDim(int d) { latentDim = d == 0 ? null : d; return this; }
	/** Seeds initialisation, noise and batch order: the same seed gives the same run. */
	public Training seed(long s) { seed = s; return this; }
	/** Adam's learning rate; 0: the paper's (2e-4 GAN, 1e-4 VAE). */
	public Training learningRate(double lr) { learningRate = lr; return this; }
	/** Multiply the learning rate by {@code gamma} at each milestone, e.g. "2000,3000" (PyTorch MultiStepLR); "" keeps it constant. */
	public Training lrSchedule(String milestones, double gamma) { lrMilestones = milestones == null ? "" : milestones; lrGamma = gamma; return this; }
	/** false: no augmentation; true: the preset's (the paper's ±1° / 1.0–1.1×, or few_scans'). */
	public Training augment(boolean on) { augmentation = on ? null : "off"; return this; }
	/** "paper", "few_scans" ({@link io.github.ctlatent.data.FewScanAugmentation}) or "off"; null or "preset": the preset's. */
	public Training augmentation(String name) {
		augmentation = name == null || name.isBlank() || name.equals("preset") ? null : name;
		if (augmentation != null) TrainingPreset.augmentation(augmentation); // refuses an unknown name now
		return this;
	}
	/**
	 * Early stopping: iterations without a better held-out reconstruction error (VAE) before the run stops, keeping
	 * its checkpoint; 0: never; -1: the preset's (few_scans 400). Counted at evaluations ({@link #sampleEvery}).
	 */
	public Training patience(long n) { patience = n == -1 ? null : n; return this; }
	/** Which weights the run folder keeps: "final" (the last iteration's), "best" (the best held-out evaluation's), or "preset". */
	public Training keep(String which) {
		keep = which == null || which.isBlank() || which.equals("preset") ? null : which;
		if (keep != null && !keep.equals("final") && !keep.equals("best"))
			throw new ExplorerException("Unknown keep='" + which + "'. Use final, best or preset.");
		return this;
	}
	public Training checkpointEvery(int n) { checkpointEvery = n; return this; }
	/** Iterations between sample grids and quality evaluations. */
	public Training sampleEvery(int n) { sampleEvery = n; return this; }
	/** Iterations before the health checks start ({@link TrainingHealth}). */
	public Training healthWarmup(long n) { healthWarmup = n; return this; }
	/** Stop (keeping the checkpoint) when a health check fails, instead of only warning. */
	public Training stopUnhealthy(boolean on) { stopUnhealthy = on; return this; }
	/** Continue the run in the output folder from its checkpoint. */
	public Training resume(boolean on) { resume = on; return this; }
	/** "auto", "cpu", "gpu" or "gpu:N". */
	public Training device(String option) { device = option; return this; }
	/** GAN only: generator and discriminator widths ngf, ndf (0: the preset's). */
	public Training widths(int generator, int discriminator) { requireModel(Model.GAN, "widths"); ngf = generator; ndf = discriminator; return this; }
	/** VAE only: base width ch (0: the preset's). */
	public Training ch(int width) { requireModel(Model.VAE, "ch"); ch = width; return this; }
	/** VAE only: β in log(MSE) + β·KL (paper 0.01); -1: the preset's (0.01 in every preset). */
	public Training klWeight(double beta) { requireModel(Model.VAE, "klWeight"); klWeight = beta == -1 ? null : beta; return this; }
	/** VAE only: β-TCVAE's weight of the KL's total-correlation part (1: the paper's loss; Chen et al. use 6). */
	public Training tcBeta(double weight) { requireModel(Model.VAE, "tcBeta"); tcBeta = weight; return this; }
	/**
	 * VAE only: weakly-supervised pair training (Ada-GVAE) on "slices" (neighbouring slices of one volume) or
	 * "slices+geometry" (also a slice and a copy with one random rotation, shift or scale); "none": the paper's training.
	 */
	public Training pairs(String mode) {
		SlicePairs.Mode m = SlicePairs.Mode.parse(mode);
		if (m.paired()) requireModel(Model.VAE, "pairs");
		pairs = pairs.withMode(m);
		return this;
	}

	/**
	 * VAE only, with slice pairs: a partner slice is up to {@code slices} slices from its anchor (distance uniform in
	 * 1..slices; 1: the neighbouring slice, the default).
	 */
	public Training pairGap(int slices) {
		if (slices != 1) requireModel(Model.VAE, "pair_gap");
		pairs = pairs.withMaxGap(slices);
		return this;
	}

	/**
	 * VAE only, with {@code pairs=slices+geometry}: which geometric changes a pair may show (comma-separated keys of
	 * {@link SlicePairs.Change}; blank: all four, the default). A change left out is never drawn, so with
	 * {@code geometry_axes} its axis is a free one; e.g. leave out {@code y_scale} where a vertical stretch is not how
	 * bodies differ in height (measured on the phantom: it moves fat beside height, docs/results-evaluation.md).
	 */
	public Training geometryChanges(String list) {
		Set<SlicePairs.Change> chosen = SlicePairs.Change.parse(list);
		if (chosen.size() < SlicePairs.Change.values().length) requireModel(Model.VAE, "geometry_changes");
		pairs = pairs.withChanges(chosen);
		return this;
	}

	/**
	 * VAE only, with slice pairs: the weight of the slice-order hinge that holds latent axis 0 to the order of the slices
	 * along each scan (0: off, the default; {@code SliceOrder} says why).
	 */
	public Training orderWeight(double weight) {
		if (weight != 0) requireModel(Model.VAE, "order_weight");
		orderWeight = weight;
		return this;
	}

	/**
	 * VAE only, with the position axis ({@link #orderWeight}): what a slice pair's two images take on every dimension
	 * but axis 0 — "average" (Ada-GVAE, the default) or "swap" (each its partner's posterior; {@link PairSharing}).
	 */
	public Training pairSharing(String key) {
		PairSharing p = PairSharing.parse(key);
		if (p != PairSharing.AVERAGE) requireModel(Model.VAE, "pair_sharing");
		pairSharing = p;
		return this;
	}

	/**
	 * VAE only, with {@code pairs=slices+geometry} and the position axis: each geometric change of a pair gets its own
	 * known latent axis after the position (1 rotation, 2 vertical shift, 3 x-scale, 4 y-scale), shared otherwise and
	 * ordered by the change's signed size ({@link AdaptiveAveraging}, {@link SliceOrder}). Uses only the changes the
	 * tool made to the slices, no anatomy labels.
	 */
	public Training geometryAxes(boolean known) {
		if (known) requireModel(Model.VAE, "geometry_axes");
		geometryAxes = known;
		return this;
	}

	/**
	 * VAE only, with the position axis ({@link #orderWeight}): how many prior units a whole volume spans on axis 0 (± 1,
	 * the order hinge's band; default 9). A traversal of ±T covers about 2T / span of the body from a base in its middle.
	 */
	public Training orderSpan(double units) {
		if (units != SliceOrder.DEFAULT_SPAN) requireModel(Model.VAE, "order_span");
		orderSpan = units;
		return this;
	}

	/**
	 * VAE only, with the position axis ({@link #orderWeight}): the weight of the pull that keeps a slice pair's posterior
	 * means together on every dimension but axis 0 (0: off, the default; {@code SliceOrder.invariance} says why).
	 */
	public Training invarianceWeight(double weight) {
		if (weight != 0) requireModel(Model.VAE, "invariance_weight");
		invarianceWeight = weight;
		return this;
	}

	/**
	 * VAE only: the weight of the traversal cycle ({@link TraversalCycle}: a walk along one latent axis, decoded and
	 * encoded again, must not move the encoder's reading of the other axes; trains the decoder only); 0: off, the
	 * default. Needs no pairs and no labels.
	 */
	public Training cycleWeight(double weight) {
		if (weight != 0) requireModel(Model.VAE, "cycle_weight");
		cycleWeight = weight;
		return this;
	}

	/**
	 * The weight of the known warp axes ({@link WarpAxes}: a step along latent axis 1–4 must rotate, shift vertically,
	 * or scale across or up-down the drawn image; the GAN's generator or the VAE's decoder); 0: off, the default. Needs
	 * no labels. On a VAE with known geometric axes, a change's half-range spans {@code order_span} / 2 units, as its hinge says.
	 */
	public Training warpWeight(double weight) {
		warpWeight = weight;
		return this;
	}

	/**
	 * GAN only: a latent regulariser ({@link LatentPenalty}) — "none" (the paper's, default), "hessian" or "orojar" —
	 * with its weight, applied every {@code every} iterations (lazy regularisation, weight × every then).
	 */
	public Training regulariser(String kind, double weight, int every) {
		LatentPenalty.Kind k = LatentPenalty.Kind.parse(kind);
		if (k != LatentPenalty.Kind.NONE) requireModel(Model.GAN, "regulariser");
		Limits.REGULARISER_WEIGHT.check(weight);
		Limits.REGULARISER_EVERY.check(every);
		if (k != LatentPenalty.Kind.NONE && weight == 0)
			throw new ExplorerException("regulariser=" + k.key() + " needs regulariser_weight > 0 (0 would train without it); give e.g. regulariser_weight=0.01, or regulariser=none.");
		regulariser = new LatentPenalty.Options(k, k == LatentPenalty.Kind.NONE ? 0 : weight, every);
		return this;
	}
	/**
	 * GAN only: a trained VAE run folder whose frozen encoder teaches the generator's latent axes ({@link TeacherAxes},
	 * ID-GAN): axis d must draw images the teacher reads, on its dimension d, at the code's value. null: none (the paper's).
	 * The GAN inherits what the teacher's training used (e.g. slice order); its card names the teacher.
	 */
	public Training teacher(Path vaeRunFolder) { if (vaeRunFolder != null) requireModel(Model.GAN, "teacher"); teacher = vaeRunFolder; return this; }
	/** The weight of the teacher's term in the generator's loss (default 1). */
	public Training teacherWeight(double weight) { teacherWeight = weight; return this; }
	/** What a GAN unit on a taught axis stands for ({@link TeacherAxes.Units}): "data" (one spread over real slices, the default) or "teacher". */
	public Training teacherUnits(String key) { teacherUnits = TeacherAxes.Units.of(key == null || key.isBlank() ? "data" : key); return this; }
	/** GAN only: start from the weights of a trained DCGAN run folder (fine-tuning) instead of a random initialisation; null: from scratch. */
	public Training init(Path runFolder) { if (runFolder != null) requireModel(Model.GAN, "init"); init = runFolder; return this; }

	private void requireModel(Model m, String setting) {
		if (model != m) throw new ExplorerException(setting + " is a setting of the " + m + ", not of the " + model + ".");
	}

	/** Trains (or resumes) into the output folder, holding its lock; see {@link TrainingLoop} for what is written. */
	public TrainingLoop.Result run(Monitor monitor) {
		if (output == null) throw new ExplorerException("Training needs an output (run) folder: call output(folder).");
		validate();
		Map<String, Path> inputs = new java.util.LinkedHashMap<>(Map.of("slices", slices));
		if (init != null) inputs.put("init", init);
		if (teacher != null) inputs.put("teacher", teacher);
		Outputs.requireApart("output", output, inputs);
		SliceSet set = SliceSet.open(slices);
		// the GAN's architecture (an init folder's card read once) before anything is written
		DcganConfig gan = model == Model.GAN ? ganConfig(set.size()) : null;
		if (warpWeight > 0) requireWarpAxes(gan != null ? gan.latentDim() : resolvedLatentDim());
		if (teacher != null) TeacherAxes.requireFits(teacher, gan.latentDim(), gan.imageSize(), gan.channels());
		Device dev = Engines.device(device, monitor);
		TrainingLoop.Settings s = new TrainingLoop.Settings(iterations, effectiveBatchSize(), seed, checkpointEvery, sampleEvery,
			TrainingPreset.augmentation(resolvedAugmentation()), resume, LrSchedule.parse(lrMilestones, lrGamma), resolvedPatience(), keepsBest(), preset.name(), pairs);
		try (OutputLock lock = OutputLock.acquire(output, model.command, monitor); TrainingTask task = task(set, gan, dev)) {
			return TrainingLoop.run(task, set, s, new TrainingHealth.Options(healthWarmup, stopUnhealthy), output, macro(), dev.toString(), monitor);
		}
	}

	/** The commands' ranges ({@link Limits}), checked for Java/Jython callers of the builder too, before anything is written. */
	private void validate() {
		Limits.ITERATIONS.check(iterations);
		Limits.BATCH.check(batchSize);
		Limits.LATENT_DIM.check(resolvedLatentDim());
		Limits.LEARNING_RATE.check(learningRate);
		Limits.LR_GAMMA.check(lrGamma);
		Limits.CHECKPOINT_EVERY.check(checkpointEvery);
		Limits.SAMPLE_EVERY.check(sampleEvery);
		Limits.HEALTH_WARMUP.check(healthWarmup);
		Limits.NGF.check(ngf);
		Limits.NDF.check(ndf);
		Limits.VAE_CH.check(ch);
		// -1 (the preset's) is resolved by now: what reaches the loss must be a weight
		new Limits.Range("kl_weight", 0, Limits.KL_WEIGHT.max(), "the weight of the VAE's KL term; -1 is the preset's").check(resolvedKlWeight());
		Limits.PATIENCE.check(resolvedPatience());
		if (model == Model.GAN && (resolvedPatience() > 0 || keepsBest()))
			throw new ExplorerException("patience and keep=best need the VAE's held-out reconstruction error; a GAN has none. Train the GAN without them.");
		Limits.TC_BETA.check(tcBeta);
		Limits.ORDER_WEIGHT.check(orderWeight);
		if (orderWeight > 0 && !pairs.paired())
			throw new ExplorerException("order_weight=" + orderWeight + " holds latent axis 0 to the order of slice pairs, but this run has no pairs; add "
				+ "pairs=slices (or slices+geometry), or leave order_weight at 0.");
		if (pairSharing == PairSharing.SWAP && orderWeight <= 0)
			throw new ExplorerException("pair_sharing=swap exchanges a slice pair's posteriors on every dimension but the position axis, which only "
				+ "order_weight above 0 makes; add order_weight=1 (with pairs=slices), or leave pair_sharing at average.");
		if (geometryAxes && (pairs.mode() != SlicePairs.Mode.SLICES_GEOMETRY || orderWeight <= 0))
			throw new ExplorerException("geometry_axes=true gives each geometric change of a pair its own latent axis after the position axis, so it needs "
				+ "pairs=slices+geometry and order_weight above 0; add both (e.g. pairs=slices+geometry order_weight=1), or leave geometry_axes off.");
		Limits.INVARIANCE_WEIGHT.check(invarianceWeight);
		Limits.CYCLE_WEIGHT.check(cycleWeight);
		Limits.WARP_WEIGHT.check(warpWeight);
		Limits.TEACHER_WEIGHT.check(teacherWeight);
		if (teacher != null && !(teacherWeight > 0))
			throw new ExplorerException("teacher_weight=" + teacherWeight + " turns the teacher " + teacher + " off; give a weight above 0 (1 is the default), or leave teacher empty.");
		Limits.ORDER_SPAN.check(orderSpan);
		if (orderSpan != SliceOrder.DEFAULT_SPAN && orderWeight <= 0)
			throw new ExplorerException("order_span=" + orderSpan + " sets how far a volume spreads on the position axis, which only order_weight above 0 "
				+ "makes; add order_weight=1 (with pairs=slices), or leave order_span at " + SliceOrder.DEFAULT_SPAN + ".");
		if (invarianceWeight > 0 && orderWeight <= 0)
			throw new ExplorerException("invariance_weight=" + invarianceWeight + " keeps a slice pair's codes together on every dimension but the position "
				+ "axis, which only order_weight above 0 makes; add order_weight=1 (with pairs=slices), or leave invariance_weight at 0.");
		if (geometryAxes && resolvedLatentDim() < 1 + SlicePairs.Change.values().length)
			throw new ExplorerException("geometry_axes=true needs latent axes 0-" + SlicePairs.Change.values().length + " (position and the "
				+ SlicePairs.Change.values().length + " geometric changes); latent_dim=" + resolvedLatentDim() + " is too small: use at least "
				+ (1 + SlicePairs.Change.values().length) + ".");
		if (!pairs.allChanges() && pairs.mode() != SlicePairs.Mode.SLICES_GEOMETRY)
			throw new ExplorerException("geometry_changes=" + SlicePairs.Change.keys(pairs.changes()) + " chooses the geometric changes of pairs=slices+geometry, "
				+ "but this run's pairs are '" + pairs.mode().key + "'; add pairs=slices+geometry, or leave geometry_changes out.");
		if (!pairs.allChanges() && warpWeight > 0)
			throw new ExplorerException("warp_weight pulls latent axes 1-4 towards all four geometric changes, but geometry_changes=" + SlicePairs.Change.keys(pairs.changes())
				+ " leaves some of them out; use one of the two.");
		if (pairs.maxGap() > 1 && !pairs.paired())
			throw new ExplorerException("pair_gap=" + pairs.maxGap() + " sets how far apart a pair's slices are, but this run has no pairs; add pairs=slices "
				+ "(or slices+geometry), or leave pair_gap at 1.");
	}

	private int effectiveBatchSize() {
		return batchSize > 0 ? batchSize : preset.batchSize();
	}

	private int resolvedLatentDim() {
		return latentDim != null ? latentDim : preset.latentDim();
	}

	private double resolvedKlWeight() {
		return klWeight != null ? klWeight : preset.klWeight();
	}

	private String resolvedAugmentation() {
		return augmentation != null ? augmentation : preset.augmentation();
	}

	private long resolvedPatience() {
		return patience != null ? patience : model == Model.VAE ? preset.patience() : 0;
	}

	private boolean keepsBest() {
		return keep != null ? keep.equals("best") : model == Model.VAE && preset.keepBest();
	}

	private float lr(float paper) {
		return learningRate > 0 ? (float) learningRate : paper;
	}

	/** The networks and optimizers, sized for the slice set's images; {@code gan}: the DCGAN's architecture ({@link #ganConfig}), null for a VAE. */
	TrainingTask task(SliceSet set, DcganConfig gan, Device dev) {
		int imageSize = set.size();
		boolean paper = preset.paperNetworks();
		int latentDim = resolvedLatentDim();
		if (model == Model.GAN) {
			GanTask t = new GanTask(gan, dev, seed, lr(GanStep.LEARNING_RATE), regulariser, WarpAxes.of((float) warpWeight));
			try {
				if (teacher != null) t.teacher(TeacherAxes.load(teacher, (float) teacherWeight, teacherUnits, set, dev));
				return init == null ? t : t.initFrom(init);
			} catch (RuntimeException e) {
				t.close();
				throw e;
			}
		}
		VaeConfig c = (paper ? VaeConfig.paper() : VaeConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(latentDim);
		if (ch > 0) c = c.withCh(ch);
		return new VaeTask(c, dev, seed, lr(VaeStep.LEARNING_RATE), (float) resolvedKlWeight(), (float) tcBeta, pairs.paired(),
			new PositionAxis((float) orderWeight, (float) orderSpan, pairSharing, geometryAxes, (float) invarianceWeight), new TraversalCycle((float) cycleWeight))
			// the hinge spreads a change's whole range (−1…+1) over order_span units (SliceBatches#pairChanges), so half of it per half-range
			.warp(new WarpAxes((float) warpWeight, geometryAxes ? (float) orderSpan / 2 : WarpAxes.RANGE));
	}

	/** The DCGAN this run trains: the preset's at the slice set's size with the widths given, or the one {@code init} holds. */
	private DcganConfig ganConfig(int imageSize) {
		DcganConfig c = (preset.paperNetworks() ? DcganConfig.paper() : DcganConfig.cpuDefault()).withImageSize(imageSize).withLatentDim(resolvedLatentDim());
		if (ngf > 0 || ndf > 0) c = c.withWidths(ngf > 0 ? ngf : c.ngf(), ndf > 0 ? ndf : c.ndf());
		return init != null ? initConfig(c, imageSize) : c;
	}

	/** Refuses, before anything is written, known warp axes on a latent too small to hold them. */
	private void requireWarpAxes(int dim) {
		if (dim <= WarpAxes.lastAxis())
			throw new ExplorerException("warp_weight=" + warpWeight + " makes latent axes 1-" + WarpAxes.lastAxis() + " the known warps (rotation, vertical shift, "
				+ "x-scale, y-scale); a latent of " + dim + " dimensions" + (init != null ? " (init=" + init + ")" : "") + " is too small: use latent_dim="
				+ (WarpAxes.lastAxis() + 1) + " or more" + (init != null ? ", or a GAN trained with one" : "") + ", or leave warp_weight at 0.");
	}

	/**
	 * The architecture of the run folder {@code init} fine-tunes: its card's, which must be a DCGAN of the slice set's
	 * image size; widths or a latent size given explicitly must agree with it (the weights decide them).
	 */
	private DcganConfig initConfig(DcganConfig asked, int imageSize) {
		if (!java.nio.file.Files.isDirectory(init))
			throw new ExplorerException("init=" + init + " is not a run folder: give the folder of a trained GAN (with model.json, generator.params and discriminator.params).");
		io.github.ctlatent.model.ModelCard card = io.github.ctlatent.model.Models.card(init);
		if (!"dcgan".equals(card.kind))
			throw new ExplorerException("init=" + init + " holds a " + card.kind + " model; Train GAN fine-tunes a DCGAN run folder (made by Train GAN).");
		DcganConfig c = io.github.ctlatent.model.Models.config(card, DcganConfig.class);
		if (c.imageSize() != imageSize)
			throw new ExplorerException("init=" + init + " makes " + c.imageSize() + "² images but the slice set holds " + imageSize
				+ "² slices: fine-tune on a slice set of the model's size (Prepare Slice Set size=" + c.imageSize() + ").");
		if ((ngf > 0 && ngf != c.ngf()) || (ndf > 0 && ndf != c.ndf()) || (latentDim != null && latentDim != c.latentDim()))
			throw new ExplorerException("init=" + init + " is a DCGAN with latent_dim=" + c.latentDim() + " ngf=" + c.ngf() + " ndf=" + c.ndf()
				+ ", which the settings given contradict (latent_dim=" + asked.latentDim() + " ngf=" + asked.ngf() + " ndf=" + asked.ndf()
				+ "): leave them out (or 0) when fine-tuning.");
		return c;
	}

	/**
	 * The Fiji macro call that reproduces this run (recorded in the model card): the preset, and every value the preset
	 * resolves spelled out, so the run repeats even if a later version changes the preset.
	 */
	public String macro() {
		String modelArgs = model == Model.GAN ? (ngf > 0 ? " ngf=" + ngf : "") + (ndf > 0 ? " ndf=" + ndf : "") + (init != null ? " init=[" + init + "]" : "")
			+ (teacher != null ? " teacher=[" + teacher + "] teacher_weight=" + teacherWeight + " teacher_units=" + teacherUnits.key : "")
			+ (regulariser.active() ? " regulariser=" + regulariser.kind().key() + " regulariser_weight=" + regulariser.weight() + " regulariser_every=" + regulariser.every() : "")
			: (ch > 0 ? " ch=" + ch : "") + " kl_weight=" + resolvedKlWeight() + (tcBeta != 1 ? " tc_beta=" + tcBeta : "") + (cycleWeight > 0 ? " cycle_weight=" + cycleWeight : "")
			+ (pairs.paired() ? " pairs=" + pairs.mode().key + (pairs.maxGap() > 1 ? " pair_gap=" + pairs.maxGap() : "")
				+ (pairs.allChanges() ? "" : " geometry_changes=[" + SlicePairs.Change.keys(pairs.changes()) + "]")
				+ (orderWeight > 0 ? " order_weight=" + orderWeight : "") + (orderSpan != SliceOrder.DEFAULT_SPAN ? " order_span=" + orderSpan : "") + (pairSharing != PairSharing.AVERAGE ? " pair_sharing=" + pairSharing.key : "")
				+ (geometryAxes ? " geometry_axes=true" : "") + (invarianceWeight > 0 ? " invariance_weight=" + invarianceWeight : "") : "");
		modelArgs += warpWeight > 0 ? " warp_weight=" + warpWeight : "";
		String stopping = model == Model.GAN ? "" : " patience=" + resolvedPatience() + " keep=" + (keepsBest() ? "best" : "final");
		return String.format("run(\"%s\", \"slices=[%s] output=[%s] preset=%s%s iterations=%d batch_size=%d latent_dim=%d%s%s seed=%d augmentation=%s%s checkpoint_every=%d sample_every=%d%s%s device=%s\");",
			model.command, slices, output, preset.name(), modelArgs, iterations, effectiveBatchSize(),
			init != null && latentDim == null ? 0 : resolvedLatentDim(), learningRate > 0 ? " learning_rate=" + learningRate : "",
			lrMilestones.isBlank() ? "" : " lr_milestones=[" + lrMilestones.trim() + "] lr_gamma=" + lrGamma, seed, resolvedAugmentation(), stopping,
			checkpointEvery, sampleEvery,
			(healthWarmup != TrainingHealth.Options.DEFAULT_WARMUP ? " health_warmup=" + healthWarmup : "") + (stopUnhealthy ? " stop_unhealthy" : ""),
			resume ? " resume" : "", device);
	}

	/**
	 * A finished run in a few lines: model, iterations, folder and its quality figures; for a VAE the held-out error
	 * at the end and at its best, against the mean training image's, and which weights the folder keeps.
	 */
	public String summary(TrainingLoop.Result r) {
		StringBuilder sb = new StringBuilder();
		r.metrics().forEach((k, v) -> { if ((k.startsWith("swd") || k.startsWith("heldout")) && !k.startsWith("heldout_mse_best")) sb.append(k).append('=').append(String.format("%.4g", v)).append(' '); });
		String s = String.format("%s trained for %d iterations -> %s (%s)", model.kind, r.iterations(), r.runFolder(), sb.toString().trim());
		Map<String, Double> m = r.metrics();
		if (m.containsKey("heldout_mse_final") && m.containsKey("heldout_mse_best"))
			s += String.format(java.util.Locale.ROOT, "%nheld-out MSE final %.4g, best %.4g at iteration %d, mean training image %.4g; weights kept: %s",
				m.get("heldout_mse_final"), m.get("heldout_mse_best"), m.get("heldout_mse_best_iteration").longValue(),
				m.getOrDefault("train_mean_mse_final", Double.NaN), r.weights());
		if (m.containsKey("teacher_fit_final"))
			s += String.format(java.util.Locale.ROOT, "%nteacher fit: median r %.2f over the taught axes, smallest %.2f (r between a taught axis's code and what the "
				+ "teacher reads on the drawing; 1 = draws exactly what the teacher reads, 0 = nothing it reads)", m.get("teacher_fit_final"), m.get("teacher_fit_min_final"));
		for (TrainingHealth.Problem p : r.health()) s += "\nWARNING: not healthy, " + p.message();
		return s;
	}
}
