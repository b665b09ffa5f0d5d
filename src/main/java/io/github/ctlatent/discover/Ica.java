package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent directions by {@link FastIca}, in place of PCA's uncorrelated ones: on latent codes (a VAE's
 * posterior means of real slices: sources are the mixing vectors in latent space), or GANSpace-style on generator
 * features of random codes, mapped back to latent directions by least-squares regression of the codes on the
 * sources.
 * <p>
 * The features are the generated images, average-pooled to a {@link #GRID}² grid, not the first layer's linear
 * output that {@link Pca#ofGenerator} uses: a linear map of a Gaussian code is Gaussian, and a whitened Gaussian
 * has no preferred rotation, so ICA has nothing to find there. The pooled image is the one nonlinear feature every
 * generator (DCGAN, VAE decoder, TorchScript) offers; pooling keeps the whitening a small eigenproblem.
 * Directions are ordered by the variance their source explains in the analysed space; each source's negentropy is
 * recorded in the settings.
 */
public final class Ica {

	/** Side of the pooled image grid used as generator features. */
	public static final int GRID = 16;

	private Ica() {}

	/** The top {@code k} independent directions of latent codes (N × d), tied to the generator with {@code fingerprint}. */
	public static DirectionSet ofLatents(float[][] codes, int k, long seed, String fingerprint, Monitor m) {
		if (codes.length < 2) throw new ExplorerException("ICA of latent codes needs codes, got " + codes.length + ".");
		double[][] z = Pca.toDouble(codes);
		FastIca ica = FastIca.of(z, k, seed, m);
		float[][] dirs = new float[k][];
		for (int c = 0; c < k; c++) dirs[c] = Pca.unit(ica.mixing()[c]);
		Map<String, Object> settings = settings("ica-latents", k, seed, ica, m);
		settings.put("codes", codes.length);
		return new DirectionSet("ica-latents", null, settings, fingerprint, dirs, null, stats(ica));
	}

	/** The top {@code k} independent directions of the pooled images of {@code samples} random codes of {@code g}. */
	public static DirectionSet ofGenerator(Generator g, int k, int samples, long seed, Monitor m) {
		int d = g.latentDim();
		if (k > d) throw new ExplorerException("ICA finds at most " + d + " directions (the latent size), asked for " + k + ".");
		SplittableRandom rnd = new SplittableRandom(seed);
		double[][] z = new double[samples][d];
		for (double[] row : z) for (int i = 0; i < d; i++) row[i] = rnd.nextGaussian();
		double[][] features = new double[samples][];
		int chunk = 256;
		for (int from = 0; from < samples; from += chunk) {
			m.checkCanceled();
			m.progress(from, samples, "rendering " + samples + " images for ICA features");
			int b = Math.min(chunk, samples - from);
			float[] flat = new float[b * d];
			for (int s = 0; s < b; s++) for (int i = 0; i < d; i++) flat[s * d + i] = (float) z[from + s][i];
			float[][] images = g.images(flat);
			for (int s = 0; s < b; s++) features[from + s] = pool(images[s], g.imageSize());
		}
		FastIca ica = FastIca.of(features, k, seed, m);
		double[][] b = Pca.leastSquares(ica.sources(), Pca.centred(z)); // zc ≈ S·B: row c moves source c alone
		float[][] dirs = new float[k][];
		for (int c = 0; c < k; c++) dirs[c] = Pca.unit(b[c]);
		Map<String, Object> settings = settings("ica", k, seed, ica, m);
		settings.put("samples", samples);
		settings.put("features", "images average-pooled to " + GRID + "x" + GRID);
		return new DirectionSet("ica", null, settings, g.fingerprint(), dirs, null, stats(ica));
	}

	/** Mean of each cell of a {@link #GRID}² grid over a size² image (x fastest). */
	static double[] pool(float[] image, int size) {
		int grid = Math.min(GRID, size);
		double[] sum = new double[grid * grid];
		int[] count = new int[grid * grid];
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				int cell = (y * grid / size) * grid + x * grid / size;
				sum[cell] += image[y * size + x];
				count[cell]++;
			}
		for (int c = 0; c < sum.length; c++) sum[c] /= count[c];
		return sum;
	}

	private static Map<String, Object> settings(String method, int k, long seed, FastIca ica, Monitor m) {
		if (!ica.converged())
			m.log(String.format("WARNING: FastICA did not converge in %d iterations (largest change %.2e > %.0e): the directions are the last iterate. "
				+ "Use more samples or fewer directions; data close to Gaussian have no independent components to find.", ica.iterations(), ica.change(),
				FastIca.TOLERANCE));
		else m.log(String.format("FastICA converged in %d iterations (change %.1e)", ica.iterations(), ica.change()));
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("method", method);
		s.put("directions", k);
		s.put("seed", seed);
		s.put("contrast", "logcosh");
		s.put("order", "variance explained");
		s.put("iterations", ica.iterations());
		s.put("converged", ica.converged());
		s.put("change", ica.change());
		s.put("tolerance", FastIca.TOLERANCE);
		s.put("negentropy", java.util.Arrays.stream(ica.negentropy()).boxed().toList());
		return s;
	}

	private static List<DirectionSet.DirectionStat> stats(FastIca ica) {
		List<DirectionSet.DirectionStat> stats = new ArrayList<>();
		for (int c = 0; c < ica.variance().length; c++) stats.add(new DirectionSet.DirectionStat(c, null, null, ica.variance()[c]));
		return stats;
	}
}
