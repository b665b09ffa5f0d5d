package io.github.ctlatent.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packages' layers (README "The pipeline"): a package uses only the packages below it. Read from the sources. */
class LayersTest {

	/** Lowest first; the last group may use everything before it and each other. */
	static final List<String> LAYERS = List.of("core", "engine", "optim", "data", "model", "picture", "train", "discover", "traverse", "evaluate", "view");
	static final List<String> TOP = List.of("commands", "cli", "bench", "testing");

	private static final Pattern USE = Pattern.compile("io\\.github\\.ctlatent\\.([a-z]+)\\.");

	@Test
	void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
		List<String> violations = new ArrayList<>();
		Path root = Path.of("src/main/java/io/github/ctlatent");
		try (Stream<Path> files = Files.walk(root)) {
			for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
				String pkg = root.relativize(f).getName(0).toString();
				if (TOP.contains(pkg)) continue;
				int layer = LAYERS.indexOf(pkg);
				assertTrue(layer >= 0, "package " + pkg + " has no layer: add it to LAYERS (and the README)");
				Matcher m = USE.matcher(Files.readString(f));
				while (m.find()) {
					String used = m.group(1);
					if (used.equals(pkg)) continue;
					int usedLayer = LAYERS.indexOf(used);
					if (usedLayer < 0 || usedLayer > layer) violations.add(root.relativize(f) + " uses " + used);
				}
			}
		}
		assertEquals(List.of(), violations.stream().distinct().toList());
	}

	@Test
	void theCheckSeesAnUpwardUse() {
		// the rule itself: train may use picture, picture may not use train
		assertTrue(LAYERS.indexOf("picture") < LAYERS.indexOf("train"));
		Matcher m = USE.matcher("import io.github.ctlatent.train.Training;");
		assertTrue(m.find() && LAYERS.indexOf(m.group(1)) > LAYERS.indexOf("picture"));
	}
}
