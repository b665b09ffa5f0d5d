package io.github.ctlatent.discover;

import io.github.ctlatent.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.SplittableRandom;

/** Orthonormal matrices: a fixed random one (Gram–Schmidt) and a differentiable one (matrix exponential). */
public final class Orthogonal {

	/** Taylor degree after scaling: with ‖X‖₁ ≤ 1/2 the truncation error is below 0.5¹³/13! ≈ 2e-14. */
	private static final int TAYLOR_DEGREE = 12;

	private Orthogonal() {}

	/**
	 * {@code rows} orthonormal rows of length {@code dim} (rows ≤ dim): modified Gram–Schmidt (twice, for
	 * orthogonality to rounding) of Gaussian rows — Haar-distributed like PyTorch's {@code orthogonal_} init.
	 */
	public static double[][] random(int rows, int dim, SplittableRandom rnd) {
		if (rows > dim) throw new IllegalArgumentException(rows + " orthonormal rows do not fit in " + dim + " dimensions");
		double[][] q = new double[rows][dim];
		for (int r = 0; r < rows; r++) {
			double norm;
			do {
				for (int i = 0; i < dim; i++) q[r][i] = rnd.nextGaussian();
				for (int pass = 0; pass < 2; pass++)
					for (int p = 0; p < r; p++) {
						double dot = 0;
						for (int i = 0; i < dim; i++) dot += q[r][i] * q[p][i];
						for (int i = 0; i < dim; i++) q[r][i] -= dot * q[p][i];
					}
				norm = 0;
				for (int i = 0; i < dim; i++) norm += q[r][i] * q[r][i];
				norm = Math.sqrt(norm);
			} while (norm < 1e-6); // a degenerate draw: draw again
			for (int i = 0; i < dim; i++) q[r][i] /= norm;
		}
		return q;
	}

	/**
	 * Matrix exponential of a square (n, n) array by scaling and squaring with a Taylor polynomial, built from
	 * differentiable NDArray operations so that gradients flow to {@code a}. (DJL has no expm; the original's
	 * Padé-13 needs a linear solve, which DJL does not expose either.) The scaling exponent is chosen from the
	 * 1-norm of {@code a} so that the scaled matrix has norm ≤ 1/2. Intermediates are attached to
	 * {@code manager}.
	 */
	public static NDArray expm(NDArray a, NDManager manager) {
		long n = a.getShape().get(0);
		float norm;
		try (NDArray colSums = a.abs().sum(new int[] {0}); NDArray max = colSums.max()) {
			norm = max.getFloat();
		}
		int squarings = norm <= 0.5f ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
		NDArray x = Scalars.div(a, (float) Math.pow(2, squarings));
		x.attach(manager);
		NDArray eye = manager.eye((int) n);
		// Horner: I + X(I + X/2(I + X/3(… (I + X/q))))
		NDArray e = eye;
		for (int j = TAYLOR_DEGREE; j >= 1; j--) e = eye.add(Scalars.div(x.matMul(e), j));
		for (int i = 0; i < squarings; i++) e = e.matMul(e);
		return e;
	}
}
