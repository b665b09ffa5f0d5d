package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.VaeEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The default bases of a walk from a slice set with a VAE: slices the model reconstructs well, spread along the
 * body. A model trained on one or a few scans cannot reconstruct held-out slices (it draws a grey blur), so a walk
 * from their encodings starts from a blur and shows nothing about the anatomy; a walk from a slice the model draws
 * well starts from real anatomy. The choice is measured, not assumed: every candidate is encoded and decoded, and
 * each stretch of the set contributes its best-reconstructed slice.
 */
final class ReconstructedBases {

	/** Training slices encoded to choose from (evenly spaced over the split when it holds more). */
	static final int MAX_CANDIDATES = 256;
	/** Held-out slices measured for comparison in the log (cheap: one forward pass each). */
	static final int MAX_HELD_OUT = 64;

	private ReconstructedBases() {}

	/** {@code n} bases from {@code set}: the best-reconstructed training slice of each of n stretches of the split. */
	static Bases.Chosen choose(SliceSet set, String setName, int n, VaeEncoder enc, Generator decoder, Monitor monitor) {
		int[] train = set.indices(SliceSet.Split.TRAIN);
		String split = "train", pool = "training slices";
		if (train.length == 0) {
			train = set.indices(SliceSet.Split.ALL);
			split = "all";
			pool = "slices (the set has no training split)";
		}
		if (train.length == 0) throw new ExplorerException("The slice set " + setName + " holds no slice to start a walk from; prepare it again.");
		int[] candidates = spread(train, MAX_CANDIDATES);
		Measured m = measure(set, candidates, enc, decoder, monitor);
		int k = Math.min(n, candidates.length);
		List<Bases.Base> bases = new ArrayList<>();
		List<String> named = new ArrayList<>();
		// candidates are in set order, which runs along the body within each volume: one pick per stretch spreads them
		for (int g = 0; g < k; g++) {
			int from = (int) ((long) g * candidates.length / k), to = (int) ((long) (g + 1) * candidates.length / k), best = from;
			for (int i = from; i < to; i++) if (m.mse[i] < m.mse[best]) best = i;
			int slice = candidates[best];
			Map<String, Object> origin = new LinkedHashMap<>();
			origin.put("slice", slice);
			origin.put("split", split);
			origin.put("reconstructionMse", m.mse[best]);
			origin.put("chosenBy", "default: the best-reconstructed of set slices " + candidates[from] + "-" + candidates[to - 1]);
			bases.add(new Bases.Base(setName + " slice " + slice, m.z[best], origin));
			named.add(String.format(Locale.ROOT, "%d (MSE %.4f)", slice, m.mse[best]));
		}
		int[] test = spread(set.indices(SliceSet.Split.TEST), MAX_HELD_OUT);
		String heldOut = test.length == 0 ? ""
			: String.format(Locale.ROOT, " Held-out test slices reconstruct at median MSE %.4f.", median(measure(set, test, enc, decoder, monitor).mse));
		String how = String.format(Locale.ROOT, "no base_slices given, so the walks start from slices the VAE reconstructs well: the best-reconstructed "
			+ "of each of %d stretches of %d %s of %s (reconstruction MSE in model units; median of all of them %.4f): slices %s.%s base_slices= "
			+ "(0-based, as in slices.csv) starts from other slices, held-out ones for example.", k, candidates.length, pool, setName, median(m.mse),
			String.join(", ", named), heldOut);
		monitor.log("Base latents: " + how);
		return new Bases.Chosen(bases, how);
	}

	/** Posterior means and the mean squared error (model units) of their decodings, per slice. */
	record Measured(float[][] z, double[] mse) {}

	static Measured measure(SliceSet set, int[] slices, VaeEncoder enc, Generator decoder, Monitor monitor) {
		float[][] z = new float[slices.length][];
		double[] mse = new double[slices.length];
		for (int from = 0; from < slices.length; from += 64) {
			monitor.checkCanceled();
			int b = Math.min(64, slices.length - from), d = decoder.latentDim();
			float[][] images = new float[b][];
			for (int i = 0; i < b; i++) images[i] = set.slice(slices[from + i]);
			float[][] mu = enc.encode(images);
			float[] flat = new float[b * d];
			for (int i = 0; i < b; i++) System.arraycopy(mu[i], 0, flat, i * d, d);
			float[][] back = decoder.images(flat);
			for (int i = 0; i < b; i++) {
				double s = 0;
				for (int p = 0; p < images[i].length; p++) s += (back[i][p] - images[i][p]) * (double) (back[i][p] - images[i][p]);
				z[from + i] = mu[i];
				mse[from + i] = s / images[i].length;
			}
		}
		return new Measured(z, mse);
	}

	/** At most {@code max} of {@code pool}, evenly spaced, in order. */
	static int[] spread(int[] pool, int max) {
		int n = Math.min(max, pool.length);
		int[] out = new int[n];
		for (int i = 0; i < n; i++) out[i] = pool[(int) ((long) i * pool.length / n)];
		return out;
	}

	private static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
