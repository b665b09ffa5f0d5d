package io.github.ctlatent.cli;

import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.testing.JythonHarness;
import io.github.ctlatent.testing.MacroHarness;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The foundation's script and macro are executed for real (Jython, ImageJ 1 macro interpreter). */
class ScriptsAndMacrosTest {

	@Test
	void systemInfoScriptReturnsTheEngineReport() throws Exception {
		Map<String, Object> out = JythonHarness.run(Path.of("scripts/system_info.py"), Harness.context(), Map.of());
		assertTrue(String.valueOf(out.get("info")).contains("PyTorch 2.7.1"), String.valueOf(out.get("info")));
	}

	@Test
	void systemInfoMacroRunsTheCommand() throws Exception {
		List<MacroHarness.Call> calls = MacroHarness.runFile(Path.of("macros/system_info.ijm"));
		assertEquals(1, calls.size());
		assertTrue(String.valueOf(calls.get(0).outputs().get("info")).contains("device (auto):"));
	}

	@Test
	void macroKeysFollowFijiRules() {
		List<MacroHarness.Call> calls = MacroHarness.run("run(\"Echo Test\", \"count=3 name=[a b] shout device=cpu\");");
		assertEquals(Map.of("count", "3", "name", "a b", "shout", "true", "device", "cpu"), calls.get(0).args());
		assertEquals("false", MacroHarness.run("run(\"Echo Test\", \"count=1\");").get(0).args().get("shout"));
		assertEquals("A BA BA B|CPU|NULL|1.5", calls.get(0).outputs().get("echo"));
	}

	@Test
	void aFailingCommandFailsTheMacro() {
		RuntimeException e = assertThrows(RuntimeException.class, () -> MacroHarness.run("run(\"Echo Test\", \"count=-2\");"));
		assertEquals("count must be >= 0, got -2.", e.getMessage());
	}
}
