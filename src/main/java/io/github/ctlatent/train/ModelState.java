package io.github.ctlatent.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.ctlatent.optim.Adam;
import io.github.ctlatent.model.ModelFiles;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a model in training, by role ("generator" → G …): their weight files ({@code <role>.params}, the
 * names run folders and {@code Models.load} use) and its optimizers' state, keyed by stable parameter names (DJL ids
 * are random per JVM). What a {@link TrainingTask} checkpoints, whatever the model: the tasks delegate here.
 */
final class ModelState {

	private final Map<String, String> nameOfId = new HashMap<>(), idOfName = new HashMap<>();
	private final Map<String, Block> blocks;
	private final String architecture;
	/** State file name → optimizer, in the order they are saved; the first one's learning rate is the task's. */
	private final Map<String, Adam> optimizers = new java.util.LinkedHashMap<>();

	/**
	 * @param architecture e.g. "DCGAN DcganConfig[…]", named in errors about mismatched weight files
	 * @param blocks       role name → block, e.g. "generator" → G
	 */
	ModelState(String architecture, Map<String, Block> blocks) {
		this.architecture = architecture;
		this.blocks = blocks;
		blocks.forEach((role, block) -> {
			for (Pair<String, Parameter> p : block.getParameters()) {
				String name = role + "/" + p.getKey();
				nameOfId.put(p.getValue().getId(), name);
				idOfName.put(name, p.getValue().getId());
			}
		});
	}

	/** Adds an optimizer whose state is checkpointed as {@code file}; returns it. */
	Adam optimizer(String file, Adam adam) {
		optimizers.put(file, adam);
		return adam;
	}

	/** Weights and every optimizer's state into a checkpoint folder. */
	void saveState(Path folder) throws IOException {
		saveWeights(folder);
		for (Map.Entry<String, Adam> e : optimizers.entrySet()) save(e.getValue(), folder.resolve(e.getKey()));
	}

	/** What {@link #saveState} wrote. */
	void loadState(Path folder) throws IOException {
		loadWeights(folder);
		for (Map.Entry<String, Adam> e : optimizers.entrySet()) load(e.getValue(), folder.resolve(e.getKey()));
	}

	double baseLearningRate() {
		return optimizers.values().iterator().next().baseLearningRate();
	}

	/** Every optimizer's learning rate: the base one times {@code factor} (the schedule). */
	void scaleLearningRate(double factor) {
		for (Adam a : optimizers.values()) a.scaleLearningRate(factor);
	}

	/** Every part's weights as {@code <role>.params} in {@code folder} (each written atomically). */
	void saveWeights(Path folder) {
		blocks.forEach((role, block) -> ModelFiles.save(block, folder.resolve(role + ".params")));
	}

	void loadWeights(Path folder) {
		blocks.forEach((role, block) -> ModelFiles.load(block, folder.resolve(role + ".params"), architecture + " " + role));
	}

	private void save(Adam adam, Path file) throws IOException {
		try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
			adam.save(out, nameOfId::get);
		}
	}

	private void load(Adam adam, Path file) throws IOException {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
			adam.load(in, idOfName::get);
		}
	}
}
