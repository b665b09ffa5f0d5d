package io.github.ctlatent.discover;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * DisCo's trained Δ-contrastor applied to any image, generated or real: {@link #representation} of one slice and
 * {@link #coordinates} of a pair — how far the second slice lies from the first along each discovered direction.
 * <p>
 * The encoder alone gives a representation, not direction units, so a run also fits, on fresh generated pairs
 * (z, z + ε·a_k), each direction's <b>response</b> m_k = Σ ε·ΔE / Σ ε² (the representation change per unit shift,
 * a least-squares slope) and its <b>prototype</b> (the mean unit variation). Coordinates of a pair are the
 * least-squares c with ΔE ≈ Σ_k c_k·m_k; the direction a pair's variation is nearest to (cosine to the prototypes)
 * is what the run's accuracy measures. Written as {@code encoder.params} (weights) and {@code encoder.json} (card).
 */
public final class DiscoEncoder implements AutoCloseable {

	public static final String PARAMS = "encoder.params", FILE_NAME = "encoder.json";

	/**
	 * What {@code encoder.json} holds.
	 *
	 * @param response   K × R: representation change per unit shift along each direction
	 * @param prototypes K × R: each direction's mean unit variation |ΔE| / ‖ΔE‖, normalised
	 * @param samples    generated pairs the response and prototypes were fitted on
	 */
	public record Card(int imageSize, int representation, int directions, String generatorFingerprint, float[][] response, float[][] prototypes,
		long samples) {
		public Card {
			if (response == null || prototypes == null || response.length != directions || prototypes.length != directions || imageSize < 1)
				throw new ExplorerException("The DisCo encoder card does not match its own sizes (" + directions + " directions); it is damaged. Run discovery again.");
		}
	}

	/** A fitted card with the accuracy of identifying the direction of fresh pairs from their variation alone. */
	public record Fitted(Card card, ReconstructorAccuracy.Result accuracy) {}

	private final NDManager manager;
	private final DeltaContrastor encoder;
	private final ParameterStore store;
	private final Card card;

	private DiscoEncoder(NDManager manager, DeltaContrastor encoder, Card card) {
		this.manager = manager;
		this.encoder = encoder;
		this.store = new ParameterStore(manager, false);
		this.card = card;
	}

	/**
	 * Fits the card on the first half of {@code batches} validation batches of {@code sampler} and measures the
	 * accuracy of the nearest prototype on the other half (at least one batch each). No gradients.
	 */
	static Fitted fit(Generator g, Deformator a, DeltaContrastor e, ParameterStore store, ShiftSampler sampler, int batches, int batch) {
		int k = a.directionCount(), r = e.representation(), fitting = Math.max(1, batches / 2), testing = Math.max(1, batches - fitting);
		double[][] slope = new double[k][r], proto = new double[k][r];
		double[] squares = new double[k];
		long samples = 0;
		for (int v = 0; v < fitting; v++) {
			ShiftSampler.Batch b = sampler.sample(ShiftSampler.validationStream(v), batch);
			float[][] d = deltas(g, a, e, store, b);
			for (int i = 0; i < batch; i++) {
				int c = b.k()[i];
				double eps = b.eps()[i], norm = norm(d[i]);
				squares[c] += eps * eps;
				for (int j = 0; j < r; j++) {
					slope[c][j] += eps * d[i][j];
					if (norm > 0) proto[c][j] += Math.abs(d[i][j]) / norm;
				}
				samples++;
			}
		}
		float[][] response = new float[k][r], prototypes = new float[k][];
		for (int c = 0; c < k; c++) {
			for (int j = 0; j < r; j++) response[c][j] = squares[c] == 0 ? 0f : (float) (slope[c][j] / squares[c]);
			prototypes[c] = unit(proto[c]);
		}
		Card card = new Card(g.imageSize(), r, k, g.fingerprint(), response, prototypes, samples);
		long[] correct = new long[k], seen = new long[k];
		for (int v = 0; v < testing; v++) {
			ShiftSampler.Batch b = sampler.sample(ShiftSampler.validationStream(fitting + v), batch);
			float[][] d = deltas(g, a, e, store, b);
			for (int i = 0; i < batch; i++) {
				seen[b.k()[i]]++;
				if (nearest(prototypes, d[i]) == b.k()[i]) correct[b.k()[i]]++;
			}
		}
		return new Fitted(card, ReconstructorAccuracy.Result.of(correct, seen));
	}

	/** E(G(z + shift)) − E(G(z)) per pair of a batch, without a graph. */
	private static float[][] deltas(Generator g, Deformator a, DeltaContrastor e, ParameterStore store, ShiftSampler.Batch b) {
		int n = b.size(), r = e.representation();
		try (NDManager it = g.manager().newSubManager()) {
			NDArray z = it.create(b.z(), new Shape(n, g.latentDim(), 1, 1));
			float[] rep = e.forward(store, g.generate(z.concat(z.add(a.shifts(b.k(), b.eps(), it)), 0))).toFloatArray();
			float[][] d = new float[n][r];
			for (int i = 0; i < n; i++) for (int j = 0; j < r; j++) d[i][j] = rep[(n + i) * r + j] - rep[i * r + j];
			return d;
		}
	}

