package io.github.ctlatent.evaluate;

import java.util.Arrays;

/** The few robust statistics the scores are made of (written here so that scoring shares no code with discovery). */
public final class Stats {

	private Stats() {}

	/** The p-th percentile (0–100) with linear interpolation between order statistics; NaN for no values. NaNs are ignored. */
	public static double percentile(double[] values, double p) {
		double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
		if (v.length == 0) return Double.NaN;
		double pos = p / 100 * (v.length - 1);
		int lo = (int) Math.floor(pos), hi = Math.min(v.length - 1, lo + 1);
		return v[lo] + (pos - lo) * (v[hi] - v[lo]);
	}

	public static double median(double[] values) {
		return percentile(values, 50);
	}

	/** Spearman's rank correlation (average ranks for ties); NaN when either side is constant. */
	public static double spearman(double[] x, double[] y) {
		return pearson(ranks(x), ranks(y));
	}

	public static double pearson(double[] x, double[] y) {
		double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
		for (int i = 0; i < x.length; i++) {
			sxy += (x[i] - mx) * (y[i] - my);
			sxx += (x[i] - mx) * (x[i] - mx);
			syy += (y[i] - my) * (y[i] - my);
		}
		return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
	}

	static double[] ranks(double[] v) {
		Integer[] order = new Integer[v.length];
		for (int i = 0; i < v.length; i++) order[i] = i;
		Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
		double[] r = new double[v.length];
		for (int i = 0; i < v.length; ) {
			int j = i;
			while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
			for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0 + 1;
			i = j + 1;
		}
		return r;
	}

	public static double mean(double[] v) {
		double s = 0;
		for (double x : v) s += x;
		return s / v.length;
	}

	/** Population standard deviation. */
	public static double std(double[] v) {
		double m = mean(v), s = 0;
		for (double x : v) s += (x - m) * (x - m);
		return Math.sqrt(s / v.length);
	}

	/** Coefficient of variation of the steps v[i+1] − v[i]: std / |mean| (∞ when the steps cancel out). */
	public static double stepCv(double[] v) {
		double[] d = new double[v.length - 1];
		for (int i = 0; i < d.length; i++) d[i] = v[i + 1] - v[i];
		double m = Math.abs(mean(d));
		return m > 0 ? std(d) / m : Double.POSITIVE_INFINITY;
	}

	/** Least-squares coefficients {c0, c1, c2} of c0 + c1·x + c2·x² through the points {x, y} (at least 3). */
	public static double[] quadraticFit(java.util.List<double[]> pts) {
		double[][] a = new double[3][4];
		for (double[] p : pts) {
			double[] row = {1, p[0], p[0] * p[0]};
			for (int i = 0; i < 3; i++) {
				for (int j = 0; j < 3; j++) a[i][j] += row[i] * row[j];
				a[i][3] += row[i] * p[1];
			}
		}
		for (int c = 0; c < 3; c++) { // Gauss-Jordan with partial pivoting on the 3x3 normal equations
			int piv = c;
			for (int r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
			double[] tmp = a[c];
			a[c] = a[piv];
			a[piv] = tmp;
			if (Math.abs(a[c][c]) < 1e-12) return new double[] {Double.NaN, Double.NaN, Double.NaN};
			for (int r = 0; r < 3; r++) {
				if (r == c) continue;
				double f = a[r][c] / a[c][c];
				for (int j = c; j < 4; j++) a[r][j] -= f * a[c][j];
			}
		}
		return new double[] {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
	}
}
