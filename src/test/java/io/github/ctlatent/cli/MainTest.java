package io.github.ctlatent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MainTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

	private int run(String... args) {
		return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
	}

	@Test
	void helpListsEveryCommandWithItsParameters() {
		assertEquals(0, run("--help"));
		String s = out.toString(StandardCharsets.UTF_8);
		assertTrue(s.contains("Latent Explorer System Info"), s);
		assertTrue(s.contains("Echo Test") && s.contains("sleep_steps"), s);
	}

	@Test
	void runsACommandAndPrintsItsOutputs() {
		assertEquals(0, run("Echo Test", "count=2", "name=[x y]"));
		assertTrue(out.toString(StandardCharsets.UTF_8).contains("echo = x yx y|auto|null|1.5"), out.toString());
	}

	@Test
	void systemInfoNamesEngineDeviceThreadsOfflineAndCache() {
		assertEquals(0, run("Latent Explorer System Info"));
		String s = out.toString(StandardCharsets.UTF_8);
		for (String k : new String[] {"DJL:", "PyTorch 2.7.1", "device (auto):", "intra-op threads:", "offline:", "DJL cache folder:"})
			assertTrue(s.contains(k), k + " missing in\n" + s);
	}

	@Test
	void exitCodesTellUsageFromFailure() {
		assertEquals(2, run("Nope"));
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown command 'Nope'"));
		assertEquals(2, run("Echo Test", "count=x"));
		assertEquals(1, run("Echo Test", "count=-3"));
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("count must be >= 0, got -3."));
	}

	@Test
	void everyDemoStepNamesARealCommandAndRealKeys() {
		CommandRunner runner = io.github.ctlatent.testing.Harness.runner();
		for (Demo.Step step : Demo.steps()) {
			var info = runner.find(step.command());
			var keys = CommandRunner.userInputs(info).stream().map(i -> i.getName()).toList();
			for (String a : step.args()) assertTrue(keys.contains(a.substring(0, a.indexOf('='))), step.command() + ": " + a);
		}
	}

	@Test
	void aDemoRerunClearsTheOutputsOfEveryStepThatRefusesToOverwrite() {
		assertEquals(List.of("gan", "directions-sefa", "directions-voynov", "evaluation-gan-sefa", "evaluation-gan-voynov", "directions-sefa-vae",
			"evaluation-vae-sefa", "evaluation-pairvae-axes", "evaluation-posvae-axes"), Demo.refusingOutputs());
	}

	@Test
	void benchListNamesTheMatmulCeiling() {
		assertEquals(0, run("bench", "--list"));
		assertTrue(out.toString(StandardCharsets.UTF_8).contains("matmul"));
	}
}
