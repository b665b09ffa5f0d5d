package io.github.ctlatent.train;

import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.ctlatent.view.Pictures;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The curves of a run as ImageJ {@link Plot}s stacked into one PNG (works headless): one panel per loss, each on its
 * own scale (a VAE's KL in nats and its log-MSE loss share no useful axis), then the evaluation figures — sample
 * quality (SWD, log scale) and, for a VAE, the held-out reconstruction error against the mean-image baseline.
 */
final class LossPlot {

	private static final Color[] COLORS = {Color.BLUE, Color.RED, new Color(0, 140, 0), Color.MAGENTA, Color.ORANGE, Color.CYAN.darker(), Color.GRAY};
	/** Figures that are not per-iteration losses (the discriminator's outputs are read off the losses). */
	private static final Set<String> NOT_LOSSES = Set.of("iteration", "swd", "d_real", "d_fake", "heldout_improvement");
	private static final int WIDTH = 640, HEIGHT = 150;

	private LossPlot() {}

	/** The panels, top to bottom. */
	static List<Plot> plots(List<Map<String, Double>> rows) {
		Set<String> keys = new LinkedHashSet<>();
		for (Map<String, Double> r : rows) keys.addAll(r.keySet());
		List<Plot> plots = new ArrayList<>();
		int c = 0;
		for (String k : keys) {
			if (NOT_LOSSES.contains(k) || k.startsWith("heldout") || k.startsWith("baseline")) continue;
			Plot p = panel(k + " (running mean)", k);
			if (add(p, rows, k, COLORS[c++ % COLORS.length], true)) plots.add(p);
		}
		Plot swd = panel("sample quality: sliced Wasserstein distance to held-out slices", "swd");
		if (add(swd, rows, "swd", Color.BLACK, false)) plots.add(swd);
		Plot rec = panel("held-out reconstruction MSE (red) vs mean image (gray)", "MSE");
		if (add(rec, rows, "heldout_mse", Color.RED, false)) {
			add(rec, rows, "baseline_mse", Color.GRAY, false);
			plots.add(rec);
		}
		return plots;
	}

	private static Plot panel(String title, String yLabel) {
		Plot p = new Plot(title, "iteration", yLabel);
		p.setSize(WIDTH, HEIGHT);
		p.addLabel(0.01, 0.08, title);
		return p;
	}

	/**
	 * Adds series {@code key} (smoothed when {@code smooth}) and fits the axes to everything added so far, on a log
	 * scale when the panel asks for it or the values are positive and span more than a decade (a VAE's MSE falls from
	 * ≈ 1 to ≈ 0.005); false when the run has no value for it.
	 */
	private static boolean add(Plot p, List<Map<String, Double>> rows, String key, Color color, boolean smooth) {
		List<Double> x = new ArrayList<>(), y = new ArrayList<>();
		for (Map<String, Double> r : rows)
			if (r.get(key) != null && Double.isFinite(r.get(key))) {
				x.add(r.get("iteration"));
				y.add(r.get(key));
			}
		if (x.isEmpty()) return false;
		double[] xs = x.stream().mapToDouble(Double::doubleValue).toArray();
		double[] ys = smooth ? smooth(y) : y.stream().mapToDouble(Double::doubleValue).toArray();
		p.setColor(color);
		p.addPoints(xs, ys, smooth ? Plot.LINE : Plot.CONNECTED_CIRCLES);
		double[] lim = p.getLimits();
		boolean first = lim == null || lim.length < 4 || Double.isNaN(lim[0]) || p.getNumPlotObjects() <= 1;
		double x1 = xs[xs.length - 1], y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
		for (double v : ys) {
			y0 = Math.min(y0, v);
			y1 = Math.max(y1, v);
		}
		if (!first) {
			x1 = Math.max(x1, lim[1]);
			y0 = Math.min(y0, lim[2]);
			y1 = Math.max(y1, lim[3]);
		}
		boolean log = y0 > 0 && (p.getFlags() & Plot.Y_LOG_NUMBERS) != 0 || y0 > 0 && y1 / y0 > 10;
		p.setAxisYLog(log);
		if (log) p.setLimits(0, Math.max(x1, 1), y0 / 1.2, y1 * 1.2);
		else {
			double m = y1 > y0 ? 0.05 * (y1 - y0) : Math.max(1e-6, Math.abs(y1) * 0.05);
			p.setLimits(0, Math.max(x1, 1), y0 - m, y1 + m);
		}
		return true;
	}

	/** Running mean over ~1% of the run: raw GAN losses are too noisy to read. */
	static double[] smooth(List<Double> y) {
		int w = Math.max(1, y.size() / 100);
		double[] out = new double[y.size()];
		double sum = 0;
		for (int i = 0; i < y.size(); i++) {
			sum += y.get(i);
			if (i >= w) sum -= y.get(i - w);
			out[i] = sum / Math.min(i + 1, w);
		}
		return out;
	}

	/** The panels stacked vertically. */
	static ImageProcessor image(List<Map<String, Double>> rows) {
		List<ImageProcessor> panels = new ArrayList<>();
		for (Plot p : plots(rows)) panels.add(p.getProcessor());
		int w = 0, h = 0;
		for (ImageProcessor ip : panels) {
			w = Math.max(w, ip.getWidth());
			h += ip.getHeight();
		}
		ColorProcessor out = new ColorProcessor(Math.max(w, 1), Math.max(h, 1));
		out.setColor(Color.WHITE);
		out.fill();
		int y = 0;
		for (ImageProcessor ip : panels) {
			out.insert(ip.convertToRGB(), 0, y);
			y += ip.getHeight();
		}
		return out;
	}

	static void save(List<Map<String, Double>> rows, Path file) {
		if (rows.isEmpty()) return;
		Pictures.savePng(image(rows), file);
	}
}
