package io.github.ctlatent.evaluate;

import java.util.Arrays;
import java.util.List;

/**
 * The literature's disentanglement metrics of a representation against ground-truth factors, in plain Java:
 * MIG (Chen et al. 2018), DCI (Eastwood &amp; Williams 2018), SAP (Kumar et al. 2018) and the FactorVAE score
 * (Kim &amp; Mnih 2018), each following disentanglement_lib's conventions (Locatello et al. 2019) except where the
 * method documents a deviation (docs/literature-metrics.md). Arrays are indexed [sample][code] and
 * [sample][factor]; factors are continuous here (the phantom's), where disentanglement_lib's benchmarks have
 * discrete ones.
 */
public final class DisentanglementMetrics {

	/** disentanglement_lib's MIG discretisation: 20 equal-width bins between each variable's minimum and maximum. */
	public static final int MIG_BINS = 20;
	/**
	 * Smallest lasso penalty of the DCI regressors, on standardised codes and factors (sklearn's objective
	 * convention); {@link #lassoAlpha} raises it to the noise level of the sample.
	 */
	public static final double DCI_ALPHA = 0.02;
	/** FactorVAE score: codes whose global standard deviation is below this are pruned (as DisCo's evaluation sets it). */
	public static final double PRUNE_STD = 0.05;

	private DisentanglementMetrics() {}

	/**
	 * DCI: disentanglement, completeness and informativeness (mean held-out R², clamped at 0, of least-squares
	 * refits on the codes each lasso selected), the importance matrix [code][factor] and the lasso penalty used.
	 */
	public record Dci(double disentanglement, double completeness, double informativeness, double[][] importance, double alpha) {}

	/** A FactorVAE vote batch: the codes of images in which {@code factor} is fixed and every other factor varies. */
	public record FixedFactorBatch(int factor, double[][] codes) {}

	/**
	 * Mutual information gap: per factor, (largest − second largest mutual information with a code) divided by
	 * the factor's entropy, averaged over factors. Codes and factors are both discretised into {@code bins}
	 * equal-width bins (disentanglement_lib bins codes only, its factors being discrete already).
	 */
	public static double mig(double[][] codes, double[][] factors, int bins) {
		int nc = codes[0].length, nf = factors[0].length;
		int[][] c = new int[nc][], f = new int[nf][];
		for (int i = 0; i < nc; i++) c[i] = discretize(column(codes, i), bins);
		for (int j = 0; j < nf; j++) f[j] = discretize(column(factors, j), bins);
		double sum = 0;
		for (int j = 0; j < nf; j++) {
			double best = 0, second = 0;
			for (int i = 0; i < nc; i++) {
				double mi = mutualInformation(c[i], f[j], bins);
				if (mi > best) {
					second = best;
					best = mi;
				} else if (mi > second) second = mi;
			}
			if (nc == 1) second = 0;
			double h = mutualInformation(f[j], f[j], bins);
			sum += h > 0 ? (best - second) / h : 0;
		}
		return sum / nf;
	}

	/**
	 * DCI with lasso importances (Eastwood &amp; Williams' linear variant, not disentanglement_lib's gradient-boosted
	 * trees): per factor, a lasso of the standardised factor on the standardised codes fitted on the training
	 * split; importance R[code][factor] = |weight|. Disentanglement = Σ_codes ρ_i (1 − H_F(P_i·)), completeness
	 * = Σ_factors ρ_j (1 − H_C(P_·j)), both weighted by relative importance as in disentanglement_lib; an all-zero
	 * importance matrix counts as uniform (scores 0).
	 */
	public static Dci dci(double[][] trainCodes, double[][] trainFactors, double[][] testCodes, double[][] testFactors) {
		int nc = trainCodes[0].length, nf = trainFactors[0].length;
		double alpha = lassoAlpha(trainCodes.length, nc * nf);
		double[][] x = standardize(trainCodes, trainCodes), xt = standardize(testCodes, trainCodes);
		double[][] y = standardize(trainFactors, trainFactors), yt = standardize(testFactors, trainFactors);
		double[][] r = new double[nc][nf];
		double informativeness = 0;
		for (int j = 0; j < nf; j++) {
			double[] w = lasso(x, column(y, j), alpha);
			for (int i = 0; i < nc; i++) r[i][j] = Math.abs(w[i]);
			// informativeness from a least-squares refit on the selected codes ("relaxed lasso"), so that the
			// penalty's shrinkage is not counted as missing information
			informativeness += Math.max(0, r2(xt, column(yt, j), lasso(selected(x, w), column(y, j), 0)));
		}
		double total = 0;
		for (double[] row : r) for (double v : row) total += v;
		double[][] imp = total > 0 ? r : ones(nc, nf);
		double all = total > 0 ? total : nc * (double) nf;
		double d = 0, c = 0;
		for (int i = 0; i < nc; i++) {
			double rowSum = Arrays.stream(imp[i]).sum();
			d += rowSum / all * (1 - entropy(imp[i], nf));
		}
		for (int j = 0; j < nf; j++) {
			double[] col = column(imp, j);
			c += Arrays.stream(col).sum() / all * (1 - entropy(col, nc));
		}
		return new Dci(d, c, informativeness / nf, r, alpha);
	}

