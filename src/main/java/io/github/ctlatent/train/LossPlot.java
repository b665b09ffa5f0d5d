package io.github.ctlatent.train;

import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.ctlatent.picture.Pictures;

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
	private static final Set<String> NOT_LOSSES = Set.of("iteration", "swd", "d_real", "d_fake", "heldout_improvement", "teacher_fit", "teacher_fit_min");
	private static final int WIDTH = 640, HEIGHT = 150;

	private LossPlot() {}

	/** One curve of a panel: a metrics column, its colour, and whether it is a noisy per-iteration loss to smooth. */
	private record Series(String key, Color color, boolean smooth) {}

	/** The panels, top to bottom. */
	static List<Plot> plots(List<Map<String, Double>> rows) {
		Set<String> keys = new LinkedHashSet<>();
		for (Map<String, Double> r : rows) keys.addAll(r.keySet());
		List<Plot> plots = new ArrayList<>();
		int c = 0;
		for (String k : keys) {
			if (NOT_LOSSES.contains(k) || k.startsWith("heldout") || k.startsWith("baseline")) continue;
			panel(plots, rows, k + " (running mean)", k, new Series(k, COLORS[c++ % COLORS.length], true));
		}
		panel(plots, rows, "sample quality: sliced Wasserstein distance to held-out slices", "swd", new Series("swd", Color.BLACK, false));
		panel(plots, rows, "held-out reconstruction MSE (red) vs mean image (gray)", "MSE",
			new Series("heldout_mse", Color.RED, false), new Series("baseline_mse", Color.GRAY, false));
		return plots;
	}

	/**
	 * Adds a panel of {@code series} to {@code plots} when the run has values for the first one, with axes fitted to
	 * all of them: a log y axis when the values are positive and span more than a decade (a VAE's MSE falls from ≈ 1
	 * to ≈ 0.005), a linear one with a 5% margin otherwise.
	 */
	private static void panel(List<Plot> plots, List<Map<String, Double>> rows, String title, String yLabel, Series... series) {
		Plot p = new Plot(title, "iteration", yLabel);
		p.setSize(WIDTH, HEIGHT);
		p.addLabel(0.01, 0.08, title);
		double x1 = 1, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
		for (Series sr : series) {
			List<Double> x = new ArrayList<>(), y = new ArrayList<>();
			for (Map<String, Double> r : rows)
				if (r.get(sr.key()) != null && Double.isFinite(r.get(sr.key()))) {
					x.add(r.get("iteration"));
					y.add(r.get(sr.key()));
				}
			if (x.isEmpty()) {
				if (sr == series[0]) return;
				continue;
			}
			double[] ys = sr.smooth() ? smooth(y) : y.stream().mapToDouble(Double::doubleValue).toArray();
			p.setColor(sr.color());
			p.addPoints(x.stream().mapToDouble(Double::doubleValue).toArray(), ys, sr.smooth() ? Plot.LINE : Plot.CONNECTED_CIRCLES);
			x1 = Math.max(x1, x.get(x.size() - 1));
			for (double v : ys) {
				y0 = Math.min(y0, v);
				y1 = Math.max(y1, v);
			}
		}
		boolean log = y0 > 0 && y1 / y0 > 10;
		p.setAxisYLog(log);
		if (log) p.setLimits(0, x1, y0 / 1.2, y1 * 1.2);
		else {
			double m = y1 > y0 ? 0.05 * (y1 - y0) : Math.max(1e-6, Math.abs(y1) * 0.05);
			p.setLimits(0, x1, y0 - m, y1 + m);
		}
		plots.add(p);
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
