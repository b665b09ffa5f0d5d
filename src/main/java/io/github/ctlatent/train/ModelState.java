package io.github.ctlatent.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Stable names of a model's parameters (DJL ids are random per JVM) and Adam state files keyed by them. */
final class ModelState {

	private final Map<String, String> nameOfId = new HashMap<>(), idOfName = new HashMap<>();

	/** @param blocks role name → block, e.g. "generator" → G */
	ModelState(Map<String, Block> blocks) {
		blocks.forEach((role, block) -> {
			for (Pair<String, Parameter> p : block.getParameters()) {
				String name = role + "/" + p.getKey();
				nameOfId.put(p.getValue().getId(), name);
				idOfName.put(name, p.getValue().getId());
			}
		});
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
