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
 */
public record DiscoverySettings(Method method, DeformatorType deformator, ReconstructorType reconstructor, int directions, int steps,
	int batchSize, float deformatorLr, float reconstructorLr, float shiftWeight, float shiftScale, float minShift, long seed,
	int checkpointEvery, int logEvery, int validationBatches, boolean baselines, int closedFormSamples, boolean sefaNormalize,
	int statsSamples, boolean resnetFirstImageTwice, int jacobianBases, int jacobianProbes) {

	/** Discovery methods: learned (Voynov &amp; Babenko), closed form, or statistics of samples (PCA, ICA, Jacobian metric). */
	public enum Method {
		VOYNOV, SEFA, PCA, ICA, JACOBIAN;

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
				default -> throw new ExplorerException("Unknown discovery method '" + s + "'. Use voynov, sefa, pca, ica or jacobian.");
			};
		}
	}

	public DiscoverySettings {
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
			0.5f, 0, 1000, 10, 100, true, 10_000, false, 16, false, 64, 32);
	}

	/** K for a generator with latent size d. */
	public int directionsFor(int latentDim) {
		return directions == 0 ? latentDim : directions;
	}

	/** The settings as a flat map (stored with every direction set). */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", method.id());
		if (method == Method.VOYNOV) {
			m.put("deformator", deformator.id());
			m.put("reconstructor", reconstructor.id());
			m.put("directions", directions);
			m.put("steps", steps);
			m.put("batchSize", batchSize);
			m.put("deformatorLr", deformatorLr);
			m.put("reconstructorLr", reconstructorLr);
			m.put("shiftWeight", shiftWeight);
			m.put("shiftScale", shiftScale);
			m.put("minShift", minShift);
			m.put("seed", seed);
			m.put("validationBatches", validationBatches);
			m.put("resnetFirstImageTwice", resnetFirstImageTwice);
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

		private Builder(DiscoverySettings s) {
			method = s.method; deformator = s.deformator; reconstructor = s.reconstructor; directions = s.directions; steps = s.steps;
			batchSize = s.batchSize; deformatorLr = s.deformatorLr; reconstructorLr = s.reconstructorLr; shiftWeight = s.shiftWeight;
			shiftScale = s.shiftScale; minShift = s.minShift; seed = s.seed; checkpointEvery = s.checkpointEvery; logEvery = s.logEvery;
			validationBatches = s.validationBatches; baselines = s.baselines; closedFormSamples = s.closedFormSamples;
			sefaNormalize = s.sefaNormalize; statsSamples = s.statsSamples; resnetFirstImageTwice = s.resnetFirstImageTwice;
			jacobianBases = s.jacobianBases; jacobianProbes = s.jacobianProbes;
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
		/**
		 * A fixed deformator (random, id) run on its own: true (default) trains a reconstructor for {@code steps} to
		 * measure its RCA; false writes its directions at once (no steps, no baselines).
		 */
		public Builder measureFixedRca(boolean v) { measureFixedRca = v; return this; }

		public DiscoverySettings build() {
			boolean instant = !measureFixedRca && !deformator.trainable();
			return new DiscoverySettings(method, deformator, reconstructor, directions, instant ? 0 : steps, batchSize, deformatorLr, reconstructorLr, shiftWeight,
				shiftScale, minShift, seed, checkpointEvery, logEvery, validationBatches, baselines && !instant, closedFormSamples, sefaNormalize, statsSamples,
				resnetFirstImageTwice, jacobianBases, jacobianProbes);
		}
	}
}
