package io.github.ctlatent.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Augmentation;
import io.github.ctlatent.data.SliceAugmentation;
import io.github.ctlatent.data.SliceBatches;
import io.github.ctlatent.data.SlicePairs;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.ModelCard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training engine shared by the DCGAN and the VAE. It owns everything but the networks: batches, the
 * per-iteration native-memory scope, progress (losses, it/s, ETA), cancellation, checkpoints that are kept only while
 * the losses are sane, NaN/Inf detection, the metrics CSV, the loss curve and the health checks. The checkpoint on disk
 * and exact resume are {@link Checkpoints}, the model card {@link RunCard}, sample grids and quality figures
 * {@link RunEvaluation}.
 * <p>
 * Run folder: {@code model.json}, final weights, {@code checkpoint/} (resumable state), {@code metrics.csv},
 * {@code loss.png}, {@code samples.png} (+ {@code samples/} history), for a VAE {@code reconstructions.png} (+ history).
 */
public final class TrainingLoop {

	/**
	 * @param iterations      total iterations of the run (a resumed run continues to this number)
	 * @param checkpointEvery iterations between checkpoints (and model-card updates)
	 * @param sampleEvery     iterations between sample grids and quality evaluations
	 * @param augmentation    applied to training batches; null: none
	 * @param resume          continue from {@code checkpoint/} when the run folder has one
	 * @param patience        stop after this many iterations without a better held-out error (0: never)
	 * @param keepBest        the run folder's weights are the best held-out evaluation's ({@link BestCheckpoint}), not the last's
	 * @param preset          the preset's name, for the model card
	 * @param pairs           weakly-supervised pair batches ({@link SlicePairs}); NONE: single slices
	 */
	public record Settings(long iterations, int batchSize, long seed, int checkpointEvery, int sampleEvery, SliceAugmentation augmentation,
		boolean resume, LrSchedule schedule, long patience, boolean keepBest, String preset, SlicePairs.Pairing pairs) {
		public Settings {
			if (iterations < 1) throw new ExplorerException("iterations must be >= 1, got " + iterations + ".");
			if (checkpointEvery < 1 || sampleEvery < 1) throw new ExplorerException("checkpoint/sample intervals must be >= 1.");
			if (patience < 0) throw new ExplorerException("patience must be >= 0 (0: never stop early), got " + patience + ".");
		}

		/** A run with the paper's augmentation or none, without early stopping, keeping its last weights. */
		public Settings(long iterations, int batchSize, long seed, int checkpointEvery, int sampleEvery, boolean augment, boolean resume, LrSchedule schedule) {
			this(iterations, batchSize, seed, checkpointEvery, sampleEvery, augment ? Augmentation.paper() : null, resume, schedule, 0, false, "cpu", SlicePairs.Pairing.NONE);
		}

		/** As above, at the model's constant learning rate. */
		public Settings(long iterations, int batchSize, long seed, int checkpointEvery, int sampleEvery, boolean augment, boolean resume) {
			this(iterations, batchSize, seed, checkpointEvery, sampleEvery, augment, resume, LrSchedule.CONSTANT);
		}

		/** These settings with early stopping after {@code patience} iterations and the weights kept as {@code keepBest} says. */
		public Settings withStopping(long patience, boolean keepBest) {
			return new Settings(iterations, batchSize, seed, checkpointEvery, sampleEvery, augmentation, resume, schedule, patience, keepBest, preset, pairs);
		}
	}

	/**
	 * What the run ended with.
	 *
	 * @param weights which weights the run folder holds (the last iteration's or the best held-out evaluation's), in words
	 */
	public record Result(Path runFolder, long iterations, Map<String, Double> metrics, List<TrainingHealth.Problem> health, String weights) {}

	static final String METRICS = "metrics.csv";
	/** How far above its first magnitude a loss may grow before the run counts as exploded. */
	static final double EXPLOSION = 1e4;
	private final Map<String, Double> startLosses = new java.util.HashMap<>();
	/** A loss beyond this magnitude is diverging even while finite (a VAE's KL reached 6e16 before NaN). */
	static final double SANE_LOSS = 1e6;

