package io.github.ctlatent.train;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.ModelCard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The run folder's {@code checkpoint/}: the task's weights and optimizer moments plus {@link State}, replaced only by
 * a swap, recovered after a kill, and loaded to resume a run exactly. Also decides whether a folder may be trained
 * into at all: new or empty, a run of ours killed before its first checkpoint, or (with resume) a run to continue.
 */
final class Checkpoints {

	static final String FOLDER = "checkpoint", STATE = "state.json";

	/** State saved with every checkpoint beside the task's weights and optimizer moments. */
	record State(long iteration, long batchesDelivered, long seed, String savedAt) {}

	private Checkpoints() {}

	/**
	 * The checkpoint's state after loading it into {@code task} when resuming, or null to start at iteration 0;
	 * refuses to silently overwrite an existing run or a folder that is not one.
	 */
	static State resumeOrStart(Path run, TrainingTask task, long seed, boolean resume, Monitor monitor) {
		Path ckpt = run.resolve(FOLDER);
		// a run killed while swapping its checkpoint leaves the complete new (or the old) one under a hidden name
		AtomicFiles.recover(ckpt, p -> Files.isRegularFile(p.resolve(STATE))).forEach(monitor::log);
		int cleaned = AtomicFiles.cleanLeftovers(run) + AtomicFiles.cleanLeftovers(run.resolve("samples"))
			+ AtomicFiles.cleanLeftovers(run.resolve("reconstructions"));
		if (cleaned > 0) monitor.log("Removed " + cleaned + " temporary file(s) left in " + run + " by a killed run");
		if (!Files.isDirectory(ckpt)) {
			// a card without checkpoint from iteration 0 is a run of ours killed before its first checkpoint: start it again
			boolean hasCard = Files.isRegularFile(run.resolve(ModelCard.FILE));
			if (hasCard && ModelCard.read(run).iterationsDone > 0)
				throw new ExplorerException("The run folder " + run + " holds a run (" + ModelCard.FILE + ") but no checkpoint to "
					+ (resume ? "resume from" : "continue") + ". Choose a new output folder.");
			if (hasCard) {
				// killed before its first checkpoint (with or without resume): start it again from iteration 0; its
				// metrics rows would otherwise be counted twice
				monitor.log("The run in " + run + " was stopped before its first checkpoint: starting it again at iteration 0");
				try {
					AtomicFiles.deleteRecursively(run.resolve(TrainingLoop.METRICS));
				} catch (IOException e) {
					throw new ExplorerException("Cannot restart the run in " + run + ": " + e.getMessage(), e);
				}
				return null;
			}
			if (Files.isDirectory(run) && !isEmpty(run))
				throw new ExplorerException("The output folder " + run + " is not empty and is not a run folder of this tool; it is not written into. "
					+ "Choose a new or empty folder.");
			if (resume) monitor.log("resume=true, but " + run + " has no checkpoint yet: starting at iteration 0");
			return null;
		}
		if (!resume)
			throw new ExplorerException("The run folder " + run + " already holds a checkpoint. Use resume=true to continue it, or choose another output folder.");
		State st = Json.read(ckpt.resolve(STATE), State.class);
		if (st.seed() != seed)
			throw new ExplorerException("The checkpoint in " + ckpt + " was made with seed " + st.seed() + ", not " + seed + ". Resume with seed=" + st.seed() + ".");
		try {
			task.loadState(ckpt);
		} catch (IOException | RuntimeException e) {
			throw new ExplorerException("Cannot resume from " + ckpt + ": " + e.getMessage() + ". If the model settings differ from the run's "
				+ "(preset, latent_dim, ngf/ndf, ch), resume with the run's own settings: " + recordedCommand(run) + " Otherwise the checkpoint is "
				+ "damaged; start a new run folder.", e);
		}
		monitor.log("Resuming from iteration " + st.iteration() + " (checkpoint of " + st.savedAt() + ")");
		return st;
	}

	/** Replaces the checkpoint by a swap ({@link AtomicFiles#replaceFolderVia}): a kill leaves the old or the new one. */
	static void write(Path run, TrainingTask task, long iteration, long batchesDelivered, long seed) {
		AtomicFiles.replaceFolderVia(run.resolve(FOLDER), tmp -> {
			Files.createDirectories(tmp);
			task.saveState(tmp);
			Json.write(tmp.resolve(STATE), new State(iteration, batchesDelivered, seed, Instant.now().toString()));
		});
	}

	private static String recordedCommand(Path run) {
		try {
			String c = ModelCard.read(run).commandLine;
			return c == null ? "see " + run.resolve(ModelCard.FILE) + "." : c;
		} catch (ExplorerException e) {
			return "see " + run.resolve(ModelCard.FILE) + ".";
		}
	}

	private static boolean isEmpty(Path folder) {
		try (var st = Files.list(folder)) {
			return st.findAny().isEmpty();
		} catch (IOException e) {
			return false;
		}
	}
}
