package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.phantom.PhantomFactors.Factor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the oracle charges a perfect direction (docs/evaluation.md §3): for every target factor f, other factor g and
 * effect size, the median and 90th percentile over patients of the fitted leakage into g on known-answer walks —
 * phantom patients re-rendered with only f changed ({@link KnownAnswerWalks}). The oracle reads the body outline
 * into {@code fat} when the patient rolls, and reads less breast where the slice cuts the edge of the breasts; a
 * perfect direction is charged that much although nothing else changed. The scorer counts leakage in excess of this
 * floor, at the direction's own effect size.
 * <p>
 * Measured once per oracle on calibration patients (their own phantom seed) and stored beside it as
 * {@value #FILE}; the known-answer suite checks it on other patients. Without the file leakage is scored raw.
 *
 * @param factors the oracle's factor names, in its order
 * @param effects the effect sizes measured (σ), ascending
 * @param leak    [f][g][e] = {median, 90th percentile} of the fitted leakage into g of a perfect f walk of effect e
 * @param weights the fingerprint of the oracle's weights the floor was measured with ({@link FactorOracle#fingerprint}): a
 *                floor belongs to one oracle, and an oracle retrained with the same factors (the blur-trained one of
 *                issue 24) must not inherit it
 */
public record OracleFloor(int version, List<String> factors, double[] effects, double[][][][] leak, long seed, int patients, String weights) {

	public static final String FILE = "floor.json";
	/** 2: the floor names the oracle's weights ({@link #weights}). */
	static final int VERSION = 2;
	public static final double[] EFFECTS = {0.5, 1, 1.5, 2, 3};
	/** Calibration patients come from this phantom seed (the known-answer suite draws from others). */
	public static final long SEED = 4040;

	/**
	 * The floor of leakage into g of a perfect f direction of effect |Δ|: linear in |Δ| between the measured effects,
	 * from 0 at 0, and held at the last measured value beyond it.
	 */
	public double[] allowance(int f, int g, double effect) {
		double e = Math.abs(effect);
		if (!Double.isFinite(e) || leak[f] == null || leak[f][g] == null) return new double[] {0, 0};
		double[][] l = leak[f][g];
		double prevE = 0, prevMed = 0, prevP90 = 0;
		for (int i = 0; i < effects.length; i++) {
			if (e <= effects[i]) {
				double a = (e - prevE) / (effects[i] - prevE);
				return new double[] {prevMed + a * (l[i][0] - prevMed), prevP90 + a * (l[i][1] - prevP90)};
			}
			prevE = effects[i];
			prevMed = l[i][0];
			prevP90 = l[i][1];
		}
		return new double[] {prevMed, prevP90};
	}

	/** Measures the floor: perfect walks of every phantom factor the oracle reads, at {@link #EFFECTS}. */
	public static OracleFloor measure(FactorOracle oracle, int patients, long seed, Monitor monitor) {
		String weights = oracle.fingerprint();
		FactorOracle.Config c = oracle.config();
		int nf = c.factorCount();
		KnownAnswerWalks walks = new KnownAnswerWalks(oracle, 4);
		double[][][][] leak = new double[nf][][][];
		int done = 0, total = Factor.values().length * EFFECTS.length;
		for (Factor pf : Factor.values()) {
			int f = c.indexOf(pf.key);
			if (f < 0) continue;
			leak[f] = new double[nf][EFFECTS.length][];
			for (int e = 0; e < EFFECTS.length; e++) {
				Walks w = walks.walk(new Factor[] {pf}, new double[] {1}, EFFECTS[e], patients, seed, Monitor.NONE);
				for (int g = 0; g < nf; g++) leak[f][g][e] = DirectionScores.fittedLeakage(w, 0, g);
				monitor.progress(++done, total, "Measuring the oracle's floor");
			}
			monitor.log(String.format(Locale.ROOT, "floor of a perfect %s direction at %.1fσ: %s", pf.key, EFFECTS[EFFECTS.length - 1], describe(c, leak[f], EFFECTS.length - 1)));
		}
		return new OracleFloor(VERSION, c.factors(), EFFECTS.clone(), leak, seed, patients, weights);
	}

	private static String describe(FactorOracle.Config c, double[][][] byG, int e) {
		StringBuilder sb = new StringBuilder();
		for (int g = 0; g < byG.length; g++) sb.append(String.format(Locale.ROOT, "%s %.2f/%.2f ", c.factors().get(g), byG[g][e][0], byG[g][e][1]));
		return sb.toString().trim();
	}

	/**
	 * The floor stored with the oracle in {@code folder}, or null when it has none (leakage is then scored raw).
	 * @param weights the oracle's fingerprint ({@link FactorOracle#fingerprint}): the floor must name the same
	 */
	public static OracleFloor read(Path folder, FactorOracle.Config config, String weights) {
		Path file = folder.resolve(FILE);
		if (!Files.isRegularFile(file)) return null;
		OracleFloor f = Json.read(file, OracleFloor.class);
		if (f == null || f.version != VERSION || f.factors == null || !f.factors.equals(config.factors()) || f.leak == null || f.effects == null
			|| !weights.equals(f.weights))
			throw new ExplorerException(file + " does not belong to this oracle (measured with other weights, other factors or an old version). Measure it again: "
				+ "bin/latent-explorer bench known-answers -Dknown.calibrate=true");
		for (double[][][] byG : f.leak)
			if (byG != null)
				for (double[][] byE : byG)
					for (double[] v : byE)
						if (!Double.isFinite(v[0]) || !Double.isFinite(v[1]) || v[0] < 0 || v[1] < 0)
							throw new ExplorerException(file + " holds a non-finite or negative leakage floor; measure it again.");
		return f;
	}

	/** Writes the floor beside the oracle (atomically). */
	public void write(Path folder) {
		Json.write(folder.resolve(FILE), this);
	}
}
