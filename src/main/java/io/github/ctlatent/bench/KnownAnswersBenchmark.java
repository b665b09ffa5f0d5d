package io.github.ctlatent.bench;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.evaluate.FactorOracle;
import io.github.ctlatent.evaluate.KnownAnswers;
import io.github.ctlatent.evaluate.OracleFloor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluator's full known-answer suite ({@link KnownAnswers}, with the perfect walks drawn softly) on the shipped oracle, against the nulls of the
 * shipped models; prints the tables of docs/results-evaluation.md and writes them to {@code target/known-answers-*.md}.
 * <ul>
 * <li>{@code -Dknown.calibrate=true} measures the oracle's floor first ({@link OracleFloor}, 64 calibration patients: the shipped floor.json)
 * and writes it beside the oracle ({@code -Dknown.oracle}, default models/phantom-oracle);</li>
 * <li>{@code -Dknown.models=models/phantom-gan,models/phantom-vae} the generators whose nulls judge significance;</li>
 * <li>{@code -Dknown.fast=true} the smaller suite the default tests run.</li>
 * </ul>
 */
@Plugin(type = Benchmark.class, name = "known-answers", description = "the evaluator's known answers: perfect, two-factor and random walks (minutes)")
public class KnownAnswersBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		Path home = Path.of(System.getProperty("ctlatent.home", "."));
		Path oracleDir = home.resolve(System.getProperty("known.oracle", "models/phantom-oracle"));
		List<Measurement> out = new ArrayList<>();
		if (Boolean.getBoolean("known.calibrate")) {
			long t0 = System.nanoTime();
			try (FactorOracle o = FactorOracle.load(oracleDir, Device.cpu())) {
				OracleFloor.measure(o, Integer.getInteger("known.calibration.patients", 64), OracleFloor.SEED, monitor).write(oracleDir);
			}
			out.add(new Measurement("oracle floor measured", (System.nanoTime() - t0) / 1e9, "s", "written to " + oracleDir.resolve(OracleFloor.FILE)));
		}
		KnownAnswers.Settings s = Boolean.getBoolean("known.fast") ? KnownAnswers.Settings.fast() : KnownAnswers.Settings.full();
		for (String m : System.getProperty("known.models", "models/phantom-gan,models/phantom-vae").split(",")) {
			long t0 = System.nanoTime();
			try (FactorOracle o = FactorOracle.load(oracleDir, Device.cpu()); Generator g = Models.load(home.resolve(m.trim()), Device.cpu())) {
				KnownAnswers.Report r = KnownAnswers.run(o, g, s, monitor);
				String md = KnownAnswers.markdown(r);
				System.out.println(md);
				Path file = Path.of("target", "known-answers-" + Path.of(m.trim()).getFileName() + ".md");
				Files.createDirectories(file.getParent());
				Files.writeString(file, md);
				double seconds = (System.nanoTime() - t0) / 1e9;
				out.add(new Measurement("known answers " + Path.of(m.trim()).getFileName(), seconds, "s", r.passes() ? "PASSES" : "FAILS"));
				out.add(new Measurement("  perfect factors clean + significant", r.perfectFactorsPassed(), "", "of " + r.scoredFactors()));
				out.add(new Measurement("  two-factor walks called clean", r.mixesCalledClean(), "", "of " + r.mixes().size()));
				out.add(new Measurement("  worst random share called clean", 100 * r.worstRandomCleanShare(), "%", "of " + s.random()));
				out.add(new Measurement("  perfect walks drawn softly that pass", r.softFactorsPassed(), "", "of " + r.scoredFactors()));
			}
		}
		return out;
	}
}
