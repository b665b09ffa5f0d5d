package io.github.ctlatent.train;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.core.Monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run folder's {@code best/}: the weights of the evaluation with the lowest held-out reconstruction error so far
 * (a VAE's {@code heldout_mse}), written by a swap whenever an evaluation beats it, with {@link State} beside them.
 * On one or a few scans the held-out error reaches its minimum long before the training error does, then rises as
 * the network memorises the training slices; this is what early stopping measures and what {@code keep=best} keeps.
 */
final class BestCheckpoint {

	static final String FOLDER = "best", STATE = "best.json";

	/** The best evaluation: its iteration, held-out error, and the training mean image's error on the same slices. */
	record State(long iteration, double heldoutMse, double trainMeanMse) {}

	private final Path folder;
	private State best;

	/** The best so far of {@code run} (read back when a run resumes; none for a new run). */
	BestCheckpoint(Path run, Monitor monitor) {
		this.folder = run.resolve(FOLDER);
		AtomicFiles.recover(folder, p -> Files.isRegularFile(p.resolve(STATE))).forEach(monitor::log);
		if (Files.isRegularFile(folder.resolve(STATE))) best = Json.read(folder.resolve(STATE), State.class);
	}

	/** The best evaluation so far, or null before the first one with a held-out error. */
	State best() {
		return best;
	}

	/** Records {@code figures} of iteration {@code it}; when its held-out error is the lowest so far, writes the weights. */
	boolean offer(long it, Map<String, Double> figures, TrainingTask task) {
		Double mse = figures.get("heldout_mse");
		if (mse == null || !Double.isFinite(mse) || it == 0 || (best != null && mse >= best.heldoutMse())) return false;
		State s = new State(it, mse, figures.getOrDefault("train_mean_mse", Double.NaN));
		AtomicFiles.replaceFolderVia(folder, tmp -> {
			Files.createDirectories(tmp);
			task.saveWeights(tmp);
			Json.write(tmp.resolve(STATE), s);
		});
		best = s;
		return true;
	}

	/** Iterations since the best evaluation (0 while there is none). */
	long since(long it) {
		return best == null ? 0 : it - best.iteration();
	}

	/** Copies the best weights into the run folder, file by file and each atomically, where loading finds them. */
	void copyWeightsTo(Path run) {
		try (var files = Files.list(folder)) {
			// every file the task's saveWeights wrote (encoder.params and decoder.params for the VAE), not the state
			List<Path> weights = new ArrayList<>(files.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().equals(STATE)).toList());
			if (weights.isEmpty()) throw new IOException("no weights in " + folder);
			for (Path w : weights) AtomicFiles.writeVia(run.resolve(w.getFileName().toString()), tmp -> Files.copy(w, tmp));
		} catch (IOException e) {
			throw new ExplorerException("Could not copy the best held-out weights from " + folder + " into " + run + ": " + e.getMessage()
				+ ". The weights are still in " + folder + ".", e);
		}
	}
}