	/**
	 * Separated attribute predictability for continuous factors (disentanglement_lib's {@code continuous_factors}
	 * branch, Kumar et al.'s original): score[code][factor] = squared Pearson correlation (0 for a constant code);
	 * per factor the gap between its two best codes, averaged over factors.
	 */
	public static double sap(double[][] codes, double[][] factors) {
		int nc = codes[0].length, nf = factors[0].length;
		double sum = 0;
		for (int j = 0; j < nf; j++) {
			double[] y = column(factors, j);
			double best = 0, second = 0;
			for (int i = 0; i < nc; i++) {
				double s = squaredCorrelation(column(codes, i), y);
				if (s > best) {
					second = best;
					best = s;
				} else if (s > second) second = s;
			}
			sum += best - second;
		}
		return sum / nf;
	}

	/**
	 * The FactorVAE score (Kim &amp; Mnih 2018) as disentanglement_lib computes it: codes with global standard deviation
	 * below {@code pruneStd} are dropped; each batch votes for the remaining code whose variance, divided by its
	 * global variance, is smallest; a majority-vote classifier (code → factor) is fitted on the training votes and its
	 * accuracy on the evaluation votes is the score. No active code scores 0.
	 *
	 * @param globalVariance variance of every code over the whole data (ddof 1)
	 */
	public static double factorVae(double[] globalVariance, List<FixedFactorBatch> train, List<FixedFactorBatch> eval, int factors,
		double pruneStd) {
		int[] active = java.util.stream.IntStream.range(0, globalVariance.length).filter(i -> Math.sqrt(globalVariance[i]) >= pruneStd).toArray();
		if (active.length == 0) return 0;
		long[][] trainVotes = votes(globalVariance, active, train, factors), evalVotes = votes(globalVariance, active, eval, factors);
		long correct = 0, total = 0;
		for (int a = 0; a < active.length; a++) {
			int predicted = 0;
			for (int f = 1; f < factors; f++) if (trainVotes[a][f] > trainVotes[a][predicted]) predicted = f;
			correct += evalVotes[a][predicted];
			for (long v : evalVotes[a]) total += v;
		}
		return total == 0 ? 0 : correct / (double) total;
	}

	private static long[][] votes(double[] globalVariance, int[] active, List<FixedFactorBatch> batches, int factors) {
		long[][] votes = new long[active.length][factors];
		for (FixedFactorBatch b : batches) {
			int best = 0;
			double bestRatio = Double.POSITIVE_INFINITY;
			for (int a = 0; a < active.length; a++) {
				double ratio = variance(column(b.codes(), active[a])) / globalVariance[active[a]];
				if (ratio < bestRatio) {
					bestRatio = ratio;
					best = a;
				}
			}
			votes[best][b.factor()]++;
		}
		return votes;
	}

	/**
	 * The lasso penalty for n samples and {@code pairs} (code, factor) pairs: at least {@link #DCI_ALPHA}, and at
	 * least the level t/√n that the sample correlation of an unrelated code and factor (≈ N(0, 1/n)) exceeds for
	 * any of the pairs with probability below 1% (t = √(2 ln(2·pairs / 0.01)), the Gaussian tail bound with a
	 * union over the pairs). Why: D and C weigh codes by <em>relative</em> importance, so a single noise weight of
	 * 0.01 in an otherwise empty matrix would read as a perfectly disentangled code; trees (disentanglement_lib)
	 * spread such noise over all codes instead, the lasso must not select it at all.
	 */
	public static double lassoAlpha(int n, int pairs) {
		double t = Math.sqrt(2 * Math.log(2.0 * Math.max(1, pairs) / 0.01));
		return Math.max(DCI_ALPHA, t / Math.sqrt(n));
	}

	// ---- building blocks ----

	/** disentanglement_lib's histogram discretisation: bin index 0…bins−1 of equal-width bins over [min, max]. */
	static int[] discretize(double[] v, int bins) {
		double lo = Arrays.stream(v).min().orElse(0), hi = Arrays.stream(v).max().orElse(0);
		int[] out = new int[v.length];
		if (!(hi > lo)) return out; // a constant carries no information: one bin
		double width = (hi - lo) / bins;
		for (int i = 0; i < v.length; i++) out[i] = Math.min(bins - 1, (int) ((v[i] - lo) / width));
		return out;
	}

