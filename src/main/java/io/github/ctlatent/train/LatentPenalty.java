package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Scalars;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Regularisers that push a generator towards a latent whose coordinates change the image independently, estimated by
 * finite differences of the generator's output (the form both papers' own code uses): DJL has no double backward
 * through every operation, and a difference of forward passes needs only the first-order backward training has.
 * <ul>
 * <li><b>Hessian penalty</b> (Peebles et al., ECCV 2020): for k Rademacher vectors v, the central second difference
 *     (G(z+εv) − 2G(z) + G(z−εv)) / ε² is vᵀHv per output element; its variance over v is 2·Σ_{i≠j} H_ij² (the
 *     diagonal of H does not vary with v), so driving it to zero zeroes the mixed second derivatives. The penalty is
 *     the maximum over output elements (and codes) of the unbiased variance over the k vectors, as in the paper.</li>
 * <li><b>OroJaR</b> (Wei et al., ICCV 2021): with forward differences J_i ≈ (G(z+εe_i) − G(z)) / ε over m latent
 *     coordinates, Σ_{i≠j} (J_i·J_j)² — zero when the coordinates' image changes are orthogonal. The m coordinates are
 *     a random subset; the sum is scaled by d(d−1) / (m(m−1)) so it estimates the full sum without bias (exact for
 *     m = d), then averaged over codes. (The authors' code estimates the same quantity from the variance of |Jv|²
 *     over Rademacher v; the coordinate form is used here because it is exact on a linear generator.)</li>
 * </ul>
 * Both act on the generator's final image only (not the papers' per-layer variants).
 */
public final class LatentPenalty {

	/** Finite-difference step of both papers' code. */
	public static final float EPSILON = 0.1f;
	/** Rademacher vectors per code for the Hessian penalty (the paper's k). */
	public static final int HESSIAN_VECTORS = 2;
	/** Latent coordinates per code for OroJaR (all of them when the latent is smaller). */
	public static final int OROJAR_DIMS = 8;
	/** Latent codes per penalty evaluation: a quarter of the CPU preset's batch, to keep its extra passes cheap. */
	public static final int CODES = 16;

	/** Which regulariser, by its macro value. */
	public enum Kind {
		NONE, HESSIAN, OROJAR;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Kind parse(String s) {
			if (s == null || s.isBlank()) return NONE;
			for (Kind k : values()) if (k.key().equals(s.trim().toLowerCase(Locale.ROOT))) return k;
			throw new ExplorerException("Unknown regulariser='" + s + "'. Use none, hessian or orojar.");
		}
	}

	/**
	 * A regulariser as training applies it: {@code weight}·penalty added to the generator's loss every {@code every}
	 * iterations, with the weight multiplied by {@code every} then (lazy regularisation as in StyleGAN2, so the
	 * average strength does not depend on how often it is applied).
	 */
	public record Options(Kind kind, double weight, int every) {
		public static final Options NONE = new Options(Kind.NONE, 0, 1);

		public Options {
			if (kind == null) kind = Kind.NONE;
			if (!(weight >= 0) || Double.isInfinite(weight)) throw new ExplorerException("regulariser_weight must be a finite number >= 0, got " + weight + ".");
			if (every < 1) throw new ExplorerException("regulariser_every must be >= 1, got " + every + ".");
		}

		public boolean active() {
			return kind != Kind.NONE && weight > 0;
		}

		/** Whether the 0-based iteration {@code it} carries the penalty. */
		public boolean dueAt(long it) {
			return active() && it % every == 0;
		}

		/** For the model card and the log. */
		public String describe() {
			if (!active()) return "none";
			String what = kind == Kind.HESSIAN
				? "Hessian penalty (max over pixels of the variance over " + HESSIAN_VECTORS + " Rademacher vectors of the central second difference)"
				: "OroJaR (sum over coordinate pairs of squared dot products of forward-difference Jacobian columns, " + OROJAR_DIMS + " random coordinates per code, scaled to all pairs)";
			return String.format(Locale.ROOT, "%s, weight %s every %d iteration(s) (applied with weight x %d), eps %s, %d fresh codes, generator in eval mode",
				what, weight, every, every, EPSILON, CODES);
		}
	}

	private LatentPenalty() {}

