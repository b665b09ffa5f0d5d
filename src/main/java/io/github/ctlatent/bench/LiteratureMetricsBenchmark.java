package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.discover.DiscoverySettings;
import io.github.ctlatent.discover.Pca;
import io.github.ctlatent.discover.SeFa;
import io.github.ctlatent.evaluate.GeneratedSample;
import io.github.ctlatent.evaluate.LiteratureMetrics;
import io.github.ctlatent.evaluate.PhantomFactorSample;
import io.github.ctlatent.evaluate.WalkReader;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import io.github.ctlatent.traverse.Directions;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIG, DCI, SAP and the FactorVAE score (Khrulkov et al. 2021's protocol, {@link LiteratureMetrics}) of the
 * directions Discover Directions makes on the shipped models: SeFa, PCA (GANSpace on the GAN's first layer; on the
 * VAE, PCA of posterior means, here of the phantom sample's slices), random orthonormal and the coordinate axes,
 * K = 10 ({@code -Dbench.k}; the first 10 of each, by eigenvalue where the method ranks them); plus any direction set given as {@code -Dbench.directions=gan:/path/directions.json,vae:…}
 * (e.g. Voynov–Babenko). One phantom sample serves every row. Prints a markdown table (also written to
 * {@code target/literature-metrics.md}). Knobs: {@code -Dbench.models=gan,vae}, {@code -Dbench.methods=sefa,pca,random,axes},
 * {@code -Dbench.iterations} (encoder), {@code -Dbench.patients} (pool), {@code -Dbench.seed}; {@code -Dbench.ceiling=false} drops
 * the reference row of the exact factors as codes.
 */
@Plugin(type = Benchmark.class, name = "literature-metrics",
	description = "MIG / DCI / SAP / FactorVAE of SeFa, PCA, random and axis directions on the shipped models (Khrulkov et al. 2021 protocol)")
public class LiteratureMetricsBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		Path home = Path.of(System.getProperty("ctlatent.home", "."));
		LiteratureMetrics.Settings d = LiteratureMetrics.Settings.defaults();
		PhantomFactorSample.Settings ds = d.data();
		long seed = Long.getLong("bench.seed", d.seed());
		PhantomFactorSample.Settings data = new PhantomFactorSample.Settings(Integer.getInteger("bench.patients", ds.patients()), ds.slices(),
			ds.perPatient(), ds.testFraction(), ds.groups(), ds.groupPatients(), ds.groupSlices(), ds.votesPerGroup(), ds.voteBatch(), ds.seed());
		LiteratureMetrics.Settings s = new LiteratureMetrics.Settings(Integer.getInteger("bench.iterations", d.iterations()), d.batchSize(),
			d.learningRate(), d.width(), Integer.getInteger("bench.generated", d.generated()), d.heldOut(), data, seed);
		List<String> methods = List.of(System.getProperty("bench.methods", "sefa,pca,random,axes").split(","));
		Map<String, String> extra = new LinkedHashMap<>();
		for (String e : System.getProperty("bench.directions", "").split(","))
			if (e.contains(":")) extra.put(e.substring(0, e.indexOf(':')) + "|" + e.substring(e.indexOf(':') + 1), e.substring(e.indexOf(':') + 1));
		List<Measurement> out = new ArrayList<>();
		StringBuilder md = new StringBuilder("| model | ").append(LiteratureMetrics.Result.HEADER.substring(2));
		md.insert(md.indexOf("\n") + 1, "|---");
		long t0 = System.nanoTime();
		PhantomFactorSample sample = null;
		for (String m : System.getProperty("bench.models", "gan,vae").split(",")) {
			Path model = home.resolve("models").resolve("phantom-" + m);
			if (!Files.isDirectory(model)) {
				monitor.log("no " + model + ": skipped");
				continue;
			}
			try (Generator g = Models.load(model, Device.cpu())) {
				if (sample == null || sample.size() != g.imageSize()) {
					long r0 = System.nanoTime();
					sample = PhantomFactorSample.render(g.imageSize(), s.data(), monitor);
					out.add(new Measurement("phantom sample " + sample.images().length + " images", (System.nanoTime() - r0) / 1e9, "s"));
					if (Boolean.parseBoolean(System.getProperty("bench.ceiling", "true")))
						md.append("| phantom ").append(LiteratureMetrics.exactFactors(sample).row()).append('\n');
				}
				Map<String, Directions> sets = new LinkedHashMap<>();
				// K = 10 as Khrulkov et al. (for comparison with the 10-dimensional VAEs of Locatello et al. 2019)
				int k = Math.min(g.latentDim(), Integer.getInteger("bench.k", 10));
				for (String method : methods)
					switch (method.trim()) {
						case "sefa" -> sets.put("SeFa", Directions.of(SeFa.directions(g, k, DiscoverySettings.paper().sefaNormalize())));
						case "pca" -> sets.put("PCA", Directions.of(pca(g, model, m, sample, k, seed)));
						case "random" -> sets.put("random orthonormal", Directions.of(WalkReader.randomOrthonormal(g.latentDim(), k, seed + 303)));
						case "axes" -> sets.put("coordinate axes", Directions.of(java.util.Arrays.copyOf(WalkReader.axes(g.latentDim()), k)));
						default -> monitor.log("unknown method '" + method + "' skipped (sefa, pca, random, axes)");
					}
				extra.forEach((key, file) -> {
					if (key.startsWith(m + "|")) {
						DirectionSet set = DirectionSet.load(Path.of(file));
						set.requireGenerator(g);
						sets.put(set.method() + (set.deformator() == null ? "" : "/" + set.deformator().id()) + " (" + Path.of(file).getParent().getFileName()
							+ ")", Directions.of(set));
					}
				});
				long g0 = System.nanoTime();
				GeneratedSample generated = GeneratedSample.of(g, s.generated(), seed + 17, monitor);
				out.add(new Measurement(m + ": generated sample " + s.generated() + " images", (System.nanoTime() - g0) / 1e9, "s"));
				for (Map.Entry<String, Directions> e : sets.entrySet()) {
					LiteratureMetrics.Result r = LiteratureMetrics.of(g, e.getValue()).name(e.getKey()).settings(s).sample(sample).generated(generated)
						.measure(monitor);
					md.append("| ").append(m).append(" ").append(r.row()).append('\n');
					String what = m + " " + e.getKey();
					out.add(new Measurement(what + " MIG", r.mig(), ""));
					out.add(new Measurement(what + " DCI D / C / I", r.dci().disentanglement(), "",
						String.format(java.util.Locale.ROOT, "C %.3f, I %.3f", r.dci().completeness(), r.dci().informativeness())));
					out.add(new Measurement(what + " SAP", r.sap(), ""));
					out.add(new Measurement(what + " FactorVAE", r.factorVae(), "", r.activeCodes() + " active codes"));
					out.add(new Measurement(what + " encoder R² / time", r.encoderR2(), "", String.format(java.util.Locale.ROOT, "%.0f s", r.seconds())));
				}
			}
		}
		out.add(new Measurement("total", (System.nanoTime() - t0) / 1e9, "s"));
		System.out.println(md);
		Files.createDirectories(home.resolve("target"));
		Files.writeString(home.resolve("target/literature-metrics.md"), md + "\nmachine: " + Benchmarks.machine() + "\n");
		return out;
	}

	/** Discover Directions' PCA: GANSpace on a GAN; on a VAE, PCA of posterior means (here of the phantom sample's pool slices). */
	private static DirectionSet pca(Generator g, Path model, String kind, PhantomFactorSample sample, int k, long seed) {
		if (!"vae".equals(kind)) return Pca.ofGenerator(g, k, DiscoverySettings.paper().closedFormSamples(), seed);
		float[][] all = sample.images();
		int[] pool = sample.trainPool();
		float[][] images = new float[Math.min(pool.length, 4096)][];
		for (int i = 0; i < images.length; i++) images[i] = all[pool[i]];
		try (VaeEncoder enc = VaeEncoder.load(model, Device.cpu())) {
			return Pca.ofLatents(enc.encode(images), k, g.fingerprint());
		}
	}
}
