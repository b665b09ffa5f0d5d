package io.github.ctlatent.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Losses;
import io.github.ctlatent.model.ResNetVae;

import java.util.SplittableRandom;

/**
 * One ResNet-VAE iteration (docs/method.md §3): log(MSE) + β·KL with β 0.01, Adam(1e-4, (0.9, 0.999)); with a
 * total-correlation weight above 1, β-TCVAE's loss ({@link Losses#betaTcVae}). With pairs (a batch of anchors then
 * their partners, {@link io.github.ctlatent.data.SliceBatches}), Ada-GVAE: the two posteriors of each pair share the
 * dimensions that barely differ ({@link AdaptiveAveraging}) before sampling, and the loss is the same ELBO on both images.
 * With slice pairs and an order weight λ above 0, latent axis 0 is the position along the body: slice pairs share
 * every other dimension ({@link AdaptiveAveraging}, the changed factor known; or swap them, {@link PairSharing}) and a
 * hinge holds it to the slice order ({@link SliceOrder}). With known geometric axes as well, a pair made by geometric
 * change c keeps axis 1 + c alone and a hinge of the same weight orders that axis by the change's signed size.
 */
public final class VaeStep {

	public static final float LEARNING_RATE = 1e-4f;

	/**
	 * The minimized loss and its parts (MSE itself, not its log; KL unweighted; TC NaN when not penalised; shared: mean
	 * dimensions shared per pair, NaN without pairs).
	 */
	public record Result(float loss, float mse, float kl, float tc, float shared, float order) {}

	private final ResNetVae vae;
	private final Optimizer optimizer;
	private final float beta;
	private final float tcBeta;
	private final boolean pairs;
	private final float orderWeight;
	private final PairSharing sharing;
	private final boolean geometryAxes;
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
		this(vae, optimizer, beta, tcBeta, pairs, 0f);
	}

	/** As above, with the weight λ of the slice-order hinge on axis 0 ({@link SliceOrder}; 0: off, needs pairs). */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs, float orderWeight) {
		this(vae, optimizer, beta, tcBeta, pairs, orderWeight, PairSharing.AVERAGE);
	}

	/** As above, with what a slice pair's images take on the dimensions beyond axis 0 ({@link PairSharing}; swap needs the hinge). */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs, float orderWeight, PairSharing sharing) {
		this(vae, optimizer, beta, tcBeta, pairs, orderWeight, sharing, false);
	}

	/**
	 * As above; {@code geometryAxes}: a geometric pair's change is known too, each change on its own axis after the
	 * position ({@link AdaptiveAveraging}), ordered by a hinge like axis 0's (needs the position axis).
	 */
	public VaeStep(ResNetVae vae, Optimizer optimizer, float beta, float tcBeta, boolean pairs, float orderWeight, PairSharing sharing, boolean geometryAxes) {
		if (geometryAxes && orderWeight <= 0) throw new IllegalArgumentException("known geometric axes need the position axis (an order weight above 0)");
		this.geometryAxes = geometryAxes;
		if (orderWeight > 0 && !pairs) throw new IllegalArgumentException("the slice-order hinge needs pair batches");
		if (sharing == PairSharing.SWAP && orderWeight <= 0) throw new IllegalArgumentException("swapping needs the position axis (an order weight above 0)");
		this.orderWeight = orderWeight;
		this.sharing = sharing;
		this.vae = vae;
		this.pairs = pairs;
		this.optimizer = optimizer;
		this.beta = beta;
		this.tcBeta = tcBeta;
		this.ps = new ParameterStore(vae.manager(), false);
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
		NDArray order = null, total;
		try (GradientCollector gc = engine.newGradientCollector()) {
			ResNetVae.Encoding e = vae.encode(ps, x, true);
			if (orderWeight > 0) {
				long n = x.getShape().get(0) / 2;
				if (pairOffsets == null || pairOffsets.length != n)
					throw new IllegalStateException("the slice-order hinge needs the batch's " + n + " pair offsets (pairOffsets) before each step");
				order = SliceOrder.hinge(e.mu(), it.create(pairOffsets)); // on the encoder's own means, before sharing equalises them
				if (geometryAxes) {
					if (pairChanges == null || pairChanges.length == 0 || pairChanges[0].length != n)
						throw new IllegalStateException("known geometric axes need the batch's " + n + " pair changes (pairChanges) before each step");
					for (int c = 0; c < pairChanges.length; c++) order = order.add(SliceOrder.hinge(e.mu(), it.create(pairChanges[c]), AdaptiveAveraging.axisOf(c)));
				}
			}
			if (pairs) {
				AdaptiveAveraging.Shared s = AdaptiveAveraging.apply(e.mu(), e.logvar(), orderWeight > 0 ? pairOffsets : null, sharing == PairSharing.SWAP,
					geometryAxes ? pairChanges : null);
				e = new ResNetVae.Encoding(s.mu(), s.logvar());
				shared = s.sharedPerPair();
			}
			NDArray z = ResNetVae.reparameterize(e, Losses.gaussian(it, rng, e.mu().getShape()));
			NDArray reconstruction = vae.decode(ps, z, true);
			l = tcBeta == 1f ? Losses.vae(reconstruction, x, e.mu(), e.logvar(), beta)
				: Losses.betaTcVae(reconstruction, x, z, e.mu(), e.logvar(), beta, tcBeta);
			total = order == null ? l.total() : l.total().add(io.github.ctlatent.engine.Scalars.mul(order, orderWeight));
			gc.backward(total);
		} finally {
			pairOffsets = null; // one batch's offsets serve one step
			pairChanges = null;
		}
		Updates.apply(vae.encoder(), optimizer);
		Updates.apply(vae.decoder(), optimizer);
		return new Result(total.getFloat(), l.mse().getFloat(), l.kl().getFloat(), l.tc() == null ? Float.NaN : l.tc().getFloat(), shared,
			order == null ? Float.NaN : order.getFloat());
	}
}
