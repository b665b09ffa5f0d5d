package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Scalars;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.optim.Adam;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Contrastive direction discovery in the manner of DisCo (Ren et al., ICLR 2022; docs/pipeline.md): a navigator
 * (the direction matrix A, a {@link Deformator} whose bias is held at zero, so a shift is ε along a_k) and a Δ-contrastor E ({@link DeltaContrastor}) are trained together.
 * Each step picks one direction k; B query pairs and N positive pairs are shifted along a_k, Q negative pairs along
 * other directions; the variation of a pair is v = normalise(|E(G(z + ε·a)) − E(G(z))|). Loss = binary cross-entropy
 * of the cosine similarities query·positive (label 1) and query·negative (label 0, or the similarity itself where it
 * exceeds the flip threshold: hard-negative flipping) + w·entropy(softmax(v_query)) (the domination loss: each
 * variation should load on few representation dimensions). Negative variations carry no gradient, as in the original.
 * <p>
 * The generator is frozen. Checkpoints hold step, A, E and both optimizers' moments; batches come from per-step
 * streams, so a resumed run continues bit-identically.
 */
public final class Disco extends CheckpointedRun {

	private final Generator generator;
	private final int directions, latentDim, queries, positives, negatives;
	private final NDManager work;
	private final Deformator navigator;
	private final DeltaContrastor encoder;
	private final ParameterStore store;
	private final Adam navigatorAdam, encoderAdam;
	/** Draws z, ε and the negatives' other direction (K − 1 choices, mapped around the step's direction). */
	private final ShiftSampler sampler;
	private long skipped;
	private double windowLoss, windowEntropy, windowPositive, windowNegative;
	private int windowSteps;

	public Disco(Generator generator, DiscoverySettings settings, int directions, Monitor monitor) {
		super(checked(settings, directions), monitor);
		this.generator = generator;
		this.directions = directions;
		this.latentDim = generator.latentDim();
		queries = settings.batchSize();
		positives = settings.disco().positivesFor(queries);
		negatives = settings.disco().negativesFor(queries);
		settings.deformator().checkShape(directions, latentDim);
		work = generator.manager().newSubManager();
		try {
			navigator = Deformator.create(settings.deformator(), directions, latentDim, work, new SplittableRandom(settings.seed() * 31 + 1)).withoutBias();
			encoder = new DeltaContrastor(generator.imageSize(), settings.disco().representationFor(directions), work,
				new SplittableRandom(settings.seed() * 31 + 2));
		} catch (RuntimeException e) {
			work.close();
			throw e;
		}
		store = new ParameterStore(work, false);
		navigatorAdam = new Adam(work, settings.deformatorLr(), 0.9f, 0.999f);
		encoderAdam = new Adam(work, settings.reconstructorLr(), 0.9f, 0.999f);
		sampler = new ShiftSampler(latentDim, directions - 1, settings.shiftScale(), settings.minShift(), settings.seed());
	}

	public Deformator navigator() {
		return navigator;
	}

	DeltaContrastor encoder() {
		return encoder;
	}


	private static DiscoverySettings checked(DiscoverySettings settings, int directions) {
		if (directions < 2) throw new ExplorerException("DisCo contrasts directions with each other: it needs directions >= 2, got " + directions + ".");
		if (!settings.deformator().trainable())
			throw new ExplorerException("DisCo trains its direction matrix: use deformator=proj, linear or ortho, not " + settings.deformator().id() + ".");
		return settings;
	}

	/** Images one step generates: a pair for each query, positive and negative. */
	public int imagesPerStep() {
		return 2 * (queries + positives + negatives);
	}

	public long skippedSteps() {
		return skipped;
	}

	/** The direction of step {@code s}'s queries and positives: its own stream, so a resumed run draws the same. */
	int targetOf(long s) {
		return new SplittableRandom(settings.seed() * 0x632BE59BD9B4E019L + s * 0x9E3779B97F4A7C15L + 7).nextInt(directions);
	}

