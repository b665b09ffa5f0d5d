package io.github.ctlatent.discover;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.OutputLock;
import io.github.ctlatent.core.Outputs;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.VaeEncoder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point of direction discovery: runs the chosen method on a frozen generator and writes, into
 * {@code outDir}, {@code directions.json} (the {@link DirectionSet}) and {@code report.json} (the
 * {@link DiscoveryReport}); Voynov runs also leave {@code reconstructor.params} and a resumable
 * {@code checkpoint.bin} (baselines in {@code baseline-random/} and {@code baseline-id/}), DisCo runs the checkpoint
 * and their encoder ({@link DiscoEncoder}). Running again with the
 * same settings and folder resumes an interrupted run.
 */
public final class Discovery {

	/**
	 * Most directions one run may have: the reconstructor classifies among K, and the pixel-change statistic renders
	 * 2·K·samples images (K = 1,024 at 64² takes minutes on a CPU; the paper uses 100).
	 */
	public static final int MAX_DIRECTIONS = 1024;

	private Discovery() {}

	/** The direction set and the run's summary. */
	public record Result(DirectionSet directions, DiscoveryReport report) {

		/** One line: what was found (RCA against baselines, or the PCA's input) and where it was written. */
		public String summary() {
			if (report.settings().containsKey("slices")) // posterior PCA/ICA: settings name the slice set it encoded
				return report.method() + " of " + report.settings().get("codes") + " VAE posterior means: " + report.directions() + " directions -> " + directions.source();
			return report.summary() + " -> " + directions.source();
		}
	}

	/**
	 * Discovery from files, as the command and scripts run it: loads the model at {@code model} on {@code device}
	 * (auto, cpu, gpu, gpu:N) and runs {@code s}; PCA or ICA with a slice set ({@code slices}, may be null) analyses
	 * a VAE's posterior means of those slices instead of the generator's features. The output must lie apart from
	 * the inputs.
	 */
	public static Result discover(Path model, DiscoverySettings s, Path slices, Path outDir, String device, Monitor m) {
		Map<String, Path> inputs = new LinkedHashMap<>();
		inputs.put("model", model);
		if (slices != null) inputs.put("slices", slices);
		Outputs.requireApart("output", outDir, inputs);
		try (Generator g = io.github.ctlatent.model.Models.load(model, Engines.device(device, m), m)) {
			if (slices != null && (s.method() == DiscoverySettings.Method.PCA || s.method() == DiscoverySettings.Method.ICA))
				return posteriorCodes(g, model, slices, s, outDir, m);
			return discover(g, s, outDir, m);
		}
	}

	/** Runs discovery and returns the saved direction set. */
	public static DirectionSet run(Generator g, DiscoverySettings s, Path outDir, Monitor m) {
		return discover(g, s, outDir, m).directions();
	}

	/**
	 * Runs discovery and returns the saved direction set with the run's summary. {@code outDir} must be new, empty
	 * or a discovery folder (which is resumed); it is locked while the run writes it.
	 */
	public static Result discover(Generator g, DiscoverySettings s, Path outDir, Monitor m) {
		int d = g.latentDim(), k = s.directionsFor(d);
		if (k > MAX_DIRECTIONS)
			throw new ExplorerException("directions=" + k + " is more than " + MAX_DIRECTIONS + " directions: the statistics alone would render "
				+ 2L * k * s.statsSamples() + " images. Use at most " + MAX_DIRECTIONS + " (the paper uses 100; 0 gives the latent size, " + d + ").");
		try (OutputLock lock = claim(outDir, m)) {
			return discover(g, s, k, outDir, m);
		}
	}

	/**
	 * Removes the temporary files of killed runs (checkpoints are replaced atomically, so nothing else needs
	 * recovering), refuses a folder that is neither new, empty nor a discovery folder (it is resumed from, so
	 * written in place), and locks it.
	 */
	private static OutputLock claim(Path outDir, Monitor m) {
		int cleaned = 0;
		for (String sub : new String[] {"", "baseline-random", "baseline-id"}) cleaned += AtomicFiles.cleanLeftovers(outDir.resolve(sub));
		if (cleaned > 0) m.log("Removed " + cleaned + " temporary file(s) left in " + outDir + " by a killed run");
		Outputs.requireFreeFolder("output", outDir, true, "discovery folder", DirectionSet.FILE_NAME, VoynovBabenko.CHECKPOINT, DiscoveryReport.FILE_NAME);
		return OutputLock.acquire(outDir, "Discover Directions", m);
	}

