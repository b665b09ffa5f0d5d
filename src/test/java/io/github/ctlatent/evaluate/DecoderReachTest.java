package io.github.ctlatent.evaluate;

import io.github.ctlatent.commands.EvaluateDirectionsCommand;
import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DecoderReachTest {

	@TempDir
	Path dir;

	/** Positions 0, 0.01, …, 0.99 along the body. */
	private static double[] positions() {
		double[] z = new double[100];
		for (int i = 0; i < z.length; i++) z[i] = i / 100.0;
		return z;
	}

	@Test
	void aDecoderThatDrawsEverySliceWhereItIsReachesTheWholeBody() {
		double[] z = positions();
		DecoderReach.Result r = DecoderReach.of(z, z.clone());
		// the lowest tenth reads 0.00..0.09 (mean 0.045), the highest 0.90..0.99 (mean 0.945), both for slices and reconstructions
		assertEquals(0.045, r.realLow(), 1e-9);
		assertEquals(0.945, r.realHigh(), 1e-9);
		assertEquals(1.0, r.share(), 1e-9);
	}

	@Test
	void aDecoderThatDrawsOnePlaceForEverySliceReachesNothing() {
		double[] z = positions(), same = new double[z.length];
		java.util.Arrays.fill(same, 0.5);
		assertEquals(0.0, DecoderReach.of(z, same).share(), 1e-9);
	}

	@Test
	void aDecoderThatPullsTheEndsHalfwayToTheMiddleReachesHalf() {
		double[] z = positions(), pulled = new double[z.length];
		for (int i = 0; i < z.length; i++) pulled[i] = 0.5 + (z[i] - 0.5) / 2;
		DecoderReach.Result r = DecoderReach.of(z, pulled);
		assertEquals(0.5, r.share(), 1e-9);
		assertEquals(0.45, r.span(), 1e-9); // 0.7475 − 0.2975: half of 0.945 − 0.045
		// and the slices are sorted by their own reading, not the reconstructions': shuffling the pairs changes nothing
		double[] zs = new double[100], ps = new double[100];
		for (int i = 0; i < 100; i++) {
			int j = (i * 37) % 100;
			zs[i] = z[j];
			ps[i] = pulled[j];
		}
		assertEquals(0.5, DecoderReach.of(zs, ps).share(), 1e-9);
		assertThrows(IllegalArgumentException.class, () -> DecoderReach.of(new double[5], new double[5]));
	}

	@Test
	void anEvaluationOfTheShippedVaeReportsItsDecodersReachAndOneOfTheGanDoesNot() throws Exception {
		// given 3 phantom volumes as a 64² reference slice set
		Path slices = dir.resolve("slices");
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("phantom"), "count", 3, "size", 64, "slices", 24, "format", "nifti", "seed", 5);
		Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("phantom"), "output", slices, "size", 64);
		// when the shipped VAE's axes are evaluated against the shipped oracle
		Map<String, Object> out = Harness.run(EvaluateDirectionsCommand.class, "model", Path.of("models/phantom-vae"), "oracle", Path.of("models/phantom-oracle"),
			"output", dir.resolve("vae"), "baseline", "axes", "reference", slices, "bases", 2, "steps", 1, "random", 5, "random_3d", 3, "frames_3d", 3);
		// then the summary states how much of the body its decoder draws: part of it, not none and not more than all
		String summary = String.valueOf(out.get("summary"));
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("Decoder reach \\(VAE\\): .* the decoder draws (\\d+)% of that range").matcher(summary);
		assertTrue(m.find(), summary);
		int share = Integer.parseInt(m.group(1));
		assertTrue(share > 30 && share < 95, "measured on the phantom: about two thirds; here " + share + "%");
		// and the report's card holds it
		String card = Files.readString(dir.resolve("vae").resolve(EvaluationReport.CARD));
		assertTrue(card.contains("\"decoderReach\""), card);
		// and a GAN has no encoder to reconstruct with: no such line
		Map<String, Object> gan = Harness.run(EvaluateDirectionsCommand.class, "model", Path.of("models/phantom-gan"), "oracle", Path.of("models/phantom-oracle"),
			"output", dir.resolve("gan"), "baseline", "axes", "reference", slices, "bases", 2, "steps", 1, "random", 5, "random_3d", 3, "frames_3d", 3);
		assertFalse(String.valueOf(gan.get("summary")).contains("Decoder reach"));
	}
}
