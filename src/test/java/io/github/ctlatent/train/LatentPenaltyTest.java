package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers of the finite-difference Hessian penalty and OroJaR, and that their gradient trains a generator. */
class LatentPenaltyTest {

	private static final int[] ALL4 = {0, 1, 2, 3};

	/** G(z) = z Wᵀ: a linear generator whose Jacobian columns are the rows of {@code w} (d × P). */
	private static UnaryOperator<NDArray> linear(NDManager m, float[][] w) {
		NDArray wt = m.create(w); // (d, P)
		return z -> z.matMul(wt);
	}

	private static NDArray codes(NDManager m, int n, int d, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[] v = new float[n * d];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
		return m.create(v, new Shape(n, d));
	}

	/** Σ_{i≠j} (w_i · w_j)² for the rows w_i, in double precision. */
	private static double offDiagonalSum(float[][] w) {
		double s = 0;
		for (int i = 0; i < w.length; i++)
			for (int j = 0; j < w.length; j++) {
				if (i == j) continue;
				double dot = 0;
				for (int p = 0; p < w[i].length; p++) dot += (double) w[i][p] * w[j][p];
				s += dot * dot;
			}
		return s;
	}

	@Test
	void orojarIsZeroForOrthogonalColumnsAndTheExactSumOtherwise() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			// given four orthogonal image directions (scaled differently) and four that overlap
			float[][] orthogonal = {{2, 0, 0, 0, 0}, {0, 1, 1, 0, 0}, {0, 1, -1, 0, 0}, {0, 0, 0, 0, 3}};
			float[][] skew = {{1, 0.5f, 0, 0, 0}, {0.5f, 1, 0.2f, 0, 0}, {0, 0, 1, 1, 0}, {1, 1, 1, 1, 1}};
			NDArray z = codes(m, 6, 4, 1);
			// when OroJaR runs over every coordinate
			float zero = LatentPenalty.orojar(linear(m, orthogonal), z, ALL4, LatentPenalty.EPSILON).getFloat();
			float exact = LatentPenalty.orojar(linear(m, skew), z, ALL4, LatentPenalty.EPSILON).getFloat();
			// then it is 0 for the orthogonal map and Σ_{i≠j}(J_i·J_j)² for the other, at every code alike
			assertEquals(0, zero, 1e-3);
			double expected = offDiagonalSum(skew);
			assertEquals(expected, exact, 1e-3 * expected, "OroJaR of the skew linear map");
		}
	}

	@Test
	void orojarOnASubsetOfCoordinatesIsScaledToAllPairs() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			// given 5 unit columns with every pairwise dot product 0.5 (d(d−1) = 20 ordered pairs of 0.25 each)
			int d = 5;
			float[][] w = new float[d][d + 1];
			for (int i = 0; i < d; i++) {
				w[i][i] = (float) Math.sqrt(0.5);
				w[i][d] = (float) Math.sqrt(0.5);
			}
			NDArray z = codes(m, 3, d, 2);
			// when only 2 or 3 coordinates are differenced
			float two = LatentPenalty.orojar(linear(m, w), z, new int[] {4, 1}, LatentPenalty.EPSILON).getFloat();
			float three = LatentPenalty.orojar(linear(m, w), z, LatentPenalty.randomDims(d, 3, new SplittableRandom(3)), LatentPenalty.EPSILON).getFloat();
			// then both estimate the full sum, 20 × 0.25 = 5
			assertEquals(5, two, 5e-3);
			assertEquals(5, three, 5e-3);
		}
	}

	@Test
	void hessianPenaltyIsZeroForLinearAndDiagonalQuadraticsButNotForAMixedOne() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			NDArray z = codes(m, 1, 2, 4);
			SplittableRandom rng = new SplittableRandom(5);
			// given G linear, G = z0² + 3 z1² (no mixed term) and G = z0 · z1 (H01 = 1)
			float linear = LatentPenalty.hessian(linear(m, new float[][] {{1, -2, 3}, {4, 0.5f, -1}}), z, 2, LatentPenalty.EPSILON, rng).getFloat();
			float diagonal = LatentPenalty.hessian(c -> c.get(":, 0").square().add(c.get(":, 1").square().mul(3)).reshape(-1, 1), z, 8, LatentPenalty.EPSILON, rng).getFloat();
			// vᵀHv = 2 v0 v1 = ±2 with equal chance: its variance is 4; 4,000 vectors pin the estimate within a few %
			float mixed = LatentPenalty.hessian(c -> c.get(":, 0").mul(c.get(":, 1")).reshape(-1, 1), z, 4000, LatentPenalty.EPSILON, rng).getFloat();
			// then only the mixed second derivative is penalised
			assertEquals(0, linear, 1e-2);
			assertEquals(0, diagonal, 1e-2);
			assertEquals(4, mixed, 0.25);
		}
	}

	@Test
	void theHessianPenaltyTakesTheWorstOutputElement() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			// given two outputs, z0·z1 (variance 4) and 3·z0·z1 (variance 36), the max over elements is the second
			NDArray z = codes(m, 1, 2, 6);
			float p = LatentPenalty.hessian(c -> c.get(":, 0").mul(c.get(":, 1")).reshape(-1, 1).mul(m.create(new float[] {1, 3}, new Shape(1, 2))),
				z, 4000, LatentPenalty.EPSILON, new SplittableRandom(7)).getFloat();
			assertEquals(36, p, 2.5);
		}
	}

	@Test
	void aFewStepsOnEitherPenaltyLowerItOnATinyGenerator() {
		for (LatentPenalty.Kind kind : new LatentPenalty.Kind[] {LatentPenalty.Kind.OROJAR, LatentPenalty.Kind.HESSIAN}) {
			Engines.seed(3);
			try (Dcgan gan = Dcgan.create(GanStepTest.TINY, Device.cpu())) {
				warmRunningStatistics(gan);
				Adam adam = new Adam(gan.manager(), 2e-3f, 0.5f, 0.999f);
				GanStep step = new GanStep(gan, adam, adam).regulariser(new LatentPenalty.Options(kind, 1, 1));
				float first = penalty(step, gan, adam, true), last = first;
				assertTrue(first > 1e-4, kind + ": a penalty of " + first + " would not test the gradient");
				for (int i = 0; i < 15; i++) last = penalty(step, gan, adam, true);
				// the same codes and vectors each time (a fixed stream), so only the weights move the value
				assertTrue(last < 0.5 * first, kind + ": penalty " + first + " -> " + last + " after 15 Adam steps on it alone");
			}
		}
	}

	/**
	 * A fresh generator's BatchNorm running statistics (mean 0, variance 1) do not match its small activations, so in
	 * eval mode it outputs ~0 and both penalties are ~1e-12; training-mode passes set them as training would.
	 */
	private static void warmRunningStatistics(Dcgan gan) {
		ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(gan.manager(), false);
		for (int i = 0; i < 60; i++)
			try (NDManager it = gan.manager().newSubManager()) {
				NDArray z = it.randomNormal(new Shape(16, GanStepTest.TINY.latentDim(), 1, 1));
				gan.generator().forward(ps, new ai.djl.ndarray.NDList(z), true);
			}
	}

	/** The penalty at a fixed draw; with {@code train}, one Adam step of the generator on it. */
	private static float penalty(GanStep step, Dcgan gan, Adam adam, boolean train) {
		try (NDManager it = gan.manager().newSubManager()) {
			float value;
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				NDArray p = step.penalty(it, new SplittableRandom(9));
				value = p.getFloat();
				if (train) gc.backward(p);
			}
			if (train) Updates.apply(gan.generator(), adam);
			return value;
		}
	}
}
