package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The supervised ceiling of docs/evaluation.md §3: for every scored factor, the linear latent direction fitted to
 * the oracle's labels. It is <b>not a discovery method</b> — it reads the factors it is judged on — but it tells
 * whether a clean linear direction exists in a generator's latent space at all. If even these directions leak
 * more than the clean rule allows, no unsupervised method that returns linear directions can meet the bar with
 * that generator: the factors are entangled in the latent space itself.
 * <p>
 * N codes z ~ N(0, I) are rendered and read by the oracle; each scored factor's standardised reading f̂ is
 * regressed on z (ridge, intercept, only codes where the oracle sees the factor), giving coefficients W (one row
 * w_f per factor, in σ per latent unit). Two directions per factor, both unit vectors oriented so that +ε raises f:
 * <ul>
 * <li><b>regression</b>: w_f / ‖w_f‖, the direction along which f changes fastest to first order;</li>
 * <li><b>nulled</b>: the row of the pseudo-inverse of W for f (the component of w_f orthogonal to every other scored
 * factor's w_g), which leaves the other factors unchanged to first order. What still leaks along it comes from the
 * curvature of the generator (or the oracle's noise), not from a badly chosen linear direction.</li>
 * </ul>
 * They are scored by {@link Evaluation} like any other set. Shares no code with the discovery methods.
 */
public final class SupervisedCeiling {

	/** Codes a fit reads by default: enough for 32 latent dimensions (a factor is fitted on ~100 codes per coefficient). */
	public static final int CODES = 4096;
	/** Ridge penalty per code: tiny, only there to keep the normal equations positive definite. */
	private static final double RIDGE = 1e-3;
	private static final int CHUNK = 256;
	/** A factor is fitted only when the oracle sees it in at least this many images per coefficient. */
	private static final int MIN_CODES_PER_COEFFICIENT = 4;

	/**
	 * @param factors    the scored factors, in the oracle's order
	 * @param index      their indices among the oracle's factors
	 * @param weights    [i][d] the regression coefficients of factor i (σ per latent unit)
	 * @param r2         [i] in-sample R² of the linear fit f̂ ~ z: how linear the factor is in the latent space
	 * @param samples    [i] codes the fit of factor i used (those where the oracle sees it)
	 * @param regression [i][d] unit regression directions
	 * @param nulled     [i][d] unit nulled directions
	 * @param unfitted   scored factors left out because the oracle saw them in too few generated images
	 */
	public record Fit(List<String> factors, int[] index, double[][] weights, double[] r2, int[] samples, float[][] regression, float[][] nulled,
		List<String> unfitted) {

		/** The regression directions as a set labelled "supervised z" …, for {@link Evaluation}. */
		public Directions regressionDirections() {
			return labelled(regression, "supervised ");
		}

		/** The nulled directions as a set labelled "supervised, nulled z" …. */
		public Directions nulledDirections() {
			return labelled(nulled, "supervised, nulled ");
		}

		private Directions labelled(float[][] rows, String prefix) {
			Directions plain = Directions.of(rows);
			return new Directions() {
				public int count() { return plain.count(); }
				public int latentDim() { return plain.latentDim(); }
				public float[] shift(int k, float eps) { return plain.shift(k, eps); }
				@Override
				public String label(int k) { return prefix + factors.get(k); }
			};
		}

		public String summary() {
			StringBuilder s = new StringBuilder("supervised ceiling, linear fit of the oracle's readings on the latent code (R², codes):");
			for (int i = 0; i < factors.size(); i++)
				s.append(String.format(Locale.ROOT, " %s %.2f (%d)", factors.get(i), r2[i], samples[i]));
			if (!unfitted.isEmpty()) s.append("; not fitted: ").append(String.join(", ", unfitted));
			return s.toString();
		}
	}

	private SupervisedCeiling() {}

	/** Renders {@code n} codes z ~ N(0, I) (seeded), reads them with the oracle and fits every scored factor. */
	public static Fit fit(Generator g, FactorOracle oracle, int n, long seed, Monitor monitor) {
		if (g.imageSize() != oracle.config().size())
			throw new ExplorerException("The generator makes " + g.imageSize() + "² images but the oracle reads " + oracle.config().size()
				+ "²: train an oracle at the generator's size.");
		int d = g.latentDim();
		float[][] codes = WalkReader.bases(d, n, seed);
		double[][] values = new double[n][];
		boolean[][] observable = new boolean[n][];
		for (int from = 0; from < n; from += CHUNK) {
			monitor.checkCanceled();
			monitor.progress(from, n, "supervised ceiling: reading generated images");
			float[][] chunk = java.util.Arrays.copyOfRange(codes, from, Math.min(n, from + CHUNK));
			FactorOracle.Reading r = oracle.read(g.images(WalkReader.flatten(chunk)));
			System.arraycopy(r.values(), 0, values, from, chunk.length);
			System.arraycopy(r.observable(), 0, observable, from, chunk.length);
		}
		monitor.progress(n, n, "supervised ceiling: fitted");
		FactorOracle.Config c = oracle.config();
		Fit fit = fit(codes, values, observable, c.scoredMask(), c.factors());
		monitor.log(fit.summary());
		return fit;
	}

	/** The fit itself, from codes and readings: pure arithmetic (tests give readings whose answer is known). */
	static Fit fit(float[][] codes, double[][] values, boolean[][] observable, boolean[] scored, List<String> names) {
		int d = codes[0].length;
		List<String> factors = new ArrayList<>();
		List<Integer> index = new ArrayList<>();
		for (int f = 0; f < scored.length; f++)
			if (scored[f]) {
				factors.add(names.get(f));
				index.add(f);
			}
		List<String> unseen = new ArrayList<>();
		for (int i = factors.size() - 1; i >= 0; i--) {
			int f = index.get(i), seen = 0;
			for (boolean[] o : observable) if (o[f]) seen++;
			if (seen < MIN_CODES_PER_COEFFICIENT * (d + 1)) { // e.g. breasts, when the generator rarely draws them: no direction for that factor
				unseen.add(0, String.format(Locale.ROOT, "%s (seen in %d of %d images)", names.get(f), seen, codes.length));
				factors.remove(i);
				index.remove(i);
			}
		}
		if (factors.isEmpty()) throw new ExplorerException("The oracle sees none of its scored factors in enough of the " + codes.length
			+ " generated images to fit a direction (" + String.join(", ", unseen) + "). Use more samples.");
		int m = factors.size();
		double[][] w = new double[m][];
		double[] r2 = new double[m];
		int[] samples = new int[m];
		for (int i = 0; i < m; i++) {
			int f = index.get(i);
			List<Integer> rows = new ArrayList<>();
			for (int s = 0; s < codes.length; s++) if (observable[s][f]) rows.add(s);
			samples[i] = rows.size();
			double[] y = new double[rows.size()];
			double[][] x = new double[rows.size()][];
			for (int r = 0; r < y.length; r++) {
				y[r] = values[rows.get(r)][f];
				x[r] = new double[d];
				for (int c = 0; c < d; c++) x[r][c] = codes[rows.get(r)][c];
			}
			double[] fitR2 = new double[1];
			w[i] = ridge(x, y, RIDGE * y.length, fitR2);
			r2[i] = fitR2[0];
		}
		float[][] regression = new float[m][], nulled = new float[m][];
		double[][] gram = new double[m][m];
		for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) gram[i][j] = dot(w[i], w[j]);
		for (int i = 0; i < m; i++) {
			regression[i] = unit(w[i]);
			// pseudo-inverse row: v = Wᵀ (W Wᵀ)⁻¹ e_i, so that w_j · v = δ_ij
			double[] e = new double[m];
			e[i] = 1;
			double[] a = choleskySolve(gram, e);
			double[] v = new double[d];
			for (int j = 0; j < m; j++) for (int c = 0; c < d; c++) v[c] += a[j] * w[j][c];
			nulled[i] = unit(v);
		}
		return new Fit(List.copyOf(factors), index.stream().mapToInt(Integer::intValue).toArray(), w, r2, samples, regression, nulled, List.copyOf(unseen));
	}

	/** Ridge regression with an (unpenalised) intercept: centres x and y, solves (XᵀX + λI) w = Xᵀy; r2[0] receives the fit's R². */
	static double[] ridge(double[][] x, double[] y, double lambda, double[] r2) {
		int n = y.length, d = x[0].length;
		double[] mx = new double[d];
		double my = 0;
		for (int r = 0; r < n; r++) {
			my += y[r] / n;
			for (int c = 0; c < d; c++) mx[c] += x[r][c] / n;
		}
		double[][] a = new double[d][d];
		double[] b = new double[d];
		for (int r = 0; r < n; r++)
			for (int c = 0; c < d; c++) {
				double xc = x[r][c] - mx[c];
				b[c] += xc * (y[r] - my);
				for (int c2 = 0; c2 <= c; c2++) a[c][c2] += xc * (x[r][c2] - mx[c2]);
			}
		for (int c = 0; c < d; c++) {
			a[c][c] += lambda;
			for (int c2 = 0; c2 < c; c2++) a[c2][c] = a[c][c2];
		}
		double[] w = choleskySolve(a, b);
		double ssRes = 0, ssTot = 0;
		for (int r = 0; r < n; r++) {
			double pred = my;
			for (int c = 0; c < d; c++) pred += w[c] * (x[r][c] - mx[c]);
			ssRes += (y[r] - pred) * (y[r] - pred);
			ssTot += (y[r] - my) * (y[r] - my);
		}
		r2[0] = ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
		return w;
	}

	/** Solves A·x = b for a symmetric positive definite A (Cholesky A = L·Lᵀ, then two triangular solves). */
	static double[] choleskySolve(double[][] a, double[] b) {
		int n = b.length;
		double[][] l = new double[n][n];
		for (int i = 0; i < n; i++)
			for (int j = 0; j <= i; j++) {
				double s = a[i][j];
				for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
				if (i == j) {
					if (s <= 0) throw new ExplorerException("The supervised fit is degenerate (two factors move along the same latent direction).");
					l[i][i] = Math.sqrt(s);
				} else l[i][j] = s / l[j][j];
			}
		double[] y = new double[n], x = new double[n];
		for (int i = 0; i < n; i++) {
			double s = b[i];
			for (int k = 0; k < i; k++) s -= l[i][k] * y[k];
			y[i] = s / l[i][i];
		}
		for (int i = n - 1; i >= 0; i--) {
			double s = y[i];
			for (int k = i + 1; k < n; k++) s -= l[k][i] * x[k];
			x[i] = s / l[i][i];
		}
		return x;
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}

	private static float[] unit(double[] v) {
		double norm = Math.sqrt(dot(v, v));
		float[] u = new float[v.length];
		for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
		return u;
	}
}
