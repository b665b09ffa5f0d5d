package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.phantom.PhantomFactors;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.data.phantom.ThoraxPhantom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Phantom slices with exact factor values, rendered in memory and preprocessed as the slice sets are (10 HU noise,
 * rendered at twice the model's side, HU window −1000…2000, Lanczos-4 down to the side, [−1, 1]), for the
 * literature's metrics ({@link LiteratureMetrics}). Independent of any generator, so one sample serves every model
 * and direction set of the same image size.
 * <ul>
 * <li>The <b>pool</b>: {@code patients} random patients, each rendered with {@code slices} slices (z evenly spaced)
 * of which {@code perPatient} random ones are kept, split by patient into a training and a test part, so DCI's regressors are judged on unseen
 * patients. MIG, SAP and the DCI training part use the training patients.</li>
 * <li>The <b>FactorVAE groups</b>: per factor, batches in which that factor is fixed and all others vary. For z, a
 * batch is {@code voteBatch} pool images at one slice index. For a per-patient factor, a group is
 * {@code groupPatients} new patients rendered with that factor at one random value and {@code groupSlices} slices
 * each; each vote draws {@code voteBatch} of the group's images. Training and evaluation votes come from
 * different groups (and, for z, from different draws).</li>
 * </ul>
 */
public final class PhantomFactorSample {

	/** Factor names in {@link PhantomFactors.Factor} order. */
	public static final List<String> FACTORS = java.util.Arrays.stream(PhantomFactors.Factor.values()).map(f -> f.key).toList();
	/** The slice sets' phantom noise (docs/evaluation.md §1). */
	public static final double NOISE_HU = 10;

	/**
	 * @param patients       pool patients; {@code testFraction} of them form the test part
	 * @param slices         slices each pool patient is rendered with (z = k / (slices − 1))
	 * @param perPatient     distinct random slices each pool patient contributes
	 * @param groups         FactorVAE groups per per-patient factor: {@code groups} for training votes and half as many
	 *                       (at least one) for evaluation votes
	 * @param votesPerGroup  votes drawn from each group (and, for z, votes per group-equivalent)
	 */
	public record Settings(int patients, int slices, int perPatient, double testFraction, int groups, int groupPatients, int groupSlices,
		int votesPerGroup, int voteBatch, long seed) {

		/**
		 * The bench's sample: 1,000 patients × 2 of 16 slices (2,000 images); per per-patient factor 6 + 3 groups of 16
		 * patients × 4 slices, 8 votes of 32 images from each (z: as many votes, from the pool). Smaller than
		 * disentanglement_lib's (10,000 points, 10,000 + 5,000 votes of 64) to fit a shared 2-core CPU.
		 */
		public static Settings defaults() {
			return new Settings(1000, 16, 2, 1 / 3.0, 6, 16, 4, 8, 32, 2021);
		}

		/** Seconds-sized, for tests. */
		public static Settings tiny() {
			return new Settings(24, 8, 2, 1 / 3.0, 2, 4, 4, 4, 8, 7);
		}

		int evalGroups() {
			return Math.max(1, groups / 2);
		}
	}

	/** Vote batches of one factor: the image indices into {@link #images} of each batch. */
	public record Votes(int factor, List<int[]> train, List<int[]> eval) {}

	private final Settings settings;
	private final int size;
	/** All rendered images: the pool first (patient after patient), then the groups. */
	private final List<float[]> images = new ArrayList<>();
	private final List<double[]> factors = new ArrayList<>();
	private final int[] trainPool, testPool;
	/** Pool image indices by slice index k (for z-fixed batches), training patients' and all. */
	private final List<List<Integer>> trainBySlice = new ArrayList<>(), allBySlice = new ArrayList<>();
	private final List<Votes> votes = new ArrayList<>();

	private PhantomFactorSample(Settings s, int size) {
		this.settings = s;
		this.size = size;
		int testPatients = Math.max(1, (int) Math.round(s.patients() * s.testFraction()));
		int trainPatients = s.patients() - testPatients;
		if (trainPatients < 1) throw new IllegalArgumentException("need at least 2 pool patients, got " + s.patients());
		int per = Math.min(s.perPatient(), s.slices());
		trainPool = java.util.stream.IntStream.range(0, trainPatients * per).toArray();
		testPool = java.util.stream.IntStream.range(trainPatients * per, s.patients() * per).toArray();
		for (int k = 0; k < s.slices(); k++) {
			trainBySlice.add(new ArrayList<>());
			allBySlice.add(new ArrayList<>());
		}
	}

	/** Renders the sample for a model of {@code size}² images. */
	public static PhantomFactorSample render(int size, Settings s, Monitor monitor) {
		PhantomFactorSample p = new PhantomFactorSample(s, size);
		long t0 = System.nanoTime();
		int nf = FACTORS.size(), total = s.patients() + (nf - 1) * (s.groups() + s.evalGroups());
		int done = 0, per = Math.min(s.perPatient(), s.slices());
		SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0x5EED);
		for (int i = 0; i < s.patients(); i++) {
			monitor.checkCanceled();
			// a few random slices per patient: per-patient factors must take many distinct values, or the plug-in
			// mutual information between two of them (MIG) is biased far above 0
			int[] ks = draw(rnd, 0, s.slices(), per);
			int first = p.images.size();
			p.addVolume(i, PhantomFactors.draw(PhantomGenerator.volumeSeed(s.seed(), i)), s.slices(), ks);
			for (int j = 0; j < ks.length; j++) {
				if (first + j < p.trainPool.length) p.trainBySlice.get(ks[j]).add(first + j);
				p.allBySlice.get(ks[j]).add(first + j);
			}
			monitor.progress(++done, total, "rendering phantom pool");
		}
		int volume = s.patients();
		for (int f = 0; f < nf; f++) {
			PhantomFactors.Factor factor = PhantomFactors.Factor.values()[f];
			List<int[]> train = new ArrayList<>(), eval = new ArrayList<>();
			if (factor == PhantomFactors.Factor.Z) {
				// z fixed: one slice index over several pool patients (training patients for training votes, all for eval)
				for (int v = 0; v < s.groups() * s.votesPerGroup(); v++) train.add(p.sameSlice(rnd, p.trainBySlice));
				for (int v = 0; v < s.evalGroups() * s.votesPerGroup(); v++) eval.add(p.sameSlice(rnd, p.allBySlice));
			} else
				for (int g = 0; g < s.groups() + s.evalGroups(); g++) {
					monitor.checkCanceled();
					double value = factor.min + (factor.max - factor.min) * rnd.nextDouble();
					int first = p.images.size();
					for (int q = 0; q < s.groupPatients(); q++)
						p.addVolume(volume, PhantomFactors.draw(PhantomGenerator.volumeSeed(s.seed() + 1, volume++)).with(factor, value), s.groupSlices(),
							java.util.stream.IntStream.range(0, s.groupSlices()).toArray());
					int count = p.images.size() - first;
					for (int v = 0; v < s.votesPerGroup(); v++) (g < s.groups() ? train : eval).add(draw(rnd, first, count, s.voteBatch()));
					monitor.progress(++done, total, "rendering FactorVAE groups (" + factor.key + " fixed)");
				}
			p.votes.add(new Votes(f, train, eval));
		}
		monitor.log(String.format(Locale.ROOT, "Phantom sample for the literature's metrics: %d images of %d² (%d pool patients × %d of %d slices, "
			+ "%d train / %d test; FactorVAE %d groups of %d × %d slices per factor, %d votes of %d), seed %d, %.1f s", p.images.size(), size,
			s.patients(), per, s.slices(), p.trainPool.length, p.testPool.length, s.groups() + s.evalGroups(), s.groupPatients(), s.groupSlices(),
			s.votesPerGroup(), s.voteBatch(), s.seed(), (System.nanoTime() - t0) / 1e9));
		return p;
	}

	/** Renders a patient with {@code slices} slices and keeps slices {@code ks}. */
	private void addVolume(int volume, PhantomFactors f, int slices, int[] ks) {
		ThoraxPhantom.Rendered r = ThoraxPhantom.render(volume, f, 2 * size, slices, NOISE_HU, PhantomGenerator.volumeSeed(settings.seed() + 2, volume));
		Preprocessing pre = new Preprocessing(-1000, 2000, size, "lanczos4");
		for (int k : ks) {
			images.add(pre.apply(r.volume().plane(k), r.volume().width(), r.volume().height()));
			factors.add(f.values(ThoraxPhantom.z(k, slices)));
		}
	}

	/** {@code voteBatch} pool images (distinct patients) at one random slice index. */
	private int[] sameSlice(SplittableRandom rnd, List<List<Integer>> bySlice) {
		List<Integer> at = bySlice.get(rnd.nextInt(settings.slices()));
		int[] chosen = draw(rnd, 0, at.size(), settings.voteBatch());
		for (int i = 0; i < chosen.length; i++) chosen[i] = at.get(chosen[i]);
		return chosen;
	}

	/** {@code n} distinct indices from first … first + count − 1 (all of them if n ≥ count). */
	private static int[] draw(SplittableRandom rnd, int first, int count, int n) {
		int[] all = java.util.stream.IntStream.range(first, first + count).toArray();
		for (int i = 0; i < Math.min(n, count); i++) {
			int j = i + rnd.nextInt(count - i);
			int t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		return java.util.Arrays.copyOf(all, Math.min(n, count));
	}

	public int size() { return size; }

	public Settings settings() { return settings; }

	/** Every image, {@code size²} values in [−1, 1]. */
	public float[][] images() { return images.toArray(new float[0][]); }

	/** Factor values [image][factor] in {@link #FACTORS} order (exact, in their own units). */
	public double[][] factors() { return factors.toArray(new double[0][]); }

	/** Image indices of the training patients' slices. */
	public int[] trainPool() { return trainPool.clone(); }

	/** Image indices of the test patients' slices. */
	public int[] testPool() { return testPool.clone(); }

	/** Per factor, the FactorVAE vote batches. */
	public List<Votes> votes() { return votes; }
}