	private final TrainingTask task;
	private final SliceSet data;
	private final Settings s;
	private final Path run;
	private final Monitor monitor;
	private final TrainingHealth health;
	/** Index in {@link #rows} just after the previous evaluation: the losses since then feed the health check. */
	private int rowsChecked;
	private final List<Map<String, Double>> rows = new ArrayList<>();
	private final RunEvaluation evaluation;
	private ModelCard card;
	private BestCheckpoint best;
	/** Iteration of the checkpoint on disk (-1: none yet), and the largest |loss| seen since it was written. */
	private long lastCheckpoint = -1;
	private double worstSinceCheckpoint;
	private String worstLoss = "";

	private TrainingLoop(TrainingTask task, SliceSet data, Settings s, TrainingHealth.Options health, Path run, Monitor monitor) {
		this.task = task;
		this.health = new TrainingHealth(health);
		this.data = data;
		this.s = s;
		this.run = run;
		this.monitor = monitor;
		this.evaluation = new RunEvaluation(task, data, s.seed(), run, monitor);
	}

	/** Trains {@code task} on the training split of {@code data}; see the class comment for the run folder. */
	public static Result run(TrainingTask task, SliceSet data, Settings settings, Path runFolder, String commandLine, String device,
		Monitor monitor) {
		return run(task, data, settings, TrainingHealth.Options.defaults(), runFolder, commandLine, device, monitor);
	}

	/** As above, with the health checks' warm-up and whether an unhealthy run stops early ({@link TrainingHealth}). */
	public static Result run(TrainingTask task, SliceSet data, Settings settings, TrainingHealth.Options health, Path runFolder, String commandLine,
		String device, Monitor monitor) {
		return new TrainingLoop(task, data, settings, health, runFolder.toAbsolutePath(), monitor).run(commandLine, device);
	}

