package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a discovery run depends on. {@link #paper()} is the CT paper's configuration at HEAD
 * (docs/method.md §4.5): proj deformator, K = 100, LeNet, Adam 1e-4 for both, batch 128, 3000 steps, λ = 0.25,
 * ε ~ U[−6, 6] with |ε| ≥ 0.5. Change fields with {@link #toBuilder()}.
 *
 * @param directions            K; 0 means "the latent size d" (required for ortho)
 * @param shiftWeight           λ in CE + λ·mean|ε̂ − ε|
 * @param checkpointEvery       steps between resumable checkpoints (the final step always writes one)
 * @param logEvery              steps between running-accuracy log lines
 * @param validationBatches     fresh batches (eval mode) for the final reconstructor accuracy
 * @param baselines             also train reconstructors for the random and id baselines with the same budget
 * @param closedFormSamples     latent samples for PCA
 * @param sefaNormalize         normalise each first-layer feature's weights before SeFa (as the official SeFa
 *                              code does); false = the paper's formula, eigenvectors of WᵀW
 * @param statsSamples          latents per direction for the pixel-change statistic
 * @param resnetFirstImageTwice reproduce the CT code's ResNet input bug ([G(z), G(z)]); off by default
 * @param jacobianBases         base codes the Jacobian method averages its metric over
 * @param jacobianProbes        vector-Jacobian products per base code (random sign images)
 * @param disco                 the contrastive method's own sizes and weights ({@link Disco})
 */
public record DiscoverySettings(Method method, DeformatorType deformator, ReconstructorType reconstructor, int directions, int steps,
	int batchSize, float deformatorLr, float reconstructorLr, float shiftWeight, float shiftScale, float minShift, long seed,
	int checkpointEvery, int logEvery, int validationBatches, boolean baselines, int closedFormSamples, boolean sefaNormalize,
	int statsSamples, boolean resnetFirstImageTwice, int jacobianBases, int jacobianProbes, Disco disco) {

	/**
	 * Discovery methods: learned (Voynov &amp; Babenko; DisCo, contrastive), closed form, or statistics of samples (PCA,
	 * ICA, Jacobian metric).
	 */
	public enum Method {
		VOYNOV, SEFA, PCA, ICA, JACOBIAN, DISCO;

		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Method parse(String s) {
			String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
			return switch (v) {
				case "voynov", "voynov-babenko", "learned" -> VOYNOV;
				case "sefa" -> SEFA;
				case "pca", "ganspace" -> PCA;
				case "ica", "fastica" -> ICA;
				case "jacobian", "local-basis" -> JACOBIAN;
				case "disco", "contrastive" -> DISCO;
				default -> throw new ExplorerException("Unknown discovery method '" + s + "'. Use voynov, sefa, pca, ica, jacobian or disco.");
			};
		}
	}

	/**
	 * DisCo's batch layout and loss weights (Ren et al., ICLR 2022; docs/method.md): per step {@code batchSize} query
	 * pairs and {@code positives} pairs share one direction, {@code negatives} pairs take other directions.
	 *
	 * @param positives      pairs of the query's direction besides the queries (0: the batch size, as the original's N = B)
	 * @param negatives      pairs of other directions (0: twice the batch size, as the original's 64 for B = 32)
	 * @param representation output size R of the Δ-contrastor (0: K, as the original's z_dim = dim)
	 * @param flipThreshold  a negative more similar than this to a query is relabelled with its similarity (hard-negative flipping; ≥ 1 turns it off)
	 * @param entropyWeight  weight of the entropy (domination) loss on the query variations (0 turns it off)
	 */
	public record Disco(int positives, int negatives, int representation, float flipThreshold, float entropyWeight) {
		public Disco {
			if (positives < 0 || negatives < 0 || representation < 0)
				throw new ExplorerException("DisCo positives, negatives and representation must be >= 0 (0 = default), got " + positives + ", " + negatives
					+ " and " + representation + ".");
			if (!(flipThreshold > 0) || !(entropyWeight >= 0))
				throw new ExplorerException("DisCo needs a flip threshold > 0 and an entropy weight >= 0, got " + flipThreshold + " and " + entropyWeight + ".");
		}

		/** The original's defaults: N = B, 2B negatives, R = K, threshold 0.95, entropy weight 1. */
		public static Disco defaults() {
			return new Disco(0, 0, 0, 0.95f, 1f);
		}

		int positivesFor(int batch) {
			return positives == 0 ? batch : positives;
		}

		int negativesFor(int batch) {
			return negatives == 0 ? 2 * batch : negatives;
		}

		int representationFor(int k) {
			return representation == 0 ? k : representation;
		}
	}

	public DiscoverySettings {
		if (disco == null) throw new ExplorerException("DisCo settings missing.");
		if (steps < 0) throw new ExplorerException("steps must be >= 0, got " + steps + ".");
		if (batchSize < 2) throw new ExplorerException("batch size must be >= 2 (BatchNorm in the reconstructor), got " + batchSize + ".");
		if (directions < 0) throw new ExplorerException("directions must be >= 0 (0 = latent size), got " + directions + ".");
		if (!(minShift > 0 && shiftScale > minShift)) throw new ExplorerException("need 0 < min shift < shift scale, got " + minShift + " and " + shiftScale + ".");
		if (checkpointEvery < 1 || logEvery < 1) throw new ExplorerException("checkpoint and log intervals must be >= 1.");
		if (validationBatches < 1) throw new ExplorerException("validation batches must be >= 1, got " + validationBatches + ".");
		if (jacobianBases < 2 || jacobianProbes < 1) throw new ExplorerException("the Jacobian method needs bases >= 2 and probes >= 1, got " + jacobianBases + " and " + jacobianProbes + ".");
	}

	/** The CT paper's settings at HEAD (K = 100 proj with LeNet: its default config). */
	public static DiscoverySettings paper() {
		return new DiscoverySettings(Method.VOYNOV, DeformatorType.PROJ, ReconstructorType.LENET, 100, 3000, 128, 1e-4f, 1e-4f, 0.25f, 6f,
			0.5f, 0, 1000, 10, 100, true, 10_000, false, 16, false, 64, 32, Disco.defaults());
	}

	/** K for a generator with latent size d. */
	public int directionsFor(int latentDim) {
		return directions == 0 ? latentDim : directions;
	}

	/** The settings as a flat map (stored with every direction set). */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", method.id());
		if (method == Method.VOYNOV || method == Method.DISCO) {
			m.put("deformator", deformator.id());
			if (method == Method.VOYNOV) m.put("reconstructor", reconstructor.id());
			else {
				m.put("positives", disco.positivesFor(batchSize));
				m.put("negatives", disco.negativesFor(batchSize));
				m.put("representation", disco.representation());
				m.put("flipThreshold", disco.flipThreshold());
				m.put("entropyWeight", disco.entropyWeight());
			}
			m.put("directions", directions);
			m.put("steps", steps);
			m.put("batchSize", batchSize);
			m.put("deformatorLr", deformatorLr);
			m.put("reconstructorLr", reconstructorLr);
			if (method == Method.VOYNOV) m.put("shiftWeight", shiftWeight);
			m.put("shiftScale", shiftScale);
			m.put("minShift", minShift);
			m.put("seed", seed);
			m.put("validationBatches", validationBatches);
			if (method == Method.VOYNOV) m.put("resnetFirstImageTwice", resnetFirstImageTwice);
		} else {
			m.put("directions", directions);
			switch (method) {
				case PCA, ICA -> {
					m.put("samples", closedFormSamples);
					m.put("seed", seed);
				}
				case JACOBIAN -> {
					m.put("bases", jacobianBases);
					m.put("probes", jacobianProbes);
					m.put("seed", seed);
				}
				default -> m.put("normalize", sefaNormalize);
			}
		}
		return m;
	}

	/**
	 * The settings a checkpoint must share with the current run to be resumed (steps, intervals and evaluation
	 * sizes may change).
	 */
	String trainingIdentity(int k) {
		return String.join(";", deformator.id(), reconstructor.id(), "K=" + k, "B=" + batchSize, "lrA=" + deformatorLr, "lrR=" + reconstructorLr,
			"lambda=" + shiftWeight, "scale=" + shiftScale, "min=" + minShift, "seed=" + seed, "twice=" + resnetFirstImageTwice);
	}

	/** {@link #trainingIdentity} for a DisCo run: the contrastive sizes and weights in place of the reconstructor's. */
	String discoIdentity(int k) {
		return String.join(";", "disco", deformator.id(), "K=" + k, "B=" + batchSize, "N=" + disco.positivesFor(batchSize),
			"negatives=" + disco.negativesFor(batchSize), "R=" + disco.representationFor(k), "lrA=" + deformatorLr, "lrE=" + reconstructorLr,
			"flip=" + disco.flipThreshold(), "entropy=" + disco.entropyWeight(), "scale=" + shiftScale, "min=" + minShift, "seed=" + seed);
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	/** Mutable copy of a settings record, for changing a few fields. */
	public static final class Builder {
		private Method method;
		private DeformatorType deformator;
		private ReconstructorType reconstructor;
		private int directions, steps, batchSize, checkpointEvery, logEvery, validationBatches, closedFormSamples, statsSamples, jacobianBases, jacobianProbes;
		private float deformatorLr, reconstructorLr, shiftWeight, shiftScale, minShift;
		private long seed;
		private boolean baselines, sefaNormalize, resnetFirstImageTwice, measureFixedRca = true;
		private Disco disco;

		private Builder(DiscoverySettings s) {
			method = s.method; deformator = s.deformator; reconstructor = s.reconstructor; directions = s.directions; steps = s.steps;
			batchSize = s.batchSize; deformatorLr = s.deformatorLr; reconstructorLr = s.reconstructorLr; shiftWeight = s.shiftWeight;
			shiftScale = s.shiftScale; minShift = s.minShift; seed = s.seed; checkpointEvery = s.checkpointEvery; logEvery = s.logEvery;
			validationBatches = s.validationBatches; baselines = s.baselines; closedFormSamples = s.closedFormSamples;
			sefaNormalize = s.sefaNormalize; statsSamples = s.statsSamples; resnetFirstImageTwice = s.resnetFirstImageTwice;
			jacobianBases = s.jacobianBases; jacobianProbes = s.jacobianProbes; disco = s.disco;
		}

		public Builder method(Method v) { method = v; return this; }
		public Builder deformator(DeformatorType v) { deformator = v; return this; }
		public Builder reconstructor(ReconstructorType v) { reconstructor = v; return this; }
		public Builder directions(int v) { directions = v; return this; }
		public Builder steps(int v) { steps = v; return this; }
		public Builder batchSize(int v) { batchSize = v; return this; }
		/** Both learning rates. */
		public Builder learningRate(float v) { deformatorLr = v; reconstructorLr = v; return this; }
		/** The direction matrix's own learning rate; 0 keeps the one {@link #learningRate} set. */
		public Builder deformatorLr(float v) { if (v != 0) deformatorLr = v; return this; }
		public Builder reconstructorLr(float v) { reconstructorLr = v; return this; }
		public Builder shiftWeight(float v) { shiftWeight = v; return this; }
		public Builder shiftScale(float v) { shiftScale = v; return this; }
		public Builder minShift(float v) { minShift = v; return this; }
		public Builder seed(long v) { seed = v; return this; }
		public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
		public Builder logEvery(int v) { logEvery = v; return this; }
		public Builder validationBatches(int v) { validationBatches = v; return this; }
		public Builder baselines(boolean v) { baselines = v; return this; }
		public Builder closedFormSamples(int v) { closedFormSamples = v; return this; }
		public Builder sefaNormalize(boolean v) { sefaNormalize = v; return this; }
		public Builder statsSamples(int v) { statsSamples = v; return this; }
		public Builder resnetFirstImageTwice(boolean v) { resnetFirstImageTwice = v; return this; }
		public Builder jacobianBases(int v) { jacobianBases = v; return this; }
		public Builder jacobianProbes(int v) { jacobianProbes = v; return this; }
		public Builder disco(Disco v) { disco = v; return this; }
		/**
		 * A fixed deformator (random, id) run on its own: true (default) trains a reconstructor for {@code steps} to
		 * measure its RCA; false writes its directions at once (no steps, no baselines).
		 */
		public Builder measureFixedRca(boolean v) { measureFixedRca = v; return this; }

		public DiscoverySettings build() {
			boolean instant = !measureFixedRca && !deformator.trainable();
			return new DiscoverySettings(method, deformator, reconstructor, directions, instant ? 0 : steps, batchSize, deformatorLr, reconstructorLr, shiftWeight,
				shiftScale, minShift, seed, checkpointEvery, logEvery, validationBatches, baselines && !instant, closedFormSamples, sefaNormalize, statsSamples,
				resnetFirstImageTwice, jacobianBases, jacobianProbes, disco);
		}
	}
}
