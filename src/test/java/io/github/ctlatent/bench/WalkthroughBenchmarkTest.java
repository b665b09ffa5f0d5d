package io.github.ctlatent.bench;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WalkthroughBenchmarkTest {

	@TempDir
	Path work;

	/** The benchmark's settings are the doc's: every key of every step is on one of docs/real-ct.md's lines for that command. */
	@Test
	void everyStepRunsWithTheDocumentedSettings() throws Exception {
		List<String> lines = Files.readAllLines(Path.of("docs/real-ct.md")).stream().filter(l -> l.startsWith("bin/latent-explorer \"")).toList();
		for (WalkthroughBenchmark.Step s : WalkthroughBenchmark.documented().subList(1, WalkthroughBenchmark.documented().size())) {
			List<String> keys = java.util.Arrays.stream(s.args()).filter(a -> !a.startsWith("input=")).map(a -> a.replace("{out}/", "work/")).toList();
			assertTrue(lines.stream().anyMatch(l -> l.startsWith("bin/latent-explorer \"" + s.command() + "\" ") && List.of(l.split(" ")).containsAll(keys)),
				s.name() + ": no line of docs/real-ct.md runs \"" + s.command() + "\" with " + keys);
		}
	}

	@Test
	void smokeSizesTimeEveryStepAndNameTheSlowest() throws Exception {
		Path run = work.resolve("run");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		System.setProperty("bench.walkthrough.smoke", "true");
		System.setProperty("bench.walkthrough.out", run.toString());
		System.setProperty("bench.walkthrough.iterations", "6");
		try (Context context = new Context(); PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
			Benchmarks.run(context, List.of("walkthrough"), out, Monitor.NONE);
			String printed = bytes.toString(StandardCharsets.UTF_8);
			assertTrue(printed.contains("train VAE (6 it.)"), printed);
			assertTrue(Files.readString(run.resolve("vae/model.json")).contains("\"iterations\": 6"), "the override reaches the command");
			for (String step : List.of("prepare", "train VAE", "PCA", "random", "traverse", "evaluate"))
				assertTrue(printed.lines().anyMatch(l -> l.strip().startsWith(step + " ") && l.contains(" s ")), step + " not timed:\n" + printed);
			assertTrue(printed.contains("time to an answer (prepare … evaluate)") && printed.contains("slowest: "), printed);
			assertTrue(Files.isRegularFile(run.resolve("evaluation/summary.txt")));
			assertTrue(Files.isRegularFile(run.resolve("walks/export.json")));
			// a second run refuses to write into the kept folder
			ExplorerException e = assertThrows(ExplorerException.class, () -> Benchmarks.run(context, List.of("walkthrough"), out, Monitor.NONE));
			assertTrue(e.getMessage().contains("already exists and is not empty"), e.getMessage());
		} finally {
			System.clearProperty("bench.walkthrough.smoke");
			System.clearProperty("bench.walkthrough.out");
			System.clearProperty("bench.walkthrough.iterations");
		}
	}

	@Test
	void aFewerIterationsOverrideTouchesOnlyTraining() {
		WalkthroughBenchmark.Step train = WalkthroughBenchmark.documented().get(2), pca = WalkthroughBenchmark.documented().get(3);
		assertTrue(List.of(train.withTrainingIterations("200").args()).contains("iterations=200"));
		assertSame(pca, pca.withTrainingIterations("200"));
		ExplorerException e = assertThrows(ExplorerException.class, () -> train.withTrainingIterations("0"));
		assertTrue(e.getMessage().contains("whole number"), e.getMessage());
	}
}
