package io.github.ctlatent.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Scalars;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.Params;

import java.util.SplittableRandom;

/**
 * One DCGAN iteration in the PyTorch-tutorial order (docs/method.md §2): D on a real batch with smoothed targets,
 * G(z) on fresh noise, D on that fake batch detached from G, D step; then the generator step on the SAME fake
 * batch (its graph into G kept from the first phase) against the just-updated D, non-saturating loss (target 1).
 * Adam(2e-4, β = (0.5, 0.999)) for both networks.
 * <p>
 * Isolation: the D phase feeds D a stopGradient() copy of the fake batch, so no gradient reaches G; the G phase
 * freezes D's trainable weights (not its BatchNorm running statistics — un-freezing those breaks the next
 * forward, docs/platform.md §3), so nothing accumulates in D. As in PyTorch, D runs in training mode in the G phase,
 * so D's BatchNorm running statistics do move then (three updates per iteration: real, fake, G phase); they are
 * never used, D being always run in training mode. G's running statistics move once per iteration (its one
 * forward), as in PyTorch.
 * <p>
 * With a {@link LatentPenalty} (off by default, the paper's setting), iterations it is due at add weight·every·penalty
 * to the G loss, computed on fresh codes with G in eval mode: it regularises the function discovery and walks use
 * (running statistics, not batch ones) and leaves the running statistics alone. Its randomness is drawn after the
 * D phase's, so the D phase of a regularised run draws what an unregularised one does. The known warp axes
 * ({@link WarpAxes}, off by default) join the G loss the same way, on every iteration, after the regulariser; a VAE
 * teacher's information term ({@link TeacherAxes}, off by default) last, on the judged fake batch (no randomness).
 */
public final class GanStep {

	public static final float LEARNING_RATE = 2e-4f;
	public static final float BETA1 = 0.5f;
	public static final float BETA2 = 0.999f;

	/**
	 * Losses and mean discriminator outputs: D(x) on the real batch, D(G(z)) on the fake batch before the D
	 * update (D phase) and after it (G phase) — the tutorial's D_G_z1 / D_G_z2.
	 */
	public record Result(float dLoss, float gLoss, float dReal, float dFakeBeforeUpdate, float dFakeAfterUpdate, float penalty, float warp, float teacher) {}

	/** What the D phase hands to the G phase: the codes, the fake batch with its graph into G, and the D-phase figures. */
	record Pending(NDArray z, NDArray fake, float dLoss, float dReal, float dFake) {}

	private final Dcgan gan;
	private final Optimizer dOptimizer;
	private final Optimizer gOptimizer;
	private final ParameterStore ps;
	private final Engine engine = Engines.pytorch();
	private final SplittableRandom ownRandom = new SplittableRandom(1);
	private LatentPenalty.Options regulariser = LatentPenalty.Options.NONE;
	private WarpAxes warp = WarpAxes.OFF;
	private TeacherAxes teacher = TeacherAxes.OFF;

	public GanStep(Dcgan gan) {
		this(gan, Updates.adam(LEARNING_RATE, BETA1, BETA2), Updates.adam(LEARNING_RATE, BETA1, BETA2));
	}

	public GanStep(Dcgan gan, Optimizer discriminatorOptimizer, Optimizer generatorOptimizer) {
		this.gan = gan;
		this.dOptimizer = discriminatorOptimizer;
		this.gOptimizer = generatorOptimizer;
		this.ps = new ParameterStore(gan.manager(), false);
	}

	/** Adds a latent regulariser to the generator's loss from the next iteration on. */
	public GanStep regulariser(LatentPenalty.Options options) {
		this.regulariser = options;
		return this;
	}

	/** Adds the known warp axes' pull ({@link WarpAxes}) to the generator's loss from the next iteration on. */
	public GanStep warp(WarpAxes axes) {
		this.warp = axes;
		return this;
	}

	/** Adds a VAE teacher's information term ({@link TeacherAxes}) to the generator's loss from the next iteration on; the caller closes it. */
	public GanStep teacher(TeacherAxes axes) {
		this.teacher = axes;
		return this;
	}

	/** One iteration on {@code real} (B, c, S, S) in [-1, 1] with this step's own random stream; {@code real} stays the caller's. */
	public Result step(NDArray real) {
		try (NDManager it = gan.manager().newSubManager()) {
			return step(it, real, ownRandom, false);
		}
	}

