package io.github.ctlatent.traverse;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.model.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What "Project Slice to Latent" reports: the summary line and the output folder's three files. */
public final class ProjectionReport {

	private ProjectionReport() {}

	static String summary(List<SliceProjections.Row> rows, double huPerUnit, double seconds) {
		double[] p = new double[rows.size()], r = new double[rows.size()], m = new double[rows.size()];
		for (int i = 0; i < rows.size(); i++) {
			p[i] = rows.get(i).result().mse();
			r[i] = rows.get(i).result().randomMse();
			m[i] = rows.get(i).meanImageMse();
		}
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Projected %d slice(s) in %.1f s (%.2f s per slice). Pixel MSE (model units): projection %s",
			rows.size(), seconds, seconds / rows.size(), meanSd(p)));
		if (Double.isFinite(huPerUnit)) sb.append(String.format(Locale.ROOT, " (RMSE %.0f HU)", Math.sqrt(mean(p)) * huPerUnit));
		sb.append(", best random code ").append(meanSd(r));
		if (!Double.isNaN(mean(m))) sb.append(", mean training image ").append(meanSd(m));
		return sb.append('.').toString();
	}

	private static String meanSd(double[] v) {
		return String.format(Locale.ROOT, "%.4f ± %.4f", mean(v), sampleSd(v));
	}

	/** The mean of per-slice figures (the report's and {@code bench projection}'s). */
	public static double mean(double[] v) {
		double s = 0;
		for (double x : v) s += x;
		return s / v.length;
	}

	/** Their sample standard deviation (n − 1; 0 for one slice). */
	public static double sampleSd(double[] v) {
		if (v.length < 2) return 0;
		double mu = mean(v), ss = 0;
		for (double x : v) ss += (x - mu) * (x - mu);
		return Math.sqrt(ss / (v.length - 1));
	}

	/** Writes latents.txt, projection.csv and projection.json into {@code output} by a folder swap (only over a projection of ours). */
	static void write(Path output, SliceProjections.Report r, Generator g, Projection.Settings s, Map<String, Path> inputs) {
		StringBuilder latents = new StringBuilder("# Project Slice to Latent: one latent per line, for Traverse Directions' latents=\n");
		StringBuilder csv = new StringBuilder("line,slice,mse,rmse_hu,random_mse,mean_image_mse,from_encoder\n");
		List<Map<String, Object>> perSlice = new ArrayList<>();
		for (int i = 0; i < r.rows().size(); i++) {
			SliceProjections.Row row = r.rows().get(i);
			Projection.Result x = row.result();
			latents.append("# ").append(row.name()).append(String.format(Locale.ROOT, ": MSE %.5f%n", x.mse())).append(Bases.format(x.z())).append('\n');
			csv.append(String.format(Locale.ROOT, "%d,\"%s\",%.6g,%s,%.6g,%s,%b%n", 2 * i + 3, row.name().replace("\"", "\"\""), x.mse(), hu(x.mse(), r.huPerUnit()), x.randomMse(),
				Double.isNaN(row.meanImageMse()) ? "" : String.format(Locale.ROOT, "%.6g", row.meanImageMse()), x.fromEncoder()));
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("slice", row.name());
			m.put("mse", x.mse());
			m.put("randomMse", x.randomMse());
			if (!Double.isNaN(row.meanImageMse())) m.put("meanImageMse", row.meanImageMse());
			m.put("fromEncoder", x.fromEncoder());
			perSlice.add(m);
		}
		Map<String, Object> card = new LinkedHashMap<>();
		card.put("tool", "Project Slice to Latent");
		inputs.forEach((k, v) -> {
			if (v != null) card.put(k, v.toAbsolutePath().toString());
		});
		card.put("generator", g.fingerprint());
		card.put("device", String.valueOf(g.device()));
		card.put("settings", s);
		card.put("summary", r.summary());
		if (Double.isFinite(r.huPerUnit())) card.put("huPerModelUnit", r.huPerUnit());
		card.put("results", perSlice);
		AtomicFiles.replaceFolderVia(output, Outputs.replaceable(SliceProjections.CARD), tmp -> {
			Files.createDirectories(tmp);
			Files.writeString(tmp.resolve(SliceProjections.LATENTS), latents);
			Files.writeString(tmp.resolve(SliceProjections.TABLE), csv);
			Json.write(tmp.resolve(SliceProjections.CARD), card);
		});
	}

	private static String hu(double mse, double huPerUnit) {
		return Double.isFinite(huPerUnit) ? String.format(Locale.ROOT, "%.1f", Math.sqrt(mse) * huPerUnit) : "";
	}
}
