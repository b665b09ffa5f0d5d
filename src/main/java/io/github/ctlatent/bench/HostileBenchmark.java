package io.github.ctlatent.bench;

import io.github.ctlatent.cli.CommandRunner;
import io.github.ctlatent.cli.HostileSuite;
import io.github.ctlatent.cli.HostileWorkspace;
import io.github.ctlatent.core.Monitor;
import org.scijava.Context;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The full generated hostile campaign ({@link HostileSuite}): every command, every key, every hostile value, through
 * the real runner, with a time limit per case ({@code -Dbench.hostile.limit=seconds}, default 120). Prints each case,
 * then the tally of docs/reliability.md; the inputs are hashed before and after. {@code -Dbench.hostile.fast=true} runs
 * the subset {@code mvn verify} runs.
 */
@Plugin(type = Benchmark.class, name = "hostile", description = "generated hostile campaign: every command x key x hostile value, judged (the tally of docs/reliability.md)")
public class HostileBenchmark implements Benchmark {

	@Parameter
	private Context context;

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		CommandRunner runner = new CommandRunner(context);
		Path dir = Files.createTempDirectory("hostile-campaign");
		Path home = Path.of(System.getProperty("ctlatent.home", ".")).toAbsolutePath().normalize();
		long t0 = System.nanoTime();
		HostileWorkspace work = new HostileWorkspace(dir, home, runner);
		Map<String, String> hashes = work.inputHashes();
		HostileSuite suite = new HostileSuite(runner, work, Double.parseDouble(System.getProperty("bench.hostile.limit", "120")));
		List<HostileSuite.Case> cases = suite.cases(Boolean.getBoolean("bench.hostile.fast"));
		monitor.log(cases.size() + " cases; uncovered commands: " + suite.uncovered());
		List<HostileSuite.Result> results = suite.runAll(cases, System.out);
		boolean intact = hashes.equals(work.inputHashes());
		double seconds = (System.nanoTime() - t0) / 1e9;
		System.out.println();
		System.out.print(HostileSuite.tally(results));
		System.out.println("inputs hash-identical afterwards: " + intact + " (" + hashes.size() + " files); work folder " + dir);
		List<Measurement> out = new ArrayList<>();
		out.add(new Measurement("cases", results.size(), "cases", "all commands, every key"));
		for (HostileSuite.Outcome o : HostileSuite.Outcome.values())
			out.add(new Measurement(o.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), results.stream().filter(r -> r.outcome() == o).count(), "cases"));
		out.add(new Measurement("inputs hash-identical", intact ? 1 : 0, "", hashes.size() + " files"));
		out.add(new Measurement("campaign wall clock", seconds, "s"));
		return out;
	}
}