	private static Result discover(Generator g, DiscoverySettings s, int k, Path outDir, Monitor m) {
		long t0 = System.nanoTime();
		int d = g.latentDim();
		m.log("Direction discovery: " + s.method().id() + " on generator " + g.fingerprint() + " (latent " + d + ", images " + g.imageSize()
			+ "²), " + k + " directions, device " + g.device() + ", output " + outDir);
		if (s.method() == DiscoverySettings.Method.DISCO)
			m.log("Note: disco is experimental — it does not yet pass its known answer (DiscoTest, docs/usage.md); do not read its directions as factors without evaluating them.");
		Engines.seed(s.seed());
		DirectionSet set;
		DiscoveryReport report;
		switch (s.method()) {
			case SEFA, PCA, ICA, JACOBIAN -> {
				set = switch (s.method()) {
					case SEFA -> SeFa.directions(g, k, s.sefaNormalize());
					case PCA -> Pca.ofGenerator(g, k, s.closedFormSamples(), s.seed());
					case ICA -> Ica.ofGenerator(g, k, s.closedFormSamples(), s.seed(), m);
					default -> JacobianMetric.directions(g, k, s.jacobianBases(), s.jacobianProbes(), s.seed(), m);
				};
				report = DiscoveryReport.untrained(s.method().id(), null, k, d, g.fingerprint(), set.settings());
			}
			case DISCO -> {
				DiscoEncoder.Fitted fit;
				try (Disco run = new Disco(g, s, k, m)) {
					fit = run.trainAndFit(outDir);
					set = run.directionSet(fit.accuracy());
				}
				ReconstructorAccuracy.Result acc = fit.accuracy();
				m.log(String.format("disco: the encoder names the direction of %.1f%% of %d fresh pairs from their variation alone (chance %.1f%%)",
					100 * acc.overall(), acc.samples(), 100 * acc.chance()));
				report = new DiscoveryReport(s.method().id(), s.deformator().id(), k, d, g.fingerprint(), s.steps(), acc.overall(), acc.chance(), null, null,
					null, null, acc.samples(), 0, set.settings());
			}
			default -> {
				if (!s.deformator().trainable() && s.steps() == 0) { // random / id on their own: fixed directions, nothing to train
					try (VoynovBabenko run = new VoynovBabenko(g, s, s.deformator(), k, m)) {
						set = run.directionSet(null);
					}
					m.log(s.deformator().id() + " directions are fixed: written without training a reconstructor (no RCA; ask for it with baseline_rca=true)");
					report = DiscoveryReport.untrained(s.method().id(), s.deformator().id(), k, d, g.fingerprint(), set.settings());
					break;
				}
				ReconstructorAccuracy.Result acc;
				try (VoynovBabenko run = new VoynovBabenko(g, s, s.deformator(), k, m)) {
					acc = run.trainAndValidate(outDir);
					set = run.directionSet(acc);
				}
				m.log(String.format("%s validation RCA %.3f on %d fresh pairs (chance %.3f)", s.deformator().id(), acc.overall(), acc.samples(), acc.chance()));
				Double random = null, id = null;
				int kb = Math.min(k, d);
				if (s.baselines()) {
					random = baseline(g, s, DeformatorType.RANDOM, kb, outDir, m);
					id = baseline(g, s, DeformatorType.ID, kb, outDir, m);
				}
				report = new DiscoveryReport(s.method().id(), s.deformator().id(), k, d, g.fingerprint(), s.steps(), acc.overall(), acc.chance(), random,
					id, s.baselines() ? kb : null, s.baselines() ? 1.0 / kb : null, acc.samples(), 0, set.settings());
			}
		}
		if (s.statsSamples() > 0) {
			m.progress(0, 1, "measuring pixel change per direction");
			set = DirectionStats.measure(g, set, s.statsSamples(), s.seed(), m);
		}
		set = set.save(outDir.resolve(DirectionSet.FILE_NAME)); // refuses NaN/Inf or zero directions
		report = withSeconds(report, (System.nanoTime() - t0) / 1e9);
		Json.write(outDir.resolve(DiscoveryReport.FILE_NAME), report);
		m.log(report.summary());
		m.log("Wrote " + set.source());
		return new Result(set, report);
	}

