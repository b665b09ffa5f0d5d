package io.github.ctlatent.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fiji finds commands only through the SciJava annotation index inside the jar: check the built jar lists every
 * command class of the project (runs in {@code mvn verify}, after packaging).
 */
class PluginIndexIT {

	@Test
	void builtJarIndexesEveryCommand() throws IOException {
		Path jar;
		try (Stream<Path> s = Files.list(Path.of("target"))) {
			jar = s.filter(p -> p.getFileName().toString().matches("ct-latent-explorer-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
				.orElseThrow(() -> new AssertionError("no jar in target/"));
		}
		String index;
		List<String> commandClasses = new ArrayList<>();
		try (JarFile jf = new JarFile(jar.toFile())) {
			var entry = jf.getEntry("META-INF/json/org.scijava.plugin.Plugin");
			assertNotNull(entry, "the jar has no SciJava plugin index: was annotation processing disabled?");
			try (InputStream in = jf.getInputStream(entry)) {
				index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			jf.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/github/ctlatent/commands/") && n.endsWith("Command.class")
				&& !n.contains("$") && !n.endsWith("ExplorerCommand.class")).forEach(n -> commandClasses.add(n.replace('/', '.').replace(".class", "")));
		}
		assertFalse(commandClasses.isEmpty());
		for (String c : commandClasses) {
			try {
				if (java.lang.reflect.Modifier.isAbstract(Class.forName(c).getModifiers())) continue; // shared bases, not commands
			} catch (ClassNotFoundException e) {
				throw new AssertionError(c + " is in the jar but not loadable", e);
			}
			assertTrue(index.contains("\"" + c + "\""), c + " is not in the jar's plugin index");
		}
		assertTrue(index.contains("org.scijava.command.Command"));
	}
}