	private Result run(String commandLine, String device) {
		if (data.size() != task.imageSize())
			throw new ExplorerException("The slice set has " + data.size() + "² slices but the model makes " + task.imageSize()
				+ "² images. Prepare the slices at size " + task.imageSize() + " (Prepare Slice Set size=" + task.imageSize()
				+ "), or build the task for " + data.size() + "² images (Training.gan/vae and the commands size the model from the slice set).");
		SliceBatches batches = new SliceBatches(data, SliceSet.Split.TRAIN, s.batchSize(), s.seed(), s.augmentation(), s.pairs());
		Checkpoints.State resumed = Checkpoints.resumeOrStart(run, task, s.seed(), s.resume(), monitor);
		best = new BestCheckpoint(run, monitor);
		long start = 0;
		if (resumed != null) {
			start = lastCheckpoint = resumed.iteration();
			batches.seek(resumed.batchesDelivered());
			rows.addAll(MetricsCsv.read(run.resolve(METRICS), start));
		}
		monitor.log(String.format("Training %s (preset %s): %d iterations (from %d), batch %d, seed %d, augmentation %s, learning rate %s, %d training slices "
			+ "(%d per epoch), early stopping %s, keeping the %s weights, device %s", task.kind(), s.preset(), s.iterations(), start, s.batchSize(), s.seed(),
			s.augmentation() == null ? "off" : s.augmentation().describe(), s.schedule(), data.indices(SliceSet.Split.TRAIN).length, batches.batchesPerEpoch(),
			s.patience() > 0 ? "after " + s.patience() + " iterations without a better held-out error" : "off", s.keepBest() ? "best held-out" : "last",
			device));
		if (s.pairs().paired()) monitor.log("Pairs (" + s.pairs().marks() + "): " + s.pairs().describe());
		monitor.log("Model: " + task.settings());
		card = RunCard.start(run, task, data, s, commandLine, device);
		if (start == 0) {
			card.iterationsDone = 0;
			card.write(run); // marks the folder as a run folder from the start
			evaluate(0, card);
		}
		long t0 = System.nanoTime();
		long it = start;
		double lrFactor = Double.NaN;
		try (NDManager base = NDManager.newBaseManager(task.device())) {
			while (it < s.iterations()) {
				if (monitor.isCanceled()) {
					checkpoint(it, batches);
					throw new CanceledException("Canceled at iteration " + it + "; the run is resumable from " + run.resolve(Checkpoints.FOLDER)
						+ " (run the same command with resume=true).");
				}
				double factor = s.schedule().factorAt(it);
				if (factor != lrFactor) {
					lrFactor = factor;
					task.scaleLearningRate(lrFactor);
					if (it > 0) monitor.log(String.format("Iteration %d: learning rate x %s of the base rate (%s)", it, lrFactor, s.schedule()));
				}
				Map<String, Double> losses;
				try (NDManager m = base.newSubManager()) {
					NDArray real = batches.next(m);
					if (s.pairs().paired()) {
						task.pairOffsets(batches.pairOffsets());
						task.pairChanges(batches.pairChanges());
					}
					losses = task.step(m, real, rngFor(it), it);
				}
				for (Map.Entry<String, Double> e : losses.entrySet()) {
					if (!Double.isFinite(e.getValue())) throw diverged(e.getKey(), e.getValue(), it + 1);
					// an explosion stops the run like a NaN does (the last sane checkpoint is kept): a loss far above its
					// start (x EXPLOSION, at least 1 in magnitude) or beyond the sane bound is no longer training
					double startMagnitude = startLosses.computeIfAbsent(e.getKey(), k -> Math.max(1, Math.abs(e.getValue())));
					if (Math.abs(e.getValue()) > Math.min(SANE_LOSS, EXPLOSION * startMagnitude)) {
						worstSinceCheckpoint = Math.max(worstSinceCheckpoint, Math.abs(e.getValue()));
						worstLoss = String.format("%s = %.3g at iteration %d, from %.3g at the start", e.getKey(), e.getValue(), it + 1, startMagnitude);
						throw diverged(e.getKey(), e.getValue(), it + 1);
					}
					if (Math.abs(e.getValue()) > worstSinceCheckpoint) {
						worstSinceCheckpoint = Math.abs(e.getValue());
						worstLoss = String.format("%s = %.3g at iteration %d", e.getKey(), e.getValue(), it + 1);
					}
				}
				it++;
				Map<String, Double> row = new LinkedHashMap<>();
				row.put("iteration", (double) it);
				row.putAll(losses);
				rows.add(row);
				double rate = (it - start) / ((System.nanoTime() - t0) / 1e9);
				monitor.progress(it, s.iterations(), String.format("it %d/%d %s %.2f it/s", it, s.iterations(), brief(losses), rate));
				boolean unhealthy = false, patienceOver = false;
				if (it % s.sampleEvery() == 0 || it == s.iterations()) {
					Map<String, Double> figures = evaluate(it, card);
					unhealthy = checkHealth(it, figures);
					if (best.offer(it, figures, task)) monitor.log(String.format("iteration %d: best held-out error so far, weights in %s", it, run.resolve(BestCheckpoint.FOLDER)));
					patienceOver = s.patience() > 0 && best.since(it) >= s.patience();
				}
				if (unhealthy || patienceOver || it % s.checkpointEvery() == 0 || it == s.iterations()) checkpoint(it, batches);
				if (unhealthy) throw stoppedUnhealthy(it);
				if (patienceOver) {
					monitor.log(String.format("Early stopping at iteration %d: no better held-out error for %d iterations (patience %d); best at iteration %d",
						it, best.since(it), s.patience(), best.best().iteration()));
					card.training.put("stopped_early_at", it);
					break;
				}
			}
		}
		String weights = RunCard.finish(run, task, card, it, rows, best.best(), s.keepBest() ? best : null);
		monitor.log("Finished " + it + " iterations: " + brief(card.metrics) + " -> " + run);
		monitor.log("The run folder's weights: " + weights);
		return new Result(run, it, card.metrics, health.problems(), weights);
	}

	/** Runs the health checks on an evaluation; logs new problems, records them in the card; true when the run must stop. */
	private boolean checkHealth(long it, Map<String, Double> figures) {
		List<TrainingHealth.Problem> fresh = health.check(it, figures, rows.subList(Math.min(rowsChecked, rows.size()), rows.size()));
		rowsChecked = rows.size();
		for (TrainingHealth.Problem p : fresh) monitor.log("WARNING: training is not healthy at iteration " + it + ": " + p.message());
		for (TrainingHealth.Problem p : health.problems()) card.health.put(p.key(), p.message()); // the latest figures, and whether it has gone
		return !fresh.isEmpty() && health.options().stop();
	}

