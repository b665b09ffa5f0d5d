package io.github.ctlatent.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Gradients;
import io.github.ctlatent.engine.Scalars;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.Params;
import io.github.ctlatent.model.ResNetVae;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One ResNet-VAE iteration (docs/method.md §3): log(MSE) + β·KL with β 0.01, Adam(1e-4, (0.9, 0.999)); with a
 * total-correlation weight above 1, β-TCVAE's loss ({@link Losses#betaTcVae}). With pairs (a batch of anchors then
 * their partners, {@link io.github.ctlatent.data.SliceBatches}), Ada-GVAE: the two posteriors of each pair share the
 * dimensions that barely differ ({@link AdaptiveAveraging}) before sampling, and the loss is the same ELBO on both images.
 * With slice pairs and an order weight λ above 0, latent axis 0 is the position along the body: slice pairs share
 * every other dimension ({@link AdaptiveAveraging}, the changed factor known; or swap them, {@link PairSharing}) and a
 * hinge holds it to the slice order ({@link SliceOrder}). With known geometric axes as well, a pair made by geometric
 * change c keeps axis 1 + c alone and a hinge of the same weight orders that axis by the change's signed size. The
 * settings of all this are one {@link PositionAxis}: the hinge's span, and an optional pull that keeps a slice pair's
 * posterior means together beyond axis 0 ({@link SliceOrder#invariance}). Independent of all that, a {@link TraversalCycle}
 * adds a second backward pass that trains the decoder to draw walks along one axis that leave the encoder's reading of
 * the other axes where it was, and {@link WarpAxes} pull the decoder's walks along axes 1-4 towards known warps.
 */
public final class VaeStep {

	public static final float LEARNING_RATE = 1e-4f;

	/**
	 * The minimized loss and its parts (MSE itself, not its log; KL unweighted; TC NaN when not penalised; shared: mean
	 * dimensions shared per pair, NaN without pairs; order, invariance and cycle unweighted, NaN when off; the cycle's
	 * weighted value is part of the loss).
	 */
	public record Result(float loss, float mse, float kl, float tc, float shared, float order, float invariance, float cycle, float warp) {}

	private final ResNetVae vae;
	private final Optimizer optimizer;
	private final float beta;
	private final float tcBeta;
	private final boolean pairs;
	private final PositionAxis axis;
	private final TraversalCycle cycle;
	private WarpAxes warp = WarpAxes.OFF;
	private float[] pairOffsets;
	private float[][] pairChanges;
	private final ParameterStore ps;
	private final Engine engine = Engines.pytorch();
	private final SplittableRandom ownRandom = new SplittableRandom(1);

	public VaeStep(ResNetVae vae) {
		this(vae, Updates.adam(LEARNING_RATE, 0.9f, 0.999f), Losses.VAE_BETA, 1f, false);
	}

	/**
	 * {@code tcBeta}: the weight of the KL's total-correlation part relative to the rest (1: the plain VAE);
	 * {@code pairs}: batches are pairs (first half anchors, second half partners) trained as Ada-GVAE.
	 */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs) {
		this(vae, optimizer, beta, tcBeta, pairs, PositionAxis.OFF);
	}

	/** As above, with latent axis 0 made the position along the body as {@code axis} says (needs pairs when on). */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs, PositionAxis axis) {
		this(vae, optimizer, beta, tcBeta, pairs, axis, TraversalCycle.OFF);
	}

	/** As above, with the traversal cycle {@code cycle} on the decoder as well. */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs, PositionAxis axis, TraversalCycle cycle) {
		if (axis.on() && !pairs) throw new IllegalArgumentException("the slice-order hinge needs pair batches");
		this.axis = axis;
		this.cycle = cycle;
		this.vae = vae;
		this.pairs = pairs;
		this.optimizer = optimizer;
		this.beta = beta;
		this.tcBeta = tcBeta;
		this.ps = new ParameterStore(vae.manager(), false);
	}

	/** Adds the known warp axes' pull ({@link WarpAxes}) on the decoder from the next iteration on. */
	public VaeStep warp(WarpAxes axes) {
		this.warp = axes;
		return this;
	}

	/** The next batch's {@link io.github.ctlatent.data.SliceBatches#pairOffsets() pair offsets}, which the order hinge needs. */
	public void pairOffsets(float[] offsets) {
		pairOffsets = offsets;
	}

	/** The next batch's {@link io.github.ctlatent.data.SliceBatches#pairChanges() geometric changes}, which known geometric axes need. */
	public void pairChanges(float[][] changes) {
		pairChanges = changes;
	}

	/** One iteration on {@code batch} (B, c, S, S) in [-1, 1] with this step's own random stream; the batch stays the caller's. */
	public Result step(NDArray batch) {
		try (NDManager it = vae.manager().newSubManager()) {
			return step(it, batch, ownRandom);
		}
	}

	/** One iteration whose arrays live in {@code it} and whose reparameterisation noise comes from {@code rng} alone (see GanStep). */
	public Result step(NDManager it, NDArray batch, SplittableRandom rng) {
		NDArray x = Updates.intoIteration(batch, it);
		Losses.VaeLoss l;
		float shared = Float.NaN;
		NDArray order = null, invariance = null, warped = null, total, means;
		try (GradientCollector gc = engine.newGradientCollector()) {
			ResNetVae.Encoding e = vae.encode(ps, x, true);
			if (axis.on()) {
				long n = x.getShape().get(0) / 2;
				if (pairOffsets == null || pairOffsets.length != n)
					throw new IllegalStateException("the slice-order hinge needs the batch's " + n + " pair offsets (pairOffsets) before each step");
				NDArray offsets = it.create(pairOffsets);
				order = SliceOrder.hinge(e.mu(), offsets, 0, axis.span()); // on the encoder's own means, before sharing equalises them
				if (axis.invarianceWeight() > 0) invariance = SliceOrder.invariance(e.mu(), offsets);
				if (axis.geometryAxes()) {
					if (pairChanges == null || pairChanges.length == 0 || pairChanges[0].length != n)
						throw new IllegalStateException("known geometric axes need the batch's " + n + " pair changes (pairChanges) before each step");
					for (int c = 0; c < pairChanges.length; c++) order = order.add(SliceOrder.hinge(e.mu(), it.create(pairChanges[c]), AdaptiveAveraging.axisOf(c), axis.span()));
				}
			}
			if (pairs) {
				AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(e.mu(), e.logvar(), axis.on() ? pairOffsets : null, axis.sharing() == PairSharing.SWAP,
					axis.geometryAxes() ? pairChanges : null);
				e = new ResNetVae.Encoding(s.mu(), s.logvar());
				shared = s.sharedPerPair();
			}
			NDArray z = ResNetVae.reparameterize(e, Losses.gaussian(it, rng, e.mu().getShape()));
			NDArray reconstruction = vae.decode(ps, z, true);
			l = tcBeta == 1f ? Losses.vae(reconstruction, x, e.mu(), e.logvar(), beta)
				: Losses.betaTcVae(reconstruction, x, z, e.mu(), e.logvar(), beta, tcBeta);
			total = order == null ? l.total() : l.total().add(Scalars.mul(order, axis.orderWeight()));
			if (invariance != null) total = total.add(Scalars.mul(invariance, axis.invarianceWeight()));
			means = e.mu().stopGradient();
			if (warp.on()) {
				warped = warpPull(it, means, rng);
				total = total.add(Scalars.mul(warped, warp.weight()));
			}
			gc.backward(total);
		} finally {
			pairOffsets = null; // one batch's offsets serve one step
			pairChanges = null;
		}
		float cycled = cycle.on() ? cycleBackward(it, means, rng) : Float.NaN;
		Updates.apply(vae.encoder(), optimizer);
		Updates.apply(vae.decoder(), optimizer);
		return new Result(total.getFloat() + (cycle.on() ? cycle.weight() * cycled : 0f), l.mse().getFloat(), l.kl().getFloat(),
			l.tc() == null ? Float.NaN : l.tc().getFloat(), shared, order == null ? Float.NaN : order.getFloat(),
			invariance == null ? Float.NaN : invariance.getFloat(), cycled, warped == null ? Float.NaN : warped.getFloat());
	}

	/**
	 * The warp pull on the decoder: the first posterior means and their walks decoded together in training mode, as
	 * the traversal cycle does (the means are detached, so only the decoder learns from it).
	 */
	NDArray warpPull(NDManager it, NDArray means, SplittableRandom rng) {
		WarpAxes.Walks w = WarpAxes.draw(it, means.getShape(), rng);
		NDArray bases = means.get("0:" + w.n());
		NDArray drawn = vae.decode(ps, bases.concat(bases.add(w.step()), 0), true);
		return warp.penalty(it, w, drawn.get("0:" + w.n()), drawn.get(w.n() + ":"));
	}

	/**
	 * The traversal cycle's own backward pass, accumulated onto the decoder's gradients; the encoder's gradients are put
	 * back as the ELBO left them, so only the decoder learns from it. Returns the unweighted penalty.
	 */
	private float cycleBackward(NDManager it, NDArray means, SplittableRandom rng) {
		List<NDArray> encoderParams = new ArrayList<>(), kept = new ArrayList<>();
		for (var p : vae.encoder().getParameters()) {
			if (!Params.trainable(p.getValue()) || !p.getValue().requiresGradient()) continue;
			encoderParams.add(p.getValue().getArray());
			kept.add(Gradients.copy(p.getValue().getArray(), it));
		}
		float value;
		try (GradientCollector gc = engine.newGradientCollector()) {
			NDArray c = TraversalCycle.penalty(vae, ps, it, means, rng);
			gc.backward(Scalars.mul(c, cycle.weight()));
			value = c.getFloat();
		}
		for (int i = 0; i < encoderParams.size(); i++) Gradients.restore(encoderParams.get(i), kept.get(i));
		return value;
	}
}
