package io.github.ctlatent.bench;

import io.github.ctlatent.cli.CommandRunner;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.Outputs;
import org.scijava.Context;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Time to an answer: the steps of docs/real-ct.md (sections 1–5: prepare, train the VAE, PCA, the random baseline,
 * traverse, evaluate without an oracle) with their documented settings, end to end through the same runner as a
 * user's command line, on a phantom volume written as NIfTI (the situation of a user with one scan). Each step is
 * timed; the table and the slowest step are printed.
 * <p>
 * {@code -Dbench.walkthrough.out=<folder>} keeps the run (a new or empty folder; default a temporary one);
 * {@code -Dbench.walkthrough.smoke=true} runs the section-0 smoke-test sizes instead (a minute, for the tests);
 * {@code -Dbench.walkthrough.iterations=N} trains the VAE for N iterations instead of the documented 3,000 (for a
 * machine where 3,000 take hours: the table then says so, and the training step scales with N).
 */
@Plugin(type = Benchmark.class, name = "walkthrough", description = "time to an answer: docs/real-ct.md's steps at their documented settings, timed end to end, slowest named")
public class WalkthroughBenchmark implements Benchmark {

	@Parameter
	private Context context;

	/** One step: what the table calls it, the command and its key=value arguments ({out} is the run folder). */
	record Step(String name, String command, String... args) {
		/** This step with {@code iterations=} replaced (training steps only). */
		Step withTrainingIterations(String n) {
			if (!command.startsWith("Train ")) return this;
			if (!n.matches("[1-9][0-9]*")) throw new ExplorerException("-Dbench.walkthrough.iterations=" + n + " is not a number of iterations: give a whole number ≥ 1.");
			return new Step(name + " (" + n + " it.)", command, java.util.Arrays.stream(args).map(a -> a.startsWith("iterations=") ? "iterations=" + n : a).toArray(String[]::new));
		}
	}

	/**
	 * docs/real-ct.md's commands with its settings (WalkthroughBenchmarkTest checks each line against the doc); the
	 * phantom is one 128×128×96 volume, what its section 2 measured its settings on.
	 */
	static List<Step> documented() {
		return List.of(
			new Step("phantom (input)", "Generate Thorax Phantom", "output={out}/scans", "count=1", "size=128", "slices=96", "format=nifti", "seed=3"),
			new Step("prepare", "Prepare Slice Set", "input={out}/scans", "output={out}/slices", "size=64", "test_fraction=0.1", "seed=1"),
			new Step("train VAE", "Train VAE", "slices={out}/slices", "output={out}/vae", "iterations=3000", "kl_weight=0.001", "lr_milestones=2500", "lr_gamma=0.2", "seed=1"),
			new Step("PCA", "Discover Directions", "model={out}/vae", "output={out}/pca", "method=pca", "slices={out}/slices", "directions=8"),
			new Step("random", "Discover Directions", "model={out}/vae", "output={out}/random", "deformator=random", "directions=8"),
			new Step("traverse", "Traverse Directions", "model={out}/vae", "directions={out}/pca/directions.json", "indices=0-7", "base_slice_set={out}/slices",
				"output={out}/walks", "format=all"),
			new Step("evaluate", "Evaluate Directions", "model={out}/vae", "directions={out}/pca/directions.json", "reference={out}/slices", "output={out}/evaluation"));
	}

	/** The same steps at section 0's smoke-test sizes. */
	static List<Step> smoke() {
		return List.of(
			new Step("phantom (input)", "Generate Thorax Phantom", "output={out}/scans", "count=1", "size=64", "slices=40", "format=nifti", "seed=3"),
			new Step("prepare", "Prepare Slice Set", "input={out}/scans", "output={out}/slices", "size=32", "test_fraction=0.2"),
			new Step("train VAE", "Train VAE", "slices={out}/slices", "output={out}/vae", "iterations=10", "batch_size=8", "ch=8", "kl_weight=0.001",
				"learning_rate=5e-4", "sample_every=5", "checkpoint_every=5", "health_warmup=5", "device=cpu"),
			new Step("PCA", "Discover Directions", "model={out}/vae", "output={out}/pca", "method=pca", "slices={out}/slices", "directions=4"),
			new Step("random", "Discover Directions", "model={out}/vae", "output={out}/random", "deformator=random", "directions=4"),
			new Step("traverse", "Traverse Directions", "model={out}/vae", "directions={out}/pca/directions.json", "indices=0-3", "base_slice_set={out}/slices",
				"output={out}/walks", "format=all", "device=cpu"),
			new Step("evaluate", "Evaluate Directions", "model={out}/vae", "directions={out}/pca/directions.json", "reference={out}/slices",
				"output={out}/evaluation", "bases=4", "random_3d=50", "frames_3d=9", "device=cpu"));
	}

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		String kept = System.getProperty("bench.walkthrough.out");
		Path out;
		if (kept == null) out = Files.createTempDirectory("walkthrough");
		else {
			out = Path.of(kept).toAbsolutePath().normalize();
			Outputs.requireFreeFolder("-Dbench.walkthrough.out", out, false, "walkthrough run");
		}
		List<Step> steps = Boolean.getBoolean("bench.walkthrough.smoke") ? smoke() : documented();
		String iterations = System.getProperty("bench.walkthrough.iterations");
		if (iterations != null) steps = steps.stream().map(s -> s.withTrainingIterations(iterations)).toList();
		CommandRunner runner = new CommandRunner(context);
		List<Measurement> table = new ArrayList<>();
		double total = 0;
		for (int i = 0; i < steps.size(); i++) {
			Step s = steps.get(i);
			monitor.checkCanceled();
			monitor.progress(i, steps.size(), s.name());
			List<String> args = new ArrayList<>();
			for (String a : s.args()) args.add(a.replace("{out}", out.toString()));
			long t0 = System.nanoTime();
			runner.run(runner.find(s.command()), CommandRunner.parseArgs(args));
			double seconds = (System.nanoTime() - t0) / 1e9;
			total += seconds;
			table.add(new Measurement(s.name(), seconds, "s", "\"" + s.command() + "\" " + String.join(" ", s.args())));
			System.out.printf(Locale.ROOT, "   step %-16s %9.1f s%n", s.name(), seconds); // as it comes: the run is long
		}
		Measurement slowest = table.stream().skip(1).max(Comparator.comparingDouble(Measurement::value))
			.orElseThrow(() -> new ExplorerException("the walkthrough has no steps"));
		double answer = total - table.get(0).value(); // the phantom stands in for the user's scan: not part of the answer
		table.add(new Measurement("time to an answer (prepare … evaluate)", answer, "s", String.format(Locale.ROOT, "slowest: %s, %.0f%% of it; run folder %s",
			slowest.what(), 100 * slowest.value() / answer, out)));
		return table;
	}
}
