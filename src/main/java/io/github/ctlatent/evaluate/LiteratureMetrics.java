package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The literature's disentanglement metrics for a direction set on a generator, by the protocol of Khrulkov et al.
 * 2021 ("Disentangled representations from non-disentangled models"; also DisCo, Ren et al. ICLR 2022): a
 * direction set becomes a representation through an encoder trained on the generator's own images to read the
 * coordinates of z along the directions ({@link CoordinateEncoder}); the encoder is then applied to phantom slices
 * whose factors are known exactly ({@link PhantomFactorSample}) and MIG, DCI, SAP and the FactorVAE score are
 * computed ({@link DisentanglementMetrics}). docs/literature-metrics.md describes every choice.
 * <pre>
 * LiteratureMetrics.Result r = LiteratureMetrics.of(generator, directions).name("sefa on phantom-gan").measure(monitor);
 * </pre>
 * The phantom sample is rendered on first use; pass one with {@link #sample} to share it between direction sets.
 */
public final class LiteratureMetrics {

	/**
	 * @param iterations   encoder training iterations (fresh z ~ N(0, I) every batch)
	 * @param batchSize    encoder batch
	 * @param learningRate encoder Adam learning rate
	 * @param width        encoder width (the factor oracle's: 16)
	 * @param generated    size of the fixed generated sample the encoder learns from, held-out part included
	 * @param heldOut      generated images the encoder's own accuracy is judged on
	 * @param data         the phantom sample, when it is rendered here
	 */
	public record Settings(int iterations, int batchSize, double learningRate, int width, int generated, int heldOut,
		PhantomFactorSample.Settings data, long seed) {

		/** The bench's settings (sized for a shared 2-core CPU; see docs/literature-metrics.md). */
		public static Settings defaults() {
			return new Settings(120, 64, 1e-3, 8, 2048, 256, PhantomFactorSample.Settings.defaults(), 1);
		}

		/** Seconds-sized, for tests. */
		public static Settings tiny() {
			return new Settings(8, 16, 1e-3, 4, 64, 16, PhantomFactorSample.Settings.tiny(), 1);
		}

		CoordinateEncoder.Settings encoder() {
			return new CoordinateEncoder.Settings(iterations, batchSize, learningRate, width, heldOut, seed);
		}
	}

	/**
	 * The scores of one direction set.
	 *
	 * @param encoderR2 mean held-out R² of the encoder on its own task (coordinates of generated images): how well the
	 *                  representation is defined at all; directions that barely change the image cannot be read
	 * @param factorVae the FactorVAE score (evaluation accuracy of the majority-vote classifier)
	 * @param activeCodes codes kept by the FactorVAE score's pruning (global standard deviation ≥ 0.05)
	 */
	public record Result(String name, int directions, double encoderR2, double mig, DisentanglementMetrics.Dci dci, double sap, double factorVae,
		int activeCodes, double seconds) {

		public String row() {
			return String.format(Locale.ROOT, "| %s | %d | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f s |", name, directions, encoderR2, mig,
				dci.disentanglement(), dci.completeness(), dci.informativeness(), sap, factorVae, seconds);
		}

		public static final String HEADER = "| directions | K | encoder R² | MIG | DCI D | DCI C | DCI I | SAP | FactorVAE | time |\n"
			+ "|---|---|---|---|---|---|---|---|---|---|\n";
	}

	private final Generator generator;
	private final Directions directions;
	private String name = "directions";
	private Settings settings = Settings.defaults();
	private PhantomFactorSample sample;
	private GeneratedSample generated;

	private LiteratureMetrics(Generator generator, Directions directions) {
		this.generator = generator;
		this.directions = directions;
	}

	public static LiteratureMetrics of(Generator generator, Directions directions) {
		return new LiteratureMetrics(generator, directions);
	}

	public LiteratureMetrics name(String n) { name = n; return this; }

	public LiteratureMetrics settings(Settings s) { settings = s; return this; }

	/** A phantom sample rendered before (must be of the generator's image size). */
	public LiteratureMetrics sample(PhantomFactorSample s) { sample = s; return this; }

	/** A generated sample made before with {@link GeneratedSample#of} on the same generator (shared by direction sets). */
	public LiteratureMetrics generated(GeneratedSample g) { generated = g; return this; }

	/** Trains the encoder, reads the phantom sample and computes the metrics; cancellable through {@code monitor}. */
	public Result measure(Monitor monitor) {
		long t0 = System.nanoTime();
		PhantomFactorSample data = sample != null ? sample : PhantomFactorSample.render(generator.imageSize(), settings.data(), monitor);
		if (data.size() != generator.imageSize())
			throw new ExplorerException("The phantom sample has " + data.size() + "² images, the generator makes " + generator.imageSize() + "².");
		monitor.log(String.format(Locale.ROOT, "Literature metrics of %s (%d directions): encoder %d iterations × %d, lr %.0e, width %d, seed %d",
			name, directions.count(), settings.iterations(), settings.batchSize(), settings.learningRate(), settings.width(), settings.seed()));
		double[][] codes;
		double r2;
		GeneratedSample gen = generated != null ? generated : GeneratedSample.of(generator, settings.generated(), settings.seed() + 17, monitor);
		if (gen.latentDim() != generator.latentDim() || gen.size() != generator.imageSize())
			throw new ExplorerException("The generated sample does not come from this generator (latent or image size differ).");
		long t1 = System.nanoTime();
		try (CoordinateEncoder enc = CoordinateEncoder.train(gen, directions, settings.encoder(), monitor)) {
			monitor.checkCanceled();
			long t2 = System.nanoTime();
			monitor.progress(0, 1, "encoding the phantom sample");
			codes = enc.encode(data.images());
			r2 = enc.heldOutR2();
			monitor.log(String.format(Locale.ROOT, "encoder trained in %.0f s (held-out R² %.3f), %d phantom images encoded in %.0f s", (t2 - t1) / 1e9,
				r2, codes.length, (System.nanoTime() - t2) / 1e9));
		}
		monitor.checkCanceled();
		Result r = score(name, directions.count(), r2, codes, data, (System.nanoTime() - t0) / 1e9);
		monitor.log(Result.HEADER.lines().findFirst().orElse("") + "\n" + r.row());
		return r;
	}

	/**
	 * The sample's exact factors used as the representation: what perfect directions read by a perfect encoder would
	 * score on this sample, i.e. the ceiling the sample sizes and estimators allow (MIG stays below 1 by the plug-in
	 * bias of the mutual information, SAP by chance correlations between factors).
	 */
	public static Result exactFactors(PhantomFactorSample data) {
		return score("exact phantom factors (ceiling)", PhantomFactorSample.FACTORS.size(), 1, data.factors(), data, 0);
	}

	/** The metrics of given codes [image][code] of {@code data}'s images (the encoder's readings, or any representation). */
	static Result score(String name, int k, double encoderR2, double[][] codes, PhantomFactorSample data, double seconds) {
		double[][] factors = data.factors();
		int[] train = data.trainPool(), test = data.testPool();
		double[][] trainCodes = rows(codes, train), trainFactors = rows(factors, train);
		double mig = DisentanglementMetrics.mig(trainCodes, trainFactors, DisentanglementMetrics.MIG_BINS);
		DisentanglementMetrics.Dci dci = DisentanglementMetrics.dci(trainCodes, trainFactors, rows(codes, test), rows(factors, test));
		double sap = DisentanglementMetrics.sap(trainCodes, trainFactors);
		// FactorVAE: global variances over the whole pool, as disentanglement_lib estimates them over random samples
		double[][] pool = rows(codes, concat(train, test));
		double[] variance = new double[k];
		int active = 0;
		for (int c = 0; c < k; c++) {
			variance[c] = DisentanglementMetrics.variance(DisentanglementMetrics.column(pool, c));
			if (Math.sqrt(variance[c]) >= DisentanglementMetrics.PRUNE_STD) active++;
		}
		List<DisentanglementMetrics.FixedFactorBatch> trainVotes = new ArrayList<>(), evalVotes = new ArrayList<>();
		for (PhantomFactorSample.Votes v : data.votes()) {
			for (int[] b : v.train()) trainVotes.add(new DisentanglementMetrics.FixedFactorBatch(v.factor(), rows(codes, b)));
			for (int[] b : v.eval()) evalVotes.add(new DisentanglementMetrics.FixedFactorBatch(v.factor(), rows(codes, b)));
		}
		double fvae = DisentanglementMetrics.factorVae(variance, trainVotes, evalVotes, PhantomFactorSample.FACTORS.size(),
			DisentanglementMetrics.PRUNE_STD);
		return new Result(name, k, encoderR2, mig, dci, sap, fvae, active, seconds);
	}

	private static double[][] rows(double[][] m, int[] idx) {
		double[][] out = new double[idx.length][];
		for (int i = 0; i < idx.length; i++) out[i] = m[idx[i]];
		return out;
	}

	private static int[] concat(int[] a, int[] b) {
		int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
