package io.github.ctlatent.cli;

import io.github.ctlatent.core.ExplorerException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end-to-end demo (the README's main command): every step is one of the project's commands, run through
 * the same runner as a user's command line, so the demo also proves that the commands compose.
 */
final class Demo {

	private final CommandRunner runner;
	private final PrintStream out;

	Demo(CommandRunner runner, PrintStream out) {
		this.runner = runner;
		this.out = out;
	}

	/** One demo step: a command and its arguments ({out} is replaced by the demo's output folder). */
	record Step(String command, String... args) {}

	static List<Step> steps() {
		return List.of(
			new Step("Latent Explorer System Info"),
			new Step("Generate Thorax Phantom", "output={out}/phantom", "count=24", "size=128", "slices=64", "format=dicom", "seed=1", "overwrite=true"),
			new Step("Prepare Slice Set", "input={out}/phantom", "output={out}/slices", "size=64", "test_fraction=0.1", "overwrite=true"),
			new Step("Train GAN", "slices={out}/slices", "output={out}/gan", "iterations=300", "checkpoint_every=100", "sample_every=100"),
			new Step("Generate Samples", "model={out}/gan", "count=16", "png={out}/demo_samples.png", "overwrite=true"),
			// exploration runs on the shipped GAN (trained by the same command for 1,500 iterations, see README)
			new Step("Discover Directions", "model={home}/models/phantom-gan", "output={out}/directions-sefa", "method=sefa"),
			new Step("Discover Directions", "model={home}/models/phantom-gan", "output={out}/directions-voynov", "method=voynov",
				"deformator=proj", "directions=8", "steps=1000", "batch_size=32", "learning_rate=1e-4", "direction_learning_rate=3e-3", "seed=1"),
			new Step("Traverse Directions", "model={home}/models/phantom-gan", "directions={out}/directions-sefa/directions.json", "indices=0-4"),
			new Step("Export Traversal", "model={home}/models/phantom-gan", "directions={out}/directions-sefa/directions.json", "indices=0-7",
				"range=animation", "output={out}/traversal-sefa", "overwrite=true"),
			new Step("Export Traversal", "model={home}/models/phantom-gan", "directions={out}/directions-voynov/directions.json", "indices=0-7",
				"range=animation", "output={out}/traversal-voynov", "overwrite=true"),
			// what the directions mean, measured with the shipped factor oracle against random directions (EVALUATION.md);
			// small M and few frames keep this under two minutes, the null of each model is scored once and reused
			evaluate("phantom-gan", "{out}/directions-sefa/directions.json", "{out}/evaluation-gan-sefa"),
			evaluate("phantom-gan", "{out}/directions-voynov/directions.json", "{out}/evaluation-gan-voynov"),
			new Step("Discover Directions", "model={home}/models/phantom-vae", "output={out}/directions-sefa-vae", "method=sefa"),
			evaluate("phantom-vae", "{out}/directions-sefa-vae/directions.json", "{out}/evaluation-vae-sefa"),
			// the pair-trained VAE (Ada-GVAE on slices up to 8 apart and geometric changes: uses slice order, no anatomy
			// labels) makes coordinate axes mean single factors (docs/results-evaluation.md); the axes are scored as they
			// are, no discovery needed, from the evaluator's default 8 bases (with 2, single walks decide a label)
			new Step("Evaluate Directions", "model={home}/models/phantom-pairvae", "oracle={home}/models/phantom-oracle", "baseline=axes",
				"reference={out}/slices", "output={out}/evaluation-pairvae-axes", "bases=8", "steps=2", "random=1000", "random_3d=200", "frames_3d=9"),
			// the position-axis VAE (slice order spread over ±3.5 of axis 0, the other dimensions held by the pull): its
			// axis 0 scrolls through the body evenly; the 3D reading is what this step is for (17 frames, as measured)
			new Step("Evaluate Directions", "model={home}/models/phantom-posvae", "oracle={home}/models/phantom-oracle", "baseline=axes",
				"reference={out}/slices", "output={out}/evaluation-posvae-axes", "bases=8", "steps=2", "random=200", "random_3d=50"));
	}

	private static Step evaluate(String model, String directions, String output) {
		return new Step("Evaluate Directions", "model={home}/models/" + model, "oracle={home}/models/phantom-oracle", "directions=" + directions,
			"reference={out}/slices", "output=" + output, "bases=2", "steps=2", "random=1000", "random_3d=200", "frames_3d=9");
	}

	/**
	 * The output folders (below {out}) of the steps without {@code overwrite=true}: their commands refuse an existing
	 * output, so a rerun clears them first. Read off the steps, so a new step cannot be forgotten here.
	 */
	static List<String> refusingOutputs() {
		String prefix = "output={out}/";
		return steps().stream().filter(s -> !List.of(s.args()).contains("overwrite=true"))
			.flatMap(s -> Stream.of(s.args())).filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).toList();
	}

	/** The project folder (set by bin/latent-explorer), where the shipped models live. */
	static Path home() {
		return Path.of(System.getProperty("ctlatent.home", ".")).toAbsolutePath().normalize();
	}

	void run(Map<String, String> options) {
		Path outDir = Path.of(options.getOrDefault("out", "demo-output")).toAbsolutePath();
		// everything the demo can refuse is checked before anything on disk is touched
		for (String k : options.keySet())
			if (!k.equals("out")) throw new CommandRunner.UsageException("Unknown demo option '" + k + "'. The demo takes out=<folder>.");
		if (CommandRunner.BARE.equals(options.get("out"))) throw new CommandRunner.UsageException("The demo option out needs a folder: out=<folder>.");
		outDir = io.github.ctlatent.core.Outputs.resolve("out", outDir);
		// a rerun starts clean: the demo's own training would otherwise refuse to overwrite its checkpoint. Only
		// folders the demo wrote (they hold this tool's cards) are removed, links never followed; anything else is
		// refused by the steps.
		try {
			for (String f : refusingOutputs()) {
				Path p = outDir.resolve(f);
				if (!java.nio.file.Files.isSymbolicLink(p)
					&& io.github.ctlatent.core.Outputs.isOurs(p, "model.json", "directions.json", "checkpoint.bin", "scores.csv"))
					io.github.ctlatent.core.AtomicFiles.deleteRecursively(p);
			}
		} catch (java.io.IOException e) {
			throw new ExplorerException("Cannot clear the previous demo run in " + outDir + ": " + e.getMessage());
		}
		List<Step> steps = steps();
		int i = 0;
		for (Step s : steps) {
			out.printf("%n=== demo step %d/%d: %s%n", ++i, steps.size(), s.command());
			Map<String, String> kv = new LinkedHashMap<>();
			for (String a : s.args()) {
				int eq = a.indexOf('=');
				kv.put(a.substring(0, eq), a.substring(eq + 1).replace("{out}", outDir.toString()).replace("{home}", home().toString()));
			}
			long t0 = System.nanoTime();
			Map<String, Object> outputs = runner.run(runner.find(s.command()), kv);
			Main.printOutputs(outputs, out);
			out.printf("(%s took %.1f s)%n", s.command(), (System.nanoTime() - t0) / 1e9);
		}
		if (steps.isEmpty()) throw new ExplorerException("The demo has no steps.");
		out.println("\nDemo finished. Outputs in " + outDir);
	}
}