	/** Most real slices whose posterior means {@link #posteriorCodes} analyses (spread evenly over the set). */
	public static final int MAX_POSTERIOR_SLICES = 4096;

	/**
	 * PCA of a VAE's posterior means of real slices (a peer of docs/method.md §4.6; the VAE bases of
	 * docs/evaluation.md §3): the encoder of the run folder {@code vaeRun} encodes up to {@link #MAX_POSTERIOR_SLICES}
	 * slices of {@code slices}; {@code decoder} is that run's generator (tying the directions to it). Writes
	 * {@code directions.json} and {@code report.json} (its settings' {@code codes}: how many means) like every other method; {@code directions} 0 means the latent size.
	 */
	public static Result posteriorPca(Generator decoder, Path vaeRun, Path slices, int directions, Path outDir, Monitor m) {
		return posteriorCodes(decoder, vaeRun, slices, DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.PCA).directions(directions).build(),
			outDir, m);
	}

	/** {@link #posteriorPca}, or FastICA of the same codes when {@code s} asks for ICA (seeded by {@code s.seed()}). */
	public static Result posteriorCodes(Generator decoder, Path vaeRun, Path slices, DiscoverySettings s, Path outDir, Monitor m) {
		try (OutputLock lock = claim(outDir, m)) {
			return posteriorCodes(decoder, vaeRun, SliceSet.open(slices), slices, s, outDir, m);
		}
	}

	private static Result posteriorCodes(Generator decoder, Path vaeRun, SliceSet set, Path slices, DiscoverySettings s, Path outDir, Monitor m) {
		long t0 = System.nanoTime();
		float[][] images = set.spread(set.indices(SliceSet.Split.ALL), MAX_POSTERIOR_SLICES);
		try (VaeEncoder enc = VaeEncoder.load(vaeRun, decoder.device())) {
			float[][] codes = enc.encode(images);
			int k = s.directionsFor(decoder.latentDim());
			boolean ica = s.method() == DiscoverySettings.Method.ICA;
			DirectionSet d = (ica ? Ica.ofLatents(codes, k, s.seed(), decoder.fingerprint(), m) : Pca.ofLatents(codes, k, decoder.fingerprint()))
				.save(outDir.resolve(DirectionSet.FILE_NAME));
			m.log(s.method().id().toUpperCase(java.util.Locale.ROOT) + " of " + codes.length + " posterior means -> " + d.source());
			Map<String, Object> settings = new LinkedHashMap<>(d.settings());
			settings.put("slices", slices.toAbsolutePath().toString());
			DiscoveryReport report = withSeconds(DiscoveryReport.untrained(s.method().id(), null, k, decoder.latentDim(), decoder.fingerprint(), settings),
				(System.nanoTime() - t0) / 1e9);
			Json.write(outDir.resolve(DiscoveryReport.FILE_NAME), report);
			return new Result(d, report);
		}
	}

	/** Trains a baseline (fixed directions, reconstructor only) with the same budget; returns its validation RCA. */
	private static double baseline(Generator g, DiscoverySettings s, DeformatorType type, int k, Path outDir, Monitor m) {
		try (VoynovBabenko run = new VoynovBabenko(g, s, type, k, m)) {
			ReconstructorAccuracy.Result acc = run.trainAndValidate(outDir.resolve("baseline-" + type.id()));
			m.log(String.format("%s baseline validation RCA %.3f (chance %.3f)", type.id(), acc.overall(), acc.chance()));
			return acc.overall();
		}
	}

	/** The final report: its wall time, and which CPU arithmetic produced it (Numerics). */
	private static DiscoveryReport withSeconds(DiscoveryReport r, double seconds) {
		Map<String, Object> settings = new LinkedHashMap<>(r.settings());
		settings.put("numerics", Numerics.ensure().record());
		return new DiscoveryReport(r.method(), r.deformator(), r.directions(), r.latentDim(), r.generatorFingerprint(), r.steps(), r.rca(),
			r.chance(), r.randomRca(), r.idRca(), r.baselineDirections(), r.baselineChance(), r.validationSamples(), seconds, settings);
	}
}