	/**
	 * One iteration whose arrays live in {@code it} (closed by the caller) and whose randomness — the latent codes
	 * and the smoothed real labels — comes from {@code rng} alone, not from libtorch's global generator: two
	 * trainings in one JVM cannot disturb each other, and a resumed run draws what an uninterrupted one did.
	 * {@code regularise}: add the regulariser's penalty to this iteration's generator loss (ignored without one).
	 */
	public Result step(NDManager it, NDArray real, SplittableRandom rng, boolean regularise) {
		return generatorPhase(discriminatorPhase(it, Updates.intoIteration(real, it), rng), rng, regularise && regulariser.active());
	}

	Pending discriminatorPhase(NDManager it, NDArray real, SplittableRandom rng) {
		Shape s = real.getShape();
		if (s.dimension() != 4 || s.get(1) != gan.config().channels() || s.get(2) != gan.config().imageSize() || s.get(3) != gan.config().imageSize())
			throw new IllegalArgumentException("real batch must be (B, " + gan.config().channels() + ", " + gan.config().imageSize()
				+ ", " + gan.config().imageSize() + "), got " + s);
		long b = s.get(0);
		NDArray realTargets = Losses.smoothedRealTargets(it, b, rng);
		NDArray z = Losses.gaussian(it, rng, new Shape(b, gan.config().latentDim(), 1, 1));
		NDArray realLogits, fake, fakeLogits, loss;
		try (GradientCollector gc = engine.newGradientCollector()) {
			realLogits = forward(gan.discriminator(), real);
			fake = forward(gan.generator(), z);
			fakeLogits = forward(gan.discriminator(), fake.stopGradient());
			loss = Losses.bceWithLogits(realLogits, realTargets)
				.add(Losses.bceWithLogits(fakeLogits, Losses.constantTargets(it, b, 0f)));
			gc.backward(loss);
		}
		Updates.apply(gan.discriminator(), dOptimizer);
		return new Pending(z, fake, loss.getFloat(), meanSigmoid(realLogits), meanSigmoid(fakeLogits));
	}

	/**
	 * The G phase; with {@code regularise} the regulariser's penalty joins the loss, and with the warp axes on their
	 * pull; both draw from {@code rng} after the D phase, in that order, so the D phase draws what a plain run's does.
	 */
	Result generatorPhase(Pending p, SplittableRandom rng, boolean regularise) {
		Block d = gan.discriminator();
		d.freezeParameters(true, Params::trainable);
		try {
			NDArray logits;
			float loss, penalty = Float.NaN, warped = Float.NaN, taught = Float.NaN;
			try (GradientCollector gc = engine.newGradientCollector()) {
				logits = forward(d, p.fake());
				NDArray l = Losses.bceWithLogits(logits, Losses.constantTargets(p.fake().getManager(), p.fake().getShape().get(0), 1f));
				loss = l.getFloat();
				if (regularise) {
					NDArray r = penalty(p.fake().getManager(), rng);
					penalty = r.getFloat();
					l = l.add(Scalars.mul(r, (float) (regulariser.weight() * regulariser.every())));
				}
				if (warp.on()) {
					NDArray w = warp.generatorPenalty(gan.generator(), ps, p.fake().getManager(), p.z(), p.fake(), rng);
					warped = w.getFloat();
					l = l.add(Scalars.mul(w, warp.weight()));
				}
				if (teacher.on()) {
					// on the judged batch itself: its graph into G is there already, and it draws no randomness
					NDArray t = teacher.penalty(p.fake(), p.z());
					taught = t.getFloat();
					l = l.add(Scalars.mul(t, teacher.weight()));
				}
				gc.backward(l);
			}
			Updates.apply(gan.generator(), gOptimizer);
			return new Result(p.dLoss(), loss, p.dReal(), p.dFake(), meanSigmoid(logits), penalty, warped, taught);
		} finally {
			d.freezeParameters(false, Params::trainable);
		}
	}

	/**
	 * The regulariser's penalty of the current generator (eval mode, gradient-carrying) at {@link LatentPenalty#CODES}
	 * fresh codes from {@code rng}; call inside a gradient collector to train on it.
	 */
	NDArray penalty(NDManager it, SplittableRandom rng) {
		int dim = gan.config().latentDim();
		NDArray z = Losses.gaussian(it, rng, new Shape(LatentPenalty.CODES, dim));
		return LatentPenalty.of(regulariser.kind(), codes -> gan.generator().forward(ps,
			new NDList(codes.reshape(-1, dim, 1, 1)), false).singletonOrThrow(), z, rng);
	}

	private NDArray forward(Block block, NDArray x) {
		return block.forward(ps, new NDList(x), true).singletonOrThrow();
	}

	private static float meanSigmoid(NDArray logits) {
		return Activation.sigmoid(logits.stopGradient()).mean().getFloat();
	}
}