	/** The penalty {@code kind} of {@code g} at codes {@code z} (N, d); randomness (vectors, coordinates) from {@code rng}. */
	public static NDArray of(Kind kind, UnaryOperator<NDArray> g, NDArray z, SplittableRandom rng) {
		return switch (kind) {
			case HESSIAN -> hessian(g, z, HESSIAN_VECTORS, EPSILON, rng);
			case OROJAR -> orojar(g, z, randomDims(Math.toIntExact(z.getShape().get(1)), OROJAR_DIMS, rng), EPSILON);
			case NONE -> throw new IllegalArgumentException("no penalty for regulariser none");
		};
	}

	/**
	 * Hessian penalty of {@code g} at {@code z} (N, d) with {@code k} ≥ 2 Rademacher vectors per code: one forward
	 * pass over the N·(2k+1) codes, so every difference sees the same network state.
	 */
	public static NDArray hessian(UnaryOperator<NDArray> g, NDArray z, int k, float eps, SplittableRandom rng) {
		if (k < 2) throw new IllegalArgumentException("the variance needs k >= 2 vectors, got " + k);
		long n = z.getShape().get(0), d = z.getShape().get(1);
		NDList codes = new NDList(z);
		for (int j = 0; j < k; j++) {
			NDArray v = Scalars.mul(rademacher(z, n, d, rng), eps);
			codes.add(z.add(v));
			codes.add(z.sub(v));
		}
		NDArray out = flatOutputs(g, codes, n); // (2k+1, N, P)
		NDArray centre = Scalars.mul(out.get(0), 2f);
		NDList second = new NDList();
		for (int j = 0; j < k; j++) second.add(Scalars.div(out.get(1 + 2 * j).add(out.get(2 + 2 * j)).sub(centre), eps * eps));
		NDArray s = NDArrays.stack(second); // (k, N, P)
		NDArray variance = Scalars.div(s.sub(s.mean(new int[] {0}, true)).square().sum(new int[] {0}), k - 1);
		return variance.max();
	}

	/**
	 * OroJaR of {@code g} at {@code z} (N, d) over the latent coordinates {@code dims} (at least 2, distinct): one
	 * forward pass over the N·(m+1) codes; the mean over codes of Σ_{i≠j} (J_i·J_j)², scaled by d(d−1)/(m(m−1)).
	 */
	public static NDArray orojar(UnaryOperator<NDArray> g, NDArray z, int[] dims, float eps) {
		int m = dims.length;
		long n = z.getShape().get(0), d = z.getShape().get(1);
		if (m < 2) throw new IllegalArgumentException("OroJaR needs at least 2 latent coordinates, got " + m);
		NDList codes = new NDList(z);
		for (int i : dims) {
			float[] e = new float[Math.toIntExact(d)];
			e[i] = eps;
			codes.add(z.add(z.getManager().create(e, new Shape(1, d))));
		}
		NDArray out = flatOutputs(g, codes, n); // (m+1, N, P)
		NDArray jac = Scalars.div(out.get("1:").sub(out.get(0)), eps).transpose(1, 0, 2); // (N, m, P)
		NDArray gram = jac.batchMatMul(jac.transpose(0, 2, 1)); // (N, m, m)
		NDArray diagonal = jac.square().sum(new int[] {2}); // (N, m): |J_i|², the Gram's diagonal
		NDArray offDiagonal = gram.square().sum(new int[] {1, 2}).sub(diagonal.square().sum(new int[] {1}));
		return Scalars.mul(offDiagonal.mean(), (float) ((double) d * (d - 1) / ((double) m * (m - 1))));
	}

	/** {@code m} distinct coordinates of {@code 0..d-1} (all of them when d ≤ m), drawn from {@code rng}. */
	static int[] randomDims(int d, int m, SplittableRandom rng) {
		int[] all = new int[d];
		for (int i = 0; i < d; i++) all[i] = i;
		int take = Math.min(d, m);
		for (int i = 0; i < take; i++) { // partial Fisher–Yates
			int j = i + rng.nextInt(d - i), t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		return java.util.Arrays.copyOf(all, take);
	}

	private static NDArray rademacher(NDArray like, long n, long d, SplittableRandom rng) {
		float[] v = new float[Math.toIntExact(n * d)];
		for (int i = 0; i < v.length; i++) v[i] = rng.nextBoolean() ? 1f : -1f;
		return like.getManager().create(v, new Shape(n, d));
	}

	/** g over all code groups in one pass, as (groups, N, P). */
	private static NDArray flatOutputs(UnaryOperator<NDArray> g, NDList codes, long n) {
		NDArray out = g.apply(NDArrays.concat(codes));
		return out.reshape(codes.size(), n, -1);
	}
}
