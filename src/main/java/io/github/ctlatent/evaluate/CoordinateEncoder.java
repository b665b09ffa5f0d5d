package io.github.ctlatent.evaluate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.traverse.Directions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The encoder of Khrulkov et al. 2021's protocol: a CNN that reads, from a generated image G(z), the coordinates of
 * z along K directions, trained by mean squared error on a fixed generated sample ({@link GeneratedSample}). It is the factor oracle's network ({@link FactorOracle}, the same convolution stages and
 * head) with the K coordinates in place of the factors; its observability outputs are left untrained and unused.
 * <p>
 * Coordinates: each direction's unit step is taken from the set's own geometry, u_k = (shift(k, 1) − shift(k, −1)) / 2
 * (a plain or linear direction gives a_k, the bias cancelling; Voynov–Babenko's {@code proj} gives its direction at
 * the walk's unit scale), and the coordinates of z are the least-squares ones, c = (UUᵀ)⁻¹Uz: for orthonormal
 * directions exactly ⟨z, u_k⟩, for non-orthogonal ones (GANSpace PCA) the coefficients of z's projection onto their
 * span. Targets are divided by their standard deviation under z ~ N(0, I) (√diag((UUᵀ)⁻¹)), so every coordinate
 * is learned at unit scale.
 */
final class CoordinateEncoder implements AutoCloseable {

	/**
	 * Training of the encoder: iterations of batches drawn from a fixed generated sample (its last {@code heldOut}
	 * images are kept for judging), Adam, learning rate ×0.1 for the last fifth.
	 */
	record Settings(int iterations, int batchSize, double learningRate, int width, int heldOut, long seed) {}

	private final FactorOracle net;
	private final int k;
	/** Held-out R² of the coordinates on fresh generated images (mean over directions), NaN before training. */
	private double heldOutR2 = Double.NaN;
	private double[] heldOutR2PerDirection;

	private CoordinateEncoder(FactorOracle net, int k) {
		this.net = net;
		this.k = k;
	}

	/** Trains an encoder of the coordinates along {@code dirs} on the generated sample {@code data} (of one generator). */
	static CoordinateEncoder train(GeneratedSample data, Directions dirs, Settings s, Monitor monitor) {
		int d = data.latentDim(), kk = dirs.count(), side = data.size();
		if (data.count() <= s.heldOut() + s.batchSize())
			throw new ExplorerException("The generated sample has " + data.count() + " images: too few for batches of " + s.batchSize() + " and "
				+ s.heldOut() + " held out.");
		if (dirs.latentDim() != d) throw new ExplorerException("The directions are " + dirs.latentDim() + "-dimensional, the generator's latent " + d + ".");
		double[][] m = coordinateMap(dirs);
		double[] scale = new double[kk];
		for (int i = 0; i < kk; i++) {
			double v = 0;
			for (int j = 0; j < d; j++) v += m[i][j] * m[i][j];
			scale[i] = Math.sqrt(v);
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < kk; i++) names.add("coordinate " + i);
		double[] zeros = new double[kk], ones = new double[kk];
		java.util.Arrays.fill(ones, 1);
		FactorOracle.Config config = new FactorOracle.Config(side, s.width(), names, zeros, ones, zeros, ones, null, null, null, null);
		Engines.seed(s.seed());
		CoordinateEncoder enc = new CoordinateEncoder(FactorOracle.create(config, Device.cpu()), kk);
		try {
			float[] targets = targets(data, m, scale);
			enc.fit(data, targets, s, monitor);
			enc.judge(data, targets, s);
			return enc;
		} catch (RuntimeException e) {
			enc.close();
			throw e;
		}
	}

	/** The K×d map z ↦ c = (UUᵀ)⁻¹U z, U the directions' unit steps. */
	static double[][] coordinateMap(Directions dirs) {
		int kk = dirs.count(), d = dirs.latentDim();
		double[][] u = new double[kk][d];
		for (int i = 0; i < kk; i++) {
			float[] plus = dirs.shift(i, 1), minus = dirs.shift(i, -1);
			for (int j = 0; j < d; j++) u[i][j] = (plus[j] - (double) minus[j]) / 2;
		}
		double[][] gram = new double[kk][kk];
		for (int a = 0; a < kk; a++)
			for (int b = 0; b < kk; b++) for (int j = 0; j < d; j++) gram[a][b] += u[a][j] * u[b][j];
		return solve(gram, u);
	}

	/** X with A·X = B by Gauss–Jordan elimination with partial pivoting (A is K×K and symmetric positive definite here). */
	private static double[][] solve(double[][] a0, double[][] b0) {
		int n = a0.length, cols = b0[0].length;
		double[][] a = new double[n][], b = new double[n][];
		for (int i = 0; i < n; i++) {
			a[i] = a0[i].clone();
			b[i] = b0[i].clone();
		}
		double scale = 0;
		for (int i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i][i]));
		for (int c = 0; c < n; c++) {
			int p = c;
			for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
			if (Math.abs(a[p][c]) <= 1e-10 * scale)
				throw new ExplorerException("The directions are linearly dependent (or more than the latent size), so the coordinates of a latent "
					+ "along them are not defined. Use at most as many independent directions as the latent has dimensions.");
			double[] t = a[c]; a[c] = a[p]; a[p] = t;
			t = b[c]; b[c] = b[p]; b[p] = t;
			for (int r = 0; r < n; r++) {
				if (r == c || a[r][c] == 0) continue;
				double f = a[r][c] / a[c][c];
				for (int j = c; j < n; j++) a[r][j] -= f * a[c][j];
				for (int j = 0; j < cols; j++) b[r][j] -= f * b[c][j];
			}
		}
		for (int r = 0; r < n; r++) for (int j = 0; j < cols; j++) b[r][j] /= a[r][r];
		return b;
	}

	/** The scaled coordinates of every latent of the sample, [image · K + direction]. */
	private static float[] targets(GeneratedSample data, double[][] m, double[] scale) {
		int kk = m.length, d = data.latentDim(), n = data.count();
		float[] t = new float[n * kk];
		for (int i = 0; i < n; i++)
			for (int c = 0; c < kk; c++) {
				double v = 0;
				for (int j = 0; j < d; j++) v += m[c][j] * data.z()[i * d + j];
				t[i * kk + c] = (float) (v / scale[c]);
			}
		return t;
	}

	private void fit(GeneratedSample data, float[] targets, Settings s, Monitor monitor) {
		int side = data.size(), b = s.batchSize(), train = data.count() - s.heldOut();
		SplittableRandom rnd = new SplittableRandom(s.seed());
		try (NDManager work = net.manager().newSubManager()) {
			io.github.ctlatent.optim.Adam adam = new io.github.ctlatent.optim.Adam(work, (float) s.learningRate(), 0.9f, 0.999f);
			ParameterStore ps = new ParameterStore(work, false);
			double running = Double.NaN;
			for (int it = 0; it < s.iterations(); it++) {
				monitor.checkCanceled();
				if (it == s.iterations() * 4 / 5) adam.scaleLearningRate(0.1);
				float[] images = new float[b * side * side], target = new float[b * k];
				for (int i = 0; i < b; i++) {
					int row = rnd.nextInt(train);
					System.arraycopy(data.images()[row], 0, images, i * side * side, side * side);
					System.arraycopy(targets, row * k, target, i * k, k);
				}
				try (NDManager it2 = work.newSubManager()) {
					NDArray x = it2.create(images, new Shape(b, 1, side, side)), y = it2.create(target, new Shape(b, k));
					float loss;
					try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
						NDArray total = net.forward(ps, x, true).get(":, 0:" + k).sub(y).square().mean();
						loss = total.getFloat();
						if (!Float.isFinite(loss)) throw new ExplorerException("Encoder training diverged at iteration " + it + ". Lower the learning rate.");
						gc.backward(total);
					}
					for (Pair<String, Parameter> e : net.block().getParameters()) {
						Parameter p = e.getValue();
						if (!p.requiresGradient()) continue; // BatchNorm running statistics
						try (NDArray grad = p.getArray().getGradient()) {
							adam.update("encoder." + e.getKey(), p.getArray(), grad);
						}
					}
					running = Double.isNaN(running) ? loss : 0.98 * running + 0.02 * loss;
				}
				if ((it + 1) % 25 == 0 || it + 1 == s.iterations())
					monitor.progress(it + 1, s.iterations(), String.format(Locale.ROOT, "encoder loss %.4f", running));
			}
			monitor.log(String.format(Locale.ROOT, "encoder: %d iterations of %d of %d generated images, final loss %.4f (1 = predicting the mean)",
				s.iterations(), b, train, running));
		}
	}

	/** Held-out R² per coordinate on the sample's last {@code heldOut} images (never trained on). */
	private void judge(GeneratedSample data, float[] targets, Settings s) {
		int n = s.heldOut(), first = data.count() - n;
		double[][] pred = encode(java.util.Arrays.copyOfRange(data.images(), first, data.count()));
		heldOutR2PerDirection = new double[k];
		for (int c = 0; c < k; c++) {
			double sse = 0, sst = 0, mean = 0;
			for (int i = 0; i < n; i++) mean += targets[(first + i) * k + c];
			mean /= n;
			for (int i = 0; i < n; i++) {
				double t = targets[(first + i) * k + c];
				sse += (pred[i][c] - t) * (pred[i][c] - t);
				sst += (t - mean) * (t - mean);
			}
			heldOutR2PerDirection[c] = sst > 0 ? 1 - sse / sst : 0;
		}
		heldOutR2 = java.util.Arrays.stream(heldOutR2PerDirection).average().orElse(Double.NaN);
	}

	/** The encoder's coordinates [image][direction] for images of the generator's size (eval mode). */
	double[][] encode(float[][] images) {
		return net.read(images).values();
	}

	double heldOutR2() { return heldOutR2; }

	double[] heldOutR2PerDirection() { return heldOutR2PerDirection.clone(); }

	@Override
	public void close() {
		net.close();
	}
}