	/** One optimisation step of A and E on a fresh batch. */
	@Override
	public void trainStep() {
		int paired = queries + positives, n = paired + negatives;
		ShiftSampler.Batch b = sampler.sample(step, n);
		int target = targetOf(step);
		int[] k = new int[n];
		for (int i = 0; i < n; i++) k[i] = i < paired ? target : b.k()[i] < target ? b.k()[i] : b.k()[i] + 1;
		try (NDManager it = work.newSubManager()) {
			NDArray z = it.create(b.z(), new Shape(n, latentDim, 1, 1));
			NDArray zPaired = z.get(new NDIndex("0:" + paired)), zNeg = z.get(new NDIndex(paired + ":"));
			// negatives without a graph through G: their variations are constants of the loss (the original detaches them)
			NDArray negImages = generator.generate(zNeg.concat(zNeg.add(shifts(k, b.eps(), paired, n, it)), 0));
			float loss;
			NDArray q, lNeg, lPos;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				NDArray images = generator.generate(zPaired.concat(zPaired.add(shifts(k, b.eps(), 0, paired, it)), 0));
				NDArray v = variations(images, paired);
				NDArray neg = variations(negImages, negatives).stopGradient();
				q = v.get(new NDIndex("0:" + queries));
				lPos = q.matMul(v.get(new NDIndex(queries + ":")).transpose());
				lNeg = q.matMul(neg.transpose());
				NDArray logits = lPos.concat(lNeg, 1);
				NDArray labels = it.ones(lPos.getShape()).concat(flipped(lNeg, it), 1);
				// binary cross-entropy with logits, in the numerically stable form max(x,0) − x·y + log(1 + e^−|x|)
				NDArray bce = Scalars.maximum(logits, 0f).sub(logits.mul(labels)).add(logits.abs().neg().exp().add(1).log()).mean();
				NDArray p = q.softmax(1);
				NDArray entropy = p.mul(p.add(1e-5f).log()).sum(new int[] {1}).neg().mean();
				NDArray total = bce.add(Scalars.mul(entropy, settings.disco().entropyWeight()));
				loss = total.getFloat();
				if (!Float.isFinite(loss))
					throw new ExplorerException("DisCo discovery diverged at step " + step + " (loss " + loss
						+ "). Lower the learning rates or check the generator's output for NaNs.");
				gc.backward(total);
				windowEntropy += entropy.getFloat();
			}
			if (!navigator.gradientsFinite() || !encoder.gradientsFinite()) {
				skipStep(loss);
				return;
			}
			navigator.step(navigatorAdam);
			encoder.step(encoderAdam);
			windowLoss += loss;
			windowPositive += lPos.mean().getFloat();
			windowNegative += lNeg.mean().getFloat();
			windowSteps++;
		}
		step++;
	}

	private NDArray shifts(int[] k, float[] eps, int from, int to, NDManager it) {
		return navigator.shifts(java.util.Arrays.copyOfRange(k, from, to), java.util.Arrays.copyOfRange(eps, from, to), it);
	}

	/** Unit variations normalise(|E(x') − E(x)|) of {@code pairs} pairs rendered as [x; x'] (2·pairs images). */
	private NDArray variations(NDArray images, int pairs) {
		NDArray r = encoder.forward(store, images);
		NDArray d = r.get(new NDIndex(pairs + ":")).sub(r.get(new NDIndex("0:" + pairs))).abs();
		return d.div(Scalars.maximum(d.square().sum(new int[] {1}, true).sqrt(), 1e-8f));
	}

	/** Hard-negative flipping: a negative whose similarity exceeds the threshold is labelled with that similarity. */
	private NDArray flipped(NDArray lNeg, NDManager it) {
		float[] sim = lNeg.toFloatArray();
		float t = settings.disco().flipThreshold();
		for (int i = 0; i < sim.length; i++) sim[i] = sim[i] > t ? sim[i] : 0f;
		return it.create(sim, lNeg.getShape());
	}

	/** A finite loss with a non-finite gradient: dropped as {@link VoynovBabenko} drops it; persistent ones stop the run. */
	private void skipStep(float loss) {
		navigator.clearGradients();
		encoder.clearGradients();
		skipped++;
		step++;
		monitor.log(String.format("disco step %d: non-finite gradient (loss %.4f); update skipped (%d skipped so far).", step, loss, skipped));
		if (skipped > Math.max(VoynovBabenko.MAX_SKIPPED, step / 100))
			throw new ExplorerException("DisCo discovery diverged: " + skipped + " of " + step
				+ " steps had non-finite gradients. Lower the learning rates or check the generator's output for NaNs.");
	}

	@Override
	String name() {
		return "DisCo";
	}

	@Override
	void logWindow(int total) {
		if (windowSteps == 0) return;
		String line = String.format("disco step %d/%d: loss %.4f, entropy %.3f, similarity to positives %.3f vs negatives %.3f", step, total,
			windowLoss / windowSteps, windowEntropy / windowSteps, windowPositive / windowSteps, windowNegative / windowSteps);
		monitor.log(line);
		monitor.progress(step, total, line);
		windowLoss = windowEntropy = windowPositive = windowNegative = 0;
		windowSteps = 0;
	}

	/** The trained encoder fitted to the directions on the settings' validation batches (see {@link DiscoEncoder#fit}). */
	public DiscoEncoder.Fitted fitEncoder() {
		return DiscoEncoder.fit(generator, navigator, encoder, store, new ShiftSampler(latentDim, directions, settings.shiftScale(), settings.minShift(),
			settings.seed()), settings.validationBatches(), queries);
	}

	/**
	 * {@link #train} in {@code folder}, then the encoder fitted ({@link #fitEncoder}) and written beside the
	 * checkpoint ({@link DiscoEncoder#PARAMS}, {@link DiscoEncoder#FILE_NAME}).
	 */
	public DiscoEncoder.Fitted trainAndFit(Path folder) {
		train(folder);
		DiscoEncoder.Fitted f = fitEncoder();
		DiscoEncoder.save(folder, encoder, f.card());
		return f;
	}

	/** The current directions as a set; per-direction stats: the encoder's identification accuracy when given. */
	public DirectionSet directionSet(ReconstructorAccuracy.Result accuracy) {
		java.util.List<DirectionSet.DirectionStat> stats = new java.util.ArrayList<>();
		for (int i = 0; i < directions; i++)
			stats.add(new DirectionSet.DirectionStat(i, accuracy == null || Double.isNaN(accuracy.perDirection()[i]) ? null : accuracy.perDirection()[i], null, null));
		java.util.Map<String, Object> s = new java.util.LinkedHashMap<>(settings.toMap());
		s.put("directions", directions);
		s.put("representation", encoder.representation());
		s.put("stepsDone", step);
		s.put("skippedSteps", skipped);
		return new DirectionSet(DiscoverySettings.Method.DISCO.id(), navigator.type(), s, generator.fingerprint(), navigator.directions(), navigator.bias(), stats);
	}

	@Override
	void save(Path file) {
		VoynovCheckpoint.save(file, settings.discoIdentity(directions), generator.fingerprint(), step, parts());
	}

	@Override
	void load(Path file) {
		step = VoynovCheckpoint.load(file, settings.discoIdentity(directions), generator.fingerprint(), parts(), work);
	}

	private VoynovCheckpoint.Parts parts() {
		return new VoynovCheckpoint.Parts(navigator, navigatorAdam, encoder.block(), encoderAdam);
	}

	@Override
	public void close() {
		work.close();
	}
}
