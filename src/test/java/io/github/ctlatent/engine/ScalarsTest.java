package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalarsTest {

	@Test
	void productQuotientAndMaximumWithAConstant() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			NDArray x = m.create(new float[] {-2f, 0.5f, 3f});
			assertArrayEquals(new float[] {-1f, 0.25f, 1.5f}, Scalars.mul(x, 0.5f).toFloatArray());
			assertArrayEquals(new float[] {-8f, 2f, 12f}, Scalars.div(x, 0.25f).toFloatArray());
			assertArrayEquals(new float[] {0f, 0.5f, 3f}, Scalars.maximum(x, 0f).toFloatArray());
		}
	}

	/** Files allowed DJL's Number overloads of the ops that save their operand, and why. */
	private static final Map<String, String> ALLOWED = Map.of(
		"evaluate/OracleTraining.java", "the frozen evaluator's oracle training (docs/numerics.md: known, not changed)",
		"engine/NumericsCheck.java", "the injected fault scales a finished gradient, outside any graph");

	@Test
	void noSourceMultipliesDividesOrTakesAMaximumWithANumberLiteralThroughDjl() throws IOException {
		// x.mul(0.5f), x.div((float) n), x.maximum(0): DJL closes the Java-backed constant while autograd keeps it
		Pattern numberArgument = Pattern.compile("(?<!Math)(?<!Pca)\\.(mul|div|maximum|minimum|pow)\\(\\s*(-?[0-9]|\\((float|double|int|long)\\)|Math\\.)");
		Path root = Path.of("src/main/java/io/github/ctlatent");
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
				String rel = root.relativize(f).toString().replace('\\', '/');
				if (ALLOWED.containsKey(rel)) continue;
				List<String> lines = Files.readAllLines(f);
				Pattern numberVariable = numberVariables(String.join("\n", lines));
				for (int i = 0; i < lines.size(); i++) {
					String line = lines.get(i).trim();
					if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) continue; // comments may name the trap
					if (numberArgument.matcher(line).find() || numberVariable != null && numberVariable.matcher(line).find())
						found.add(rel + ":" + (i + 1) + ": " + lines.get(i).trim());
				}
			}
		}
		assertEquals(List.of(), found, "use engine.Scalars (or an array that lives until the backward pass) instead");
	}

	/**
	 * The same trap with a number variable ({@code x.div(eps)}, {@code x.div(k - 1)}): the names the file declares as
	 * float, double, int or long (fields, parameters, locals), as the first word of such an op's argument; null if none.
	 */
	static Pattern numberVariables(String source) {
		Matcher d = Pattern.compile("\\b(?:float|double|int|long)\\s+(\\w+)\\s*[=;,)]").matcher(source);
		List<String> names = new ArrayList<>();
		while (d.find()) names.add(d.group(1));
		if (names.isEmpty()) return null;
		return Pattern.compile("(?<!Math)(?<!Pca)\\.(mul|div|maximum|minimum|pow)\\(\\s*(" + String.join("|", names) + ")\\s*[-+*/)]");
	}

	@Test
	void aNumberVariableAsTheConstantIsCaughtToo() {
		Pattern p = numberVariables("static NDArray f(NDArray x, float eps, int k) { return x.div(eps).mul(k - 1); }");
		assertTrue(p.matcher("return x.div(eps);").find());
		assertTrue(p.matcher("y = x.mul(k - 1);").find());
		assertFalse(p.matcher("y = x.mul(other);").find(), "an NDArray operand is fine");
		assertFalse(p.matcher("y = Scalars.div(x, eps);").find());
	}
}