	private ExplorerException stoppedUnhealthy(long it) {
		StringBuilder why = new StringBuilder();
		for (TrainingHealth.Problem p : health.problems()) why.append(why.length() == 0 ? "" : " Also: ").append(p.message());
		return new ExplorerException("Training stopped early at iteration " + it + " (stop_unhealthy=true) because it is not learning: " + why
			+ " The checkpoint of iteration " + it + " is kept in " + run.resolve(Checkpoints.FOLDER) + " (resume=true continues it).");
	}

	/** The NaN guard's message: what diverged, which checkpoint is kept (if any), and advice that works. */
	private ExplorerException diverged(String loss, double value, long iteration) {
		double lr = task.baseLearningRate();
		String rate = Double.isNaN(lr) ? "a tenth of the current one" : "learning_rate=" + String.format(java.util.Locale.ROOT, "%.2g", lr / 10);
		String kept = lastCheckpoint < 0
			? "No checkpoint was written before it (the first was due at iteration " + s.checkpointEvery() + "). Start again in a new run folder with a lower "
				+ "learning rate, e.g. " + rate + "."
			: "The last checkpoint with finite, sane losses (iteration " + lastCheckpoint + ") is kept in " + run.resolve(Checkpoints.FOLDER)
				+ ". Resume from it with resume=true and a lower learning rate, e.g. " + rate + " (the seed must stay " + s.seed() + ").";
		return new ExplorerException(String.format("Training diverged: %s = %s at iteration %d%s. %s", loss, value, iteration,
			worstSinceCheckpoint > SANE_LOSS ? " (losses were already exploding: " + worstLoss + ")" : "", kept));
	}

	private SplittableRandom rngFor(long iteration) {
		return new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + iteration);
	}

	/**
	 * Replaces the checkpoint ({@link Checkpoints#write}) and the run's plots and card, unless the losses since the last one
	 * were exploding: then the older, sane checkpoint is kept, so the NaN guard always has one worth resuming.
	 */
	private void checkpoint(long it, SliceBatches batches) {
		if (worstSinceCheckpoint > SANE_LOSS) {
			monitor.log("WARNING: losses are exploding (" + worstLoss + "); the checkpoint is not replaced"
				+ (lastCheckpoint < 0 ? "" : " (iteration " + lastCheckpoint + " is kept)"));
			return;
		}
		worstSinceCheckpoint = 0;
		Checkpoints.write(run, task, it, batches.position(), s.seed());
		MetricsCsv.write(rows, run.resolve(METRICS));
		LossPlot.save(rows, run.resolve("loss.png"));
		evaluation.saveReconstructions(it);
		// the card travels with every checkpoint, so an interrupted run keeps its settings and initial figures
		card.iterationsDone = it;
		card.write(run);
		lastCheckpoint = it;
	}

	/** Sample grid and quality figures, logged and added to the metrics; at iteration 0 they measure the untrained generator. */
	private Map<String, Double> evaluate(long it, ModelCard card) {
		Map<String, Double> figures = evaluation.figures(it);
		if (it == 0) figures.forEach((k, v) -> card.metrics.put(k + "_initial", v));
		Map<String, Double> row = rows.isEmpty() || rows.get(rows.size() - 1).get("iteration") != it ? new LinkedHashMap<>() : rows.get(rows.size() - 1);
		if (row.isEmpty()) {
			row.put("iteration", (double) it);
			rows.add(row);
		}
		row.putAll(figures);
		monitor.log(String.format("iteration %d: %s", it, brief(figures)));
		return figures;
	}

	private static String brief(Map<String, Double> m) {
		StringBuilder sb = new StringBuilder();
		m.forEach((k, v) -> sb.append(k).append('=').append(String.format(Math.abs(v) >= 100 ? "%.1f" : "%.4f", v)).append(' '));
		return sb.toString().trim();
	}
}
