package io.github.ctlatent.discover;

import io.github.ctlatent.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.optim.Adam;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Unsupervised discovery of interpretable directions (Voynov &amp; Babenko, ICML 2020; docs/method.md §4): a direction
 * matrix A and a reconstructor R are trained jointly so that R can tell, from the pair [G(z), G(z + A(ε·e_k))],
 * which direction k was taken and how far (ε). Loss = CE(logits, k) + λ·mean|ε̂ − ε|; Adam for A and R.
 * <p>
 * The generator is frozen and in eval mode; gradients flow through it into A but its weights are never touched.
 * For the id/random baselines A is fixed, the generator runs without a graph and only R trains.
 * <p>
 * Checkpoints ({@link VoynovCheckpoint}) hold the step, A, R and both optimizers' moments; with the per-step random
 * streams of {@link ShiftSampler}, a resumed run continues bit-identically.
 */
public final class VoynovBabenko extends CheckpointedRun {

	public static final String RECONSTRUCTOR = "reconstructor.params";
	/** Non-finite-gradient steps tolerated (or 1% of the steps, whichever is more) before the run is stopped. */
	static final int MAX_SKIPPED = 10;

	private final Generator generator;
	private final int directions, latentDim, batchSize;
	private final NDManager work;
	private final Deformator deformator;
	private final Reconstructor reconstructor;
	private final ParameterStore store;
	private final Adam deformatorAdam, reconstructorAdam;
	private final ShiftSampler sampler;
	private long skipped;
	private long windowCorrect, windowSeen;
	private double windowLoss;

	/**
	 * A run of {@code type} (the settings' deformator, or a baseline) with K = {@code directions}, freshly
	 * initialised from the settings' seed.
	 */
	public VoynovBabenko(Generator generator, DiscoverySettings settings, DeformatorType type, int directions, Monitor monitor) {
		super(settings, monitor);
		this.generator = generator;
		this.directions = directions;
		this.latentDim = generator.latentDim();
		this.batchSize = settings.batchSize();
		type.checkShape(directions, latentDim);
		work = generator.manager().newSubManager();
		try {
			deformator = Deformator.create(type, directions, latentDim, work, new SplittableRandom(settings.seed() * 31 + 1));
			reconstructor = Reconstructors.create(settings.reconstructor(), directions, generator.imageSize(), work,
				new SplittableRandom(settings.seed() * 31 + 2));
		} catch (RuntimeException e) {
			work.close();
			throw e;
		}
		store = new ParameterStore(work, false);
		deformatorAdam = deformator.trainable() ? new Adam(work, settings.deformatorLr(), 0.9f, 0.999f) : null;
		reconstructorAdam = new Adam(work, settings.reconstructorLr(), 0.9f, 0.999f);
		sampler = new ShiftSampler(latentDim, directions, settings.shiftScale(), settings.minShift(), settings.seed());
	}

	public Deformator deformator() {
		return deformator;
	}

	public Reconstructor reconstructor() {
		return reconstructor;
	}

	public ShiftSampler sampler() {
		return sampler;
	}


