package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The evaluator passes its known answers before it judges anything (issue 22): the fast suite on the shipped oracle
 * and its measured floor, significance against the shipped GAN's null. The full suite is {@code bench known-answers}.
 */
class KnownAnswersTest {

	static final Path ORACLE = Path.of("models/phantom-oracle"), GAN = Path.of("models/phantom-gan");

	@Test
	void givenTheShippedOracle_whenTheFastKnownAnswerSuiteRuns_thenPerfectWalksAreCleanMixesAreNotAndRandomDirectionsRarelyAre() {
		try (FactorOracle o = FactorOracle.load(ORACLE, Device.cpu()); Generator g = Models.load(GAN, Device.cpu())) {
			assertNotNull(o.floor(), "the shipped oracle carries its measured floor (" + OracleFloor.FILE + ")");
			KnownAnswers.Report r = KnownAnswers.run(o, g, KnownAnswers.Settings.fast(), Monitor.NONE);
			String md = KnownAnswers.markdown(r);
			assertEquals(7, r.scoredFactors(), md);
			assertEquals(r.scoredFactors(), r.perfectFactorsPassed(), "every scored factor's perfect walk is clean and significant\n" + md);
			assertEquals(0, r.mixesCalledClean(), "no two-factor walk is called clean\n" + md);
			assertTrue(r.worstRandomCleanShare() <= 0.01, "at most 1% of random directions are called clean per factor\n" + md);
			// the GAN's random directions fail the leakage rule itself (the VAE's do in 1-2.5%, where significance decides)
			assertTrue(r.worstRandomRuleCleanShare() <= 0.01, "on the GAN not even the leakage rule passes random directions\n" + md);
			assertEquals(42, r.mixes().size(), "21 pairs of scored factors, each judged for both");
			// generated images are softer than real ones: the same perfect walks blurred as a VAE draws must read the same
			assertEquals(r.perfect().size(), r.soft().size(), "every perfect walk is drawn softly too");
			assertEquals(r.scoredFactors(), r.softFactorsPassed(), "every perfect walk drawn softly stays clean, significant and as large\n" + md);
			assertTrue(r.passes(), md);
			// the training's known changes, judged like walks: a vertical shift is the phantom's own y_shift (the table
			// moves with the body), a y-scale is not its height (the fat layer is so many mm thick whatever the height)
			assertEquals(4 * KnownAnswers.CHANGE_AMOUNTS.length, r.changes().size(), md);
			KnownAnswers.Row shift = change(r, "y_shift", 0.5), yScale = change(r, "y_scale", 0.5);
			assertTrue(shift.clean() && shift.significant() && shift.entry().rho() > 0.95, "a vertical shift walks y_shift alone\n" + md);
			assertTrue(!yScale.clean() && yScale.worstLeak().startsWith("fat"), "a y-scale moves fat beside height\n" + md);
		}
	}

	private static KnownAnswers.Row change(KnownAnswers.Report r, String change, double amount) {
		return r.changes().stream().filter(x -> x.walk().equals(change) && x.effect() == amount).findFirst().orElseThrow();
	}

	@Test
	void givenAFloorOfAnotherOracle_whenLoaded_thenOneClearErrorSaysToMeasureItAgain(@TempDir Path tmp) throws Exception {
		Path copy = tmp.resolve("oracle");
		Files.createDirectories(copy);
		for (String f : new String[] {"model.json", FactorOracle.WEIGHTS}) Files.copy(ORACLE.resolve(f), copy.resolve(f));
		Files.writeString(copy.resolve(OracleFloor.FILE), "{\"version\": 1, \"factors\": [\"a\"], \"effects\": [1], \"leak\": [[[[0.1, 0.2]]]]}");
		ExplorerException e = assertThrows(ExplorerException.class, () -> FactorOracle.load(copy, Device.cpu()).close());
		assertTrue(e.getMessage().contains("does not belong to this oracle") && e.getMessage().contains("known-answers"), e.getMessage());
		// the shipped floor with the same factors, but measured on other weights (an oracle retrained in place)
		String shipped = Files.readString(ORACLE.resolve(OracleFloor.FILE));
		try (FactorOracle o = FactorOracle.load(ORACLE, Device.cpu())) {
			assertTrue(shipped.contains(o.fingerprint()), "the shipped floor names the shipped weights");
		}
		Files.writeString(copy.resolve(OracleFloor.FILE), shipped);
		try (FactorOracle o = FactorOracle.load(copy, Device.cpu())) {
			assertNotNull(o.floor(), "a copy of the same weights keeps its floor");
		}
		byte[] w = Files.readAllBytes(copy.resolve(FactorOracle.WEIGHTS));
		w[w.length - 1] ^= 1;
		Files.write(copy.resolve(FactorOracle.WEIGHTS), w);
		e = assertThrows(ExplorerException.class, () -> FactorOracle.load(copy, Device.cpu()).close());
		assertTrue(e.getMessage().contains("measured with other weights"), e.getMessage());
		Files.copy(ORACLE.resolve(FactorOracle.WEIGHTS), copy.resolve(FactorOracle.WEIGHTS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Files.delete(copy.resolve(OracleFloor.FILE));
		try (FactorOracle o = FactorOracle.load(copy, Device.cpu())) {
			assertNull(o.floor(), "no floor: leakage is scored raw");
		}
	}
}
