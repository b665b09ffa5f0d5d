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
 * names run folders and {@code Models.load} use) and Adam state keyed by stable parameter names (DJL ids are random
 * per JVM).
 */
final class ModelState {

	private final Map<String, String> nameOfId = new HashMap<>(), idOfName = new HashMap<>();
	private final Map<String, Block> blocks;
	private final String architecture;

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

	/** Every part's weights as {@code <role>.params} in {@code folder} (each written atomically). */
	void saveWeights(Path folder) {
		blocks.forEach((role, block) -> ModelFiles.save(block, folder.resolve(role + ".params")));
	}

	void loadWeights(Path folder) {
		blocks.forEach((role, block) -> ModelFiles.load(block, folder.resolve(role + ".params"), architecture + " " + role));
	}

	void save(Adam adam, Path file) throws IOException {
		try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
			adam.save(out, nameOfId::get);
		}
	}

	void load(Adam adam, Path file) throws IOException {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
			adam.load(in, idOfName::get);
		}
	}
}
