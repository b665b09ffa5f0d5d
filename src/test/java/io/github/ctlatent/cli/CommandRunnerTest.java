package io.github.ctlatent.cli;

import io.github.ctlatent.cli.CommandRunner.UsageException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.testing.EchoTestCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

class CommandRunnerTest {

	private final CommandRunner runner = Harness.runner();

	@Test
	void findsCommandsByLabelSimpleAndFullClassName() {
		assertEquals(EchoTestCommand.class.getName(), runner.find("Echo Test").getClassName());
		assertEquals(EchoTestCommand.class.getName(), runner.find("echo_test").getClassName());
		assertEquals(EchoTestCommand.class.getName(), runner.find("EchoTestCommand").getClassName());
		assertEquals(EchoTestCommand.class.getName(), runner.find(EchoTestCommand.class.getName()).getClassName());
	}

	@Test
	void convertsEveryParameterKind() {
		Map<String, Object> out = Harness.run(EchoTestCommand.class, "count", "2", "name", "ab", "shout", "true",
			"device", "cpu", "folder", "/tmp/x", "scale", "0.25");
		assertEquals("ABAB|CPU|/TMP/X|0.25", out.get("echo"));
	}

	@Test
	void keepsFieldDefaultsForOmittedKeys() {
		assertEquals("default name|auto|null|1.5", Harness.run(EchoTestCommand.class, "count", "1").get("echo"));
	}

	@Test
	void rejectsBadCallsBeforeRunning() {
		var info = runner.find("Echo Test");
		assertMessage(() -> runner.run(info, Map.of()), "Missing required value count=<integer>");
		assertMessage(() -> runner.run(info, Map.of("count", "1", "colour", "red")), "Unknown key 'colour'");
		assertMessage(() -> runner.run(info, Map.of("count", "two")), "count=two is not a valid integer");
		assertMessage(() -> runner.run(info, Map.of("count", "1", "shout", "maybe")), "shout=maybe is not a valid true|false");
		assertMessage(() -> runner.run(info, Map.of("count", "1", "device", "tpu")), "device=tpu is not one of [cpu, gpu, auto]");
		assertThrows(UsageException.class, () -> runner.find("No Such Command"));
	}

	@Test
	void commandErrorsBecomeOneClearMessage() {
		ExplorerException e = assertThrows(ExplorerException.class, () -> Harness.run(EchoTestCommand.class, "count", "-1"));
		assertEquals("count must be >= 0, got -1.", e.getMessage());
		assertFalse(e instanceof CommandRunner.Canceled, "a failure is not a cancel, though the command cancels itself to report it");
	}

	@Test
	void cancelStopsARunningCommand() throws Exception {
		var info = runner.find("Echo Test");
		CompletableFuture<Map<String, Object>> f = CompletableFuture.supplyAsync(() -> runner.run(info, Map.of("count", "1", "sleep_steps", "3000")));
		long deadline = System.currentTimeMillis() + 10_000;
		while (!runner.cancelRunning("Interrupted (test).") && System.currentTimeMillis() < deadline) Thread.sleep(5);
		Exception e = assertThrows(Exception.class, () -> f.get());
		assertTrue(e.getCause() instanceof CommandRunner.Canceled, e.toString()); // the type, not the message, says canceled (exit 130)
		assertEquals("Interrupted (test).", e.getCause().getMessage());
	}

	@Test
	void imageOutputsAreLeftToTheCallerWithoutAHeadlessDisplayWarning() {
		// given a listener on the context's log
		List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.scijava.log.LogListener listener = m -> {
			if (m.level() <= org.scijava.log.LogLevel.WARN) warnings.add(String.valueOf(m.text()));
		};
		org.scijava.log.LogService log = Harness.context().service(org.scijava.log.LogService.class);
		log.addLogListener(listener);
		try {
			// when a command with an image output runs headless
			Map<String, Object> out = Harness.run(io.github.ctlatent.commands.GenerateSamplesCommand.class,
				"model", java.nio.file.Path.of("models/phantom-gan").toAbsolutePath().toString(), "count", "1", "seed", "3");
			// then the image comes back to the caller and nothing tried to display it
			assertInstanceOf(ij.ImagePlus.class, out.get("samples"));
			assertTrue(warnings.stream().noneMatch(w -> w.contains("unsupported output")), warnings.toString());
		} finally {
			log.removeLogListener(listener);
		}
	}

	@Test
	void parsesMacroStyleValues() {
		assertEquals(Map.of("name", "a b", "x", "1", "q", "c d"), CommandRunner.parseArgs(List.of("name=[a b]", "X=1", "q=\"c d\"")));
		assertThrows(UsageException.class, () -> CommandRunner.parseArgs(List.of("=1")));
	}

	@Test
	void aBareOnOffKeyMeansTrueAsInAMacroAndABareValuedKeyIsRefused() {
		var info = runner.find("Echo Test");
		// given "shout" alone, as a Fiji macro writes a ticked checkbox, when running: then it is shout=true
		assertEquals("ABAB|AUTO|NULL|1.5", runner.run(info, CommandRunner.parseArgs(List.of("count=2", "name=ab", "shout"))).get("echo"));
		// and a key that needs a value, given bare, is one clear usage error naming it
		assertMessage(() -> runner.run(info, CommandRunner.parseArgs(List.of("count=1", "name"))), "Key 'name' is given without a value; write name=<");
	}

	@Test
	void helpIsGeneratedFromMetadata() {
		String help = runner.help(runner.find("Echo Test"));
		assertTrue(help.contains("count") && help.contains("<integer>") && help.contains("how many") && help.contains("(required)"), help);
		assertTrue(help.contains("[default: 1.5]"), help);
		assertTrue(help.contains("<cpu|gpu|auto>"), help);
	}

	private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
		UsageException e = assertThrows(UsageException.class, call);
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}
}