	/** Writes the encoder's weights and card into {@code folder}, atomically. */
	static void save(Path folder, DeltaContrastor e, Card card) {
		VoynovCheckpoint.saveBlock(e.block(), folder.resolve(PARAMS));
		Json.write(folder.resolve(FILE_NAME), card);
	}

	/** The encoder a DisCo run wrote into {@code folder}, on {@code device}. */
	public static DiscoEncoder load(Path folder, Device device) {
		Path params = folder.resolve(PARAMS);
		if (!Files.isRegularFile(params))
			throw new ExplorerException("No DisCo encoder in " + folder + " (missing " + PARAMS + "). Give the output folder of a Discover Directions run with method=disco.");
		Card card = Json.read(folder.resolve(FILE_NAME), Card.class);
		NDManager m = Engines.pytorch().newBaseManager(device);
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
			DeltaContrastor e = new DeltaContrastor(card.imageSize(), card.representation(), m, new SplittableRandom(0));
			VoynovCheckpoint.readBlock(e.block(), m, in, params, "a DisCo encoder of " + card.imageSize() + "² images with " + card.representation() + " outputs");
			return new DiscoEncoder(m, e, card);
		} catch (IOException | RuntimeException ex) {
			m.close();
			if (ex instanceof ExplorerException x) throw x;
			throw new ExplorerException("Could not read " + params + ": " + ex.getMessage() + ". Run discovery again to rewrite it.", ex);
		}
	}

	public Card card() {
		return card;
	}

	/** The representation (R values) of one image: imageSize² values, x fastest, in the generator's range ([-1, 1]). */
	public float[] representation(float[] image) {
		int s = card.imageSize();
		if (image.length != s * s)
			throw new ExplorerException("This DisCo encoder reads " + s + "×" + s + " slices (" + s * s + " values), got " + image.length
				+ " values. Resample the slice to " + s + "² as the model's slice set was.");
		try (NDManager it = manager.newSubManager()) {
			return encoder.forward(store, it.create(image, new Shape(1, 1, s, s))).toFloatArray();
		}
	}

	/** How far {@code to} lies from {@code from} along each direction, in shift units (K values; least squares on the responses). */
	public double[] coordinates(float[] from, float[] to) {
		float[] a = representation(from), b = representation(to);
		int k = card.directions(), r = card.representation();
		double[][] gram = new double[k][k];
		double[] rhs = new double[k];
		float[][] m = card.response();
		for (int i = 0; i < k; i++) {
			for (int j = 0; j < r; j++) rhs[i] += m[i][j] * (double) (b[j] - a[j]);
			for (int l = 0; l < k; l++) for (int j = 0; j < r; j++) gram[i][l] += m[i][j] * (double) m[l][j];
		}
		return ridgeSolve(gram, rhs);
	}

	/** The direction whose prototype the pair's unit variation is nearest to (cosine). */
	public int nearestDirection(float[] from, float[] to) {
		float[] a = representation(from), b = representation(to);
		float[] d = new float[a.length];
		for (int j = 0; j < d.length; j++) d[j] = b[j] - a[j];
		return nearest(card.prototypes(), d);
	}

	static int nearest(float[][] prototypes, float[] delta) {
		int best = 0;
		double top = Double.NEGATIVE_INFINITY;
		for (int c = 0; c < prototypes.length; c++) {
			double s = 0;
			for (int j = 0; j < delta.length; j++) s += prototypes[c][j] * Math.abs(delta[j]);
			if (s > top) {
				top = s;
				best = c;
			}
		}
		return best;
	}

	private static double norm(float[] v) {
		double s = 0;
		for (float x : v) s += x * (double) x;
		return Math.sqrt(s);
	}

	private static float[] unit(double[] v) {
		double s = 0;
		for (double x : v) s += x * x;
		double n = Math.sqrt(s);
		float[] u = new float[v.length];
		for (int i = 0; i < v.length; i++) u[i] = n == 0 ? 0f : (float) (v[i] / n);
		return u;
	}

	/**
	 * Solves (A + λI) x = b for a symmetric positive semi-definite A by Cholesky; λ = 1e-9·trace keeps two nearly
	 * parallel responses from blowing the coordinates up.
	 */
	static double[] ridgeSolve(double[][] a, double[] b) {
		int n = b.length;
		double trace = 0;
		for (int i = 0; i < n; i++) trace += a[i][i];
		double[][] l = new double[n][n];
		for (int i = 0; i < n; i++)
			for (int j = 0; j <= i; j++) {
				double s = a[i][j] + (i == j ? 1e-9 * trace + Double.MIN_NORMAL : 0);
				for (int p = 0; p < j; p++) s -= l[i][p] * l[j][p];
				l[i][j] = i == j ? Math.sqrt(Math.max(s, Double.MIN_NORMAL)) : s / l[j][j];
			}
		double[] y = new double[n], x = new double[n];
		for (int i = 0; i < n; i++) {
			double s = b[i];
			for (int p = 0; p < i; p++) s -= l[i][p] * y[p];
			y[i] = s / l[i][i];
		}
		for (int i = n - 1; i >= 0; i--) {
			double s = y[i];
			for (int p = i + 1; p < n; p++) s -= l[p][i] * x[p];
			x[i] = s / l[i][i];
		}
		return x;
	}

	@Override
	public void close() {
		manager.close();
	}
}
