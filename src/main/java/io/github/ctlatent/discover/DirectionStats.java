package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Per-direction statistics that need the generator. */
public final class DirectionStats {

	/** Images per generator call (bounded memory for large generators). */
	private static final int CHUNK = 64;

	private DirectionStats() {}

	private static long total(int k, int samples) {
		return 2L * k * samples;
	}

	/**
	 * Fills {@code pixelChangePerUnit} of every direction: the mean absolute pixel change |G(z + shift(k, ε)) − G(z)|
	 * for ε = +1 and ε = −1, averaged over pixels, both signs and {@code samples} latents z ~ N(0, I) (the same z
	 * for every direction, drawn from {@code seed}). Units are the generator's output units per unit ε. Other
	 * statistics of the set are kept. Runs without a graph.
	 */
	public static DirectionSet measure(Generator g, DirectionSet set, int samples, long seed) {
		return measure(g, set, samples, seed, Monitor.NONE);
	}

	/** As above, reporting progress per chunk and stopping when {@code monitor} is canceled. */
	public static DirectionSet measure(Generator g, DirectionSet set, int samples, long seed, Monitor monitor) {
		set.requireGenerator(g);
		int d = g.latentDim(), k = set.directionCount();
		SplittableRandom rnd = new SplittableRandom(seed);
		float[] z = new float[samples * d];
		for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
		double[] change = new double[k];
		try (NDManager m = g.manager().newSubManager()) {
			NDArray base = g.generate(m.create(z, new Shape(samples, d, 1, 1)));
			// all (direction, sign, sample) triples, rendered in chunks
			int total = k * 2 * samples;
			for (int start = 0; start < total; start += CHUNK) {
				monitor.checkCanceled();
				monitor.progress(start, total, "measuring pixel change per direction");
				int n = Math.min(CHUNK, total - start);
				float[] shifted = new float[n * d];
				int[] baseIndex = new int[n];
				for (int j = 0; j < n; j++) {
					int t = start + j, dir = t / (2 * samples), sign = (t / samples) % 2, s = t % samples;
					float[] shift = set.shift(dir, sign == 0 ? 1f : -1f);
					for (int i = 0; i < d; i++) shifted[j * d + i] = z[s * d + i] + shift[i];
					baseIndex[j] = s;
				}
				try (NDManager it = m.newSubManager()) {
					NDArray images = g.generate(it.create(shifted, new Shape(n, d, 1, 1)));
					NDArray ref = base.get(it.create(baseIndex));
					ref.attach(it);
					float[] mad = images.sub(ref).abs().reshape(n, -1).mean(new int[] {1}).toFloatArray();
					for (int j = 0; j < n; j++) change[(start + j) / (2 * samples)] += mad[j] / (2.0 * samples);
				}
			}
		}
		monitor.progress(total(k, samples), total(k, samples), "pixel change measured");
		for (int i = 0; i < k; i++)
			if (!Double.isFinite(change[i]))
				throw new io.github.ctlatent.core.ExplorerException("Direction " + i + " makes the generator output NaN or infinite values (pixel change "
					+ change[i] + "); the directions are not usable. Run discovery again (a lower learning rate).");
		List<DirectionSet.DirectionStat> stats = new ArrayList<>();
		for (int i = 0; i < k; i++) stats.add(set.stats().get(i).withPixelChange(change[i]));
		return set.withStats(stats);
	}
}