	/** One optimisation step of A and R on a fresh batch. */
	@Override
	public void trainStep() {
		ShiftSampler.Batch b = sampler.sample(step, batchSize);
		try (NDManager it = work.newSubManager()) {
			NDArray z = it.create(b.z(), new Shape(batchSize, latentDim, 1, 1));
			float[] oneHot = new float[batchSize * directions];
			for (int i = 0; i < batchSize; i++) oneHot[i * directions + b.k()[i]] = 1;
			NDArray target = it.create(oneHot, new Shape(batchSize, directions));
			NDArray eps = it.create(b.eps());
			NDArray images = null;
			if (!deformator.trainable()) images = render(z, deformator.shifts(b.k(), b.eps(), it)); // no graph through G
			NDArray logits;
			float loss;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				if (images == null) images = render(z, deformator.shifts(b.k(), b.eps(), it));
				NDList out = reconstructor.forward(store, new NDList(images), true);
				logits = out.get(0);
				NDArray ce = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
				NDArray l1 = out.get(1).sub(eps).abs().mean();
				NDArray total = ce.add(Scalars.mul(l1, (float) settings.shiftWeight()));
				loss = total.getFloat();
				if (!Float.isFinite(loss))
					throw new ExplorerException("Direction discovery diverged at step " + step + " (loss " + loss
						+ "). Lower the learning rates or check the generator's output for NaNs.");
				gc.backward(total);
			}
			if (!deformator.gradientsFinite() || !reconstructor.gradientsFinite()) {
				skipStep(loss);
				return;
			}
			deformatorAdamStep();
			reconstructor.step(reconstructorAdam);
			long[] predicted = logits.argMax(1).toLongArray();
			for (int i = 0; i < batchSize; i++) if (predicted[i] == b.k()[i]) windowCorrect++;
			windowSeen += batchSize;
			windowLoss += loss;
		}
		step++;
	}

	/**
	 * A finite loss with a non-finite gradient: seen only with {@code ortho}, rarely (about one step in several
	 * hundred at lr 1e-3, at a different step on each run of the same seed, never reproducible from the saved
	 * state), so the step is dropped as PyTorch's GradScaler drops overflowing steps. Persistent non-finite
	 * gradients are a real divergence and stop the run.
	 */
	private void skipStep(float loss) {
		deformator.clearGradients();
		reconstructor.clearGradients();
		skipped++;
		step++;
		monitor.log(String.format("%s step %d: non-finite gradient (loss %.4f); update skipped (%d skipped so far).", deformator.type().id(), step,
			loss, skipped));
		if (skipped > Math.max(MAX_SKIPPED, step / 100))
			throw new ExplorerException("Direction discovery diverged: " + skipped + " of " + step
				+ " steps had non-finite gradients. Lower the learning rates or check the generator's output for NaNs.");
	}

	/** Steps whose update was dropped for a non-finite gradient (see {@link #skipStep}). */
	public long skippedSteps() {
		return skipped;
	}

	private void deformatorAdamStep() {
		if (deformatorAdam == null) return;
		deformator.step(deformatorAdam);
	}

	private NDArray render(NDArray z, NDArray shift) {
		return Reconstructors.render(generator, z, shift, firstImageTwice());
	}

	boolean firstImageTwice() {
		return settings.resnetFirstImageTwice() && reconstructor.type() == ReconstructorType.RESNET;
	}

	@Override
	String name() {
		return deformator.type().id();
	}

	@Override
	void logWindow(int total) {
		if (windowSeen == 0) return;
		double acc = (double) windowCorrect / windowSeen;
		long steps = windowSeen / batchSize;
		String line = String.format("%s step %d/%d: running accuracy %.1f%%, loss %.4f", deformator.type().id(), step, total, 100 * acc,
			windowLoss / steps);
		monitor.log(line);
		monitor.progress(step, total, line);
		windowCorrect = windowSeen = 0;
		windowLoss = 0;
	}

	/**
	 * {@link #train} in {@code folder}, then the reconstructor's weights written beside the checkpoint
	 * ({@link #RECONSTRUCTOR}, what {@link ReconstructorAccuracy#reevaluate} reads) and its accuracy on the settings'
	 * validation batches.
	 */
	public ReconstructorAccuracy.Result trainAndValidate(Path folder) {
		train(folder);
		saveReconstructor(folder.resolve(RECONSTRUCTOR));
		return validate(settings.validationBatches());
	}

	/** Reconstructor accuracy of the current A and R on fresh batches, eval mode. */
	public ReconstructorAccuracy.Result validate(int batches) {
		return ReconstructorAccuracy.measure(generator, deformator, reconstructor, store, sampler, batches, batchSize, firstImageTwice());
	}

	/** The current directions as a set (stats: per-direction RCA when {@code accuracy} is given). */
	public DirectionSet directionSet(ReconstructorAccuracy.Result accuracy) {
		java.util.List<DirectionSet.DirectionStat> stats = new java.util.ArrayList<>();
		for (int k = 0; k < directions; k++)
			// a direction no validation pair happened to use has no accuracy: null, never NaN in the file
			stats.add(new DirectionSet.DirectionStat(k, accuracy == null || Double.isNaN(accuracy.perDirection()[k]) ? null : accuracy.perDirection()[k], null, null));
		java.util.Map<String, Object> s = new java.util.LinkedHashMap<>(settings.toMap());
		s.put("deformator", deformator.type().id());
		s.put("directions", directions);
		s.put("stepsDone", step);
		s.put("skippedSteps", skipped);
		return new DirectionSet(DiscoverySettings.Method.VOYNOV.id(), deformator.type(), s, generator.fingerprint(), deformator.directions(),
			deformator.bias(), stats);
	}

	/** Writes the reconstructor's parameters (incl. BatchNorm statistics) in DJL's format, atomically. */
	private void saveReconstructor(Path file) {
		VoynovCheckpoint.saveReconstructor(reconstructor, file);
	}

	@Override
	void save(Path file) {
		VoynovCheckpoint.save(file, identity(), generator.fingerprint(), step, parts());
	}

	@Override
	void load(Path file) {
		step = VoynovCheckpoint.load(file, identity(), generator.fingerprint(), parts(), work);
	}

	/** What a checkpoint must match to be resumed: the training settings and the deformator type. */
	private String identity() {
		return settings.trainingIdentity(directions) + ";type=" + deformator.type().id();
	}

	private VoynovCheckpoint.Parts parts() {
		return new VoynovCheckpoint.Parts(deformator, deformatorAdam, reconstructor, reconstructorAdam);
	}

	@Override
	public void close() {
		work.close();
	}
}
