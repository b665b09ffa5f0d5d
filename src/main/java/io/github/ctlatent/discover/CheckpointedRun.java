package io.github.ctlatent.discover;

import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The step loop the learned methods share (Voynov–Babenko, DisCo): resume from {@code checkpoint.bin}, step, log,
 * checkpoint every {@code checkpointEvery} steps and at the end, and on cancellation write a checkpoint of the steps
 * done before the {@link CanceledException} propagates. Subclasses supply one step, the log line and the file format.
 */
abstract class CheckpointedRun implements AutoCloseable {

	public static final String CHECKPOINT = "checkpoint.bin";

	protected final DiscoverySettings settings;
	protected final Monitor monitor;
	protected long step;

	CheckpointedRun(DiscoverySettings settings, Monitor monitor) {
		this.settings = settings;
		this.monitor = monitor;
	}

	/** Steps done so far. */
	public long step() {
		return step;
	}

	/** One optimisation step; advances {@link #step}. */
	public abstract void trainStep();

	/** What the log calls this run ("proj", "disco"). */
	abstract String name();

	/** Logs and reports the running figures since the last call. */
	abstract void logWindow(int total);

	abstract void save(Path checkpoint);

	/** Restores the state and {@link #step} from a checkpoint written by {@link #save}. */
	abstract void load(Path checkpoint);

	/** Trains until {@code settings.steps()} in {@code folder}, resuming and checkpointing there (see the class comment). */
	public void train(Path folder) {
		Path checkpoint = folder.resolve(CHECKPOINT);
		if (Files.exists(checkpoint)) {
			load(checkpoint);
			monitor.log("Resuming " + name() + " discovery from " + checkpoint + " at step " + step + ".");
		}
		int total = settings.steps();
		if (step > total)
			throw new ExplorerException("The checkpoint " + checkpoint + " is at step " + step + ", beyond steps=" + total
				+ ". Raise steps, or use a new output folder.");
		long saved = step;
		try {
			while (step < total) {
				monitor.checkCanceled();
				trainStep();
				if (step % settings.logEvery() == 0 || step == total) logWindow(total);
				if (step % settings.checkpointEvery() == 0 && step < total) {
					save(checkpoint);
					saved = step;
				}
			}
		} catch (CanceledException e) {
			save(checkpoint);
			monitor.log("Canceled at step " + step + "; checkpoint " + checkpoint + " written. Run again with the same settings and folder to resume.");
			throw e;
		}
		if (saved != step || !Files.exists(checkpoint)) save(checkpoint);
	}
}
