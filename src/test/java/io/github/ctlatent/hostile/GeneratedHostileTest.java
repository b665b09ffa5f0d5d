package io.github.ctlatent.hostile;

import io.github.ctlatent.cli.HostileSuite;
import io.github.ctlatent.cli.HostileWorkspace;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fast subset of the generated hostile campaign (issue 23): for every command and every key it declares, the
 * values that must be refused before heavy work (NaN, ±Infinity, 1e308, huge integers, non-numbers, empty, bad
 * choices; paths: missing, a file for a folder, the input, its parent, {@code /}, a link to the input, a link loop, a
 * dangling link, a folder of ours holding a link to the input), through the real runner. Every case must end as one
 * clear message or a success whose outputs are finite, and every input stays hash-identical. The full campaign is
 * {@code bin/latent-explorer bench hostile}.
 */
class GeneratedHostileTest {

	@TempDir
	Path dir;

	@Test
	void everyCommandAndKeyAnswersHostileValuesWithAClearMessageOrASaneSuccessAndNoInputChanges() throws Exception {
		HostileWorkspace work = new HostileWorkspace(dir, Path.of("."), Harness.runner());
		Map<String, String> hashes = work.inputHashes();
		HostileSuite suite = new HostileSuite(Harness.runner(), work, 60);
		assertEquals(List.of(), suite.uncovered(), "commands without base arguments in HostileWorkspace.base: the suite cannot generate their cases");
		List<HostileSuite.Case> cases = suite.cases(true);
		List<HostileSuite.Result> results = suite.runAll(cases, System.out);
		System.out.print(HostileSuite.tally(results));
		List<String> bad = results.stream().filter(r -> r.outcome() != HostileSuite.Outcome.CLEAR_ERROR && r.outcome() != HostileSuite.Outcome.CORRECT_SUCCESS)
			.map(r -> r.outcome() + " " + r.c().name() + ": " + r.detail()).toList();
		assertEquals(List.of(), bad, String.join("\n", bad));
		assertEquals(hashes, work.inputHashes(), "an input changed");
		// every command is exercised (a command without keys has no cases: System Info)
		assertTrue(results.stream().map(r -> r.c().command()).distinct().count() >= 12, HostileSuite.tally(results));
	}
}
