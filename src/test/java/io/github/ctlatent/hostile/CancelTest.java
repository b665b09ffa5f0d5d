package io.github.ctlatent.hostile;

import io.github.ctlatent.cli.CommandRunner;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.Launched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.github.ctlatent.hostile.Hostile.leftovers;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 23, item 4: a cancel is honoured within a second or two in every long loop, and nothing is written after it.
 * Generate Samples {@code count=20000 png=…} through the real launcher and SIGTERM (it used to run on for 35 s and
 * still write the whole PNG); Evaluate Directions and Export Traversal through the runner's cancel, the path that
 * Ctrl-C, SIGTERM and Fiji's Esc take. The PNG encoder's own stop is tested in {@code view.PngTest}.
 */
class CancelTest {

	static final Path GAN = Path.of("models/phantom-gan"), ORACLE = Path.of("models/phantom-oracle");
	/** A batch takes about half a second on one busy CPU thread; the JVM's own shutdown adds the rest. */
	static final double LIMIT_SECONDS = 3;

	@TempDir
	Path dir;

	@Test
	void sigtermStopsGenerateSamplesOfTwentyThousandWithinSecondsAndLeavesNoPicture() throws Exception {
		Path png = dir.resolve("samples.png");
		Launched p = Launched.start(Launched.testClassPath(), "Generate Samples", "model=" + GAN, "count=20000", "png=" + png, "device=cpu");
		assertTrue(p.awaitOutput("sampling", 120), p.output());
		Thread.sleep(1000); // inside the sampling loop (20,000 samples take most of a minute on one thread)
		assertTrue(p.process().isAlive(), "sampling ended on its own: " + p.output());
		double seconds = p.sigterm(60);
		System.out.printf("Generate Samples count=20000: stopped %.2f s after SIGTERM%n", seconds);
		assertEquals(130, p.process().exitValue(), p.output());
		assertTrue(p.output().contains("Canceled: Interrupted (SIGTERM)"), p.output());
		assertTrue(seconds < LIMIT_SECONDS, "took " + seconds + " s to stop");
		assertNothingWritten(png);
	}

	@Test
	void evaluateDirectionsStopsWithinSecondsWhileScoringTheNullAndWritesNoReport() throws Exception {
		// the defaults: 1,000 random directions x 8 bases x 9 frames in the null, minutes on one thread
		Path report = dir.resolve("report");
		double seconds = cancelDuring("Scoring the null", "Evaluate Directions", Map.of("model", GAN.toString(), "oracle", ORACLE.toString(),
			"baseline", "random", "output", report.toString(), "device", "cpu"));
		System.out.printf("Evaluate Directions: stopped %.2f s after the cancel%n", seconds);
		assertTrue(seconds < LIMIT_SECONDS, "took " + seconds + " s to stop");
		assertNothingWritten(report);
	}

	@Test
	void exportTraversalStopsWithinSecondsWhileWalkingAndWritesNoFolder() throws Exception {
		// 300 bases x 32 directions x 7 frames: about a minute of walks on one thread
		Path export = dir.resolve("export");
		Path sefa = dir.resolve("sefa");
		Harness.run(io.github.ctlatent.commands.DiscoverDirectionsCommand.class, "model", GAN, "output", sefa, "method", "sefa", "device", "cpu");
		double seconds = cancelDuring("frames in all", "Export Traversal", Map.of("model", GAN.toString(), "directions",
			sefa.resolve("directions.json").toString(), "seeds", "1-300", "output", export.toString(), "format", "png", "device", "cpu"));
		System.out.printf("Export Traversal: stopped %.2f s after the cancel%n", seconds);
		assertTrue(seconds < LIMIT_SECONDS, "took " + seconds + " s to stop");
		assertNothingWritten(export);
	}

	/**
	 * Runs {@code command} through the runner, cancels it one second after its log says {@code started} (inside the
	 * long loop), and returns how long it took to stop; it must end as a cancel, not a failure or a success.
	 */
	private static double cancelDuring(String started, String command, Map<String, String> args) throws Exception {
		CommandRunner runner = Harness.runner();
		LogService log = Harness.context().service(LogService.class);
		CountDownLatch seen = new CountDownLatch(1);
		LogListener listener = m -> {
			if (String.valueOf(m.text()).contains(started)) seen.countDown();
		};
		log.addLogListener(listener);
		try {
			CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> runner.run(runner.find(command), args));
			assertTrue(seen.await(120, TimeUnit.SECONDS), command + " never logged '" + started + "'");
			Thread.sleep(1000);
			assertFalse(run.isDone(), command + " ended before the cancel");
			long t0 = System.nanoTime();
			assertTrue(runner.cancelRunning("Interrupted (test)."));
			ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
			double seconds = (System.nanoTime() - t0) / 1e9;
			assertInstanceOf(CommandRunner.Canceled.class, e.getCause(), String.valueOf(e.getCause()));
			assertEquals("Interrupted (test).", e.getCause().getMessage());
			return seconds;
		} finally {
			log.removeLogListener(listener);
		}
	}

	/** No output, no hidden temporary file and no lock left beside it. */
	private void assertNothingWritten(Path output) throws Exception {
		assertFalse(Files.exists(output), output + " was written after the cancel");
		assertEquals(0, leftovers(dir), "temporary files left");
		try (var s = Files.list(dir)) {
			List<String> locks = s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".lock")).toList();
			assertEquals(List.of(), locks);
		}
	}
}