	/** Mutual information (nats) of two discrete variables with values 0…bins−1, as sklearn's mutual_info_score. */
	static double mutualInformation(int[] a, int[] b, int bins) {
		int n = a.length;
		double[][] joint = new double[bins][bins];
		double[] pa = new double[bins], pb = new double[bins];
		for (int i = 0; i < n; i++) {
			joint[a[i]][b[i]]++;
			pa[a[i]]++;
			pb[b[i]]++;
		}
		double mi = 0;
		for (int i = 0; i < bins; i++)
			for (int j = 0; j < bins; j++)
				if (joint[i][j] > 0) mi += joint[i][j] / n * Math.log(joint[i][j] * n / (pa[i] * pb[j]));
		return Math.max(0, mi);
	}

	/** Entropy of the normalised non-negative weights {@code p} in base {@code base} (0 for all-zero weights). */
	static double entropy(double[] p, int base) {
		double s = Arrays.stream(p).sum();
		if (!(s > 0) || base < 2) return 0;
		double h = 0;
		for (double v : p) if (v > 0) h -= v / s * Math.log(v / s);
		return h / Math.log(base);
	}

	/**
	 * Lasso by cyclic coordinate descent, minimising (1/2n)‖y − Xw‖² + α‖w‖₁ for centred columns (no intercept:
	 * the callers standardise). Converges to 1e-7 in the largest weight change or after 1,000 sweeps.
	 */
	static double[] lasso(double[][] x, double[] y, double alpha) {
		int n = x.length, p = x[0].length;
		double[] w = new double[p], residual = y.clone(), norm = new double[p];
		for (int k = 0; k < p; k++) for (double[] row : x) norm[k] += row[k] * row[k] / n;
		for (int sweep = 0; sweep < 1000; sweep++) {
			double change = 0;
			for (int k = 0; k < p; k++) {
				if (norm[k] == 0) continue;
				double rho = 0;
				for (int i = 0; i < n; i++) rho += x[i][k] * residual[i];
				rho = rho / n + norm[k] * w[k];
				double updated = Math.signum(rho) * Math.max(0, Math.abs(rho) - alpha) / norm[k];
				double delta = updated - w[k];
				if (delta != 0) {
					for (int i = 0; i < n; i++) residual[i] -= delta * x[i][k];
					w[k] = updated;
					change = Math.max(change, Math.abs(delta));
				}
			}
			if (change < 1e-7) break;
		}
		return w;
	}

	/** {@code x} with the columns whose weight is 0 zeroed (the lasso skips all-zero columns). */
	private static double[][] selected(double[][] x, double[] w) {
		double[][] out = new double[x.length][];
		for (int i = 0; i < x.length; i++) {
			out[i] = x[i].clone();
			for (int k = 0; k < w.length; k++) if (w[k] == 0) out[i][k] = 0;
		}
		return out;
	}

	private static double r2(double[][] x, double[] y, double[] w) {
		double mean = Arrays.stream(y).average().orElse(0), sse = 0, sst = 0;
		for (int i = 0; i < x.length; i++) {
			double p = 0;
			for (int k = 0; k < w.length; k++) p += x[i][k] * w[k];
			sse += (y[i] - p) * (y[i] - p);
			sst += (y[i] - mean) * (y[i] - mean);
		}
		return sst > 0 ? 1 - sse / sst : 0;
	}

	/** Columns of {@code v} standardised with the mean and standard deviation of {@code ref}'s (constant columns → 0). */
	static double[][] standardize(double[][] v, double[][] ref) {
		int p = ref[0].length;
		double[] mean = new double[p], std = new double[p];
		for (int k = 0; k < p; k++) {
			double[] c = column(ref, k);
			mean[k] = Arrays.stream(c).average().orElse(0);
			std[k] = Math.sqrt(variance(c));
		}
		double[][] out = new double[v.length][p];
		for (int i = 0; i < v.length; i++)
			for (int k = 0; k < p; k++) out[i][k] = std[k] > 0 ? (v[i][k] - mean[k]) / std[k] : 0;
		return out;
	}

	static double squaredCorrelation(double[] a, double[] b) {
		double ma = Arrays.stream(a).average().orElse(0), mb = Arrays.stream(b).average().orElse(0), cov = 0, va = 0, vb = 0;
		for (int i = 0; i < a.length; i++) {
			cov += (a[i] - ma) * (b[i] - mb);
			va += (a[i] - ma) * (a[i] - ma);
			vb += (b[i] - mb) * (b[i] - mb);
		}
		return va > 0 && vb > 0 ? cov * cov / (va * vb) : 0;
	}

	/** Sample variance (ddof 1, as numpy's var(ddof=1) in disentanglement_lib); 0 below two values. */
	public static double variance(double[] v) {
		if (v.length < 2) return 0;
		double m = Arrays.stream(v).average().orElse(0), s = 0;
		for (double x : v) s += (x - m) * (x - m);
		return s / (v.length - 1);
	}

	public static double[] column(double[][] m, int k) {
		double[] c = new double[m.length];
		for (int i = 0; i < m.length; i++) c[i] = m[i][k];
		return c;
	}

	private static double[][] ones(int r, int c) {
		double[][] m = new double[r][c];
		for (double[] row : m) Arrays.fill(row, 1);
		return m;
	}
}
