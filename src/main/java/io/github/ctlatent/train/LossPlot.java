package io.github.ctlatent.train;

import ij.gui.Plot;
import io.github.ctlatent.view.Pictures;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The loss curves of a run as an ImageJ {@link Plot}, saved as PNG (works headless). */
final class LossPlot {

	private static final Color[] COLORS = {Color.BLUE, Color.RED, new Color(0, 140, 0), Color.MAGENTA, Color.ORANGE, Color.CYAN.darker(), Color.GRAY};
	/** Per-iteration losses; evaluation figures (swd, held-out errors) have their own scale and are left out. */
	private static final Set<String> NOT_LOSSES = Set.of("iteration", "swd", "d_real", "d_fake");

	private LossPlot() {}

	static Plot plot(List<Map<String, Double>> rows) {
		Plot plot = new Plot("Training losses", "iteration", "loss");
		Set<String> keys = new LinkedHashSet<>();
		for (Map<String, Double> r : rows) keys.addAll(r.keySet());
		int c = 0;
		StringBuilder legend = new StringBuilder();
		for (String k : keys) {
			if (NOT_LOSSES.contains(k) || k.startsWith("heldout") || k.startsWith("baseline")) continue;
			List<Double> x = new ArrayList<>(), y = new ArrayList<>();
			for (Map<String, Double> r : rows)
				if (r.containsKey(k)) {
					x.add(r.get("iteration"));
					y.add(r.get(k));
				}
			if (x.isEmpty()) continue;
			plot.setColor(COLORS[c++ % COLORS.length]);
			plot.addPoints(x.stream().mapToDouble(Double::doubleValue).toArray(), smooth(y), Plot.LINE);
			legend.append(k).append('\n');
		}
		plot.setColor(Color.BLACK);
		plot.addLegend(legend.toString());
		plot.setLimitsToFit(false);
		return plot;
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

	static void save(List<Map<String, Double>> rows, Path file) {
		if (rows.isEmpty()) return;
		Pictures.savePng(plot(rows).getProcessor(), file);
	}
}
