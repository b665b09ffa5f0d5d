package io.github.ctlatent.traverse;

import ai.djl.Device;
import io.github.ctlatent.cli.Cli;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Walks from a slice set with a VAE start, by default, from training slices the model reconstructs well, and say so
 * (log and export.json); slices the user lists are walked from exactly as before. On the shipped VAE and one phantom
 * volume written as NIfTI (a slab split: 28 training slices, 8 held out).
 */
class DefaultBasesTest {

	static final Path VAE = Path.of("models/phantom-vae").toAbsolutePath();

	@TempDir
	static Path dir;

	static Path slices, directions;

	@BeforeAll
	static void aSliceSetAndDirectionsOfTheShippedVae() {
		ok("Generate Thorax Phantom", "output=" + dir.resolve("scans"), "count=1", "size=64", "slices=40", "format=nifti", "seed=3");
		slices = dir.resolve("slices");
		ok("Prepare Slice Set", "input=" + dir.resolve("scans"), "output=" + slices, "size=64", "test_fraction=0.2");
		ok("Discover Directions", "model=" + VAE, "output=" + dir.resolve("random"), "deformator=random", "directions=2");
		directions = dir.resolve("random/directions.json");
	}

	@Test
	void withoutBaseSlicesTheWalksStartFromWellReconstructedTrainingSlicesSpreadAlongTheBody() {
		// given a VAE and its kind of slice set, when walking from the set without naming slices
		List<String> log = Harness.logged(() -> Harness.run(ExportTraversalCommand.class, "model", VAE, "directions", directions, "indices", "0",
			"base_slice_set", slices, "output", dir.resolve("walks"), "format", "png", "device", "cpu"));
		Map<?, ?> card = Json.read(dir.resolve("walks/export.json"), Map.class);
		List<Map<?, ?>> bases = bases(card);
		// then eight training slices, in order along the body, covering its first and last quarter
		assertEquals(8, bases.size());
		String[] split = DatasetCard.read(slices).splitPerSlice();
		int[] chosen = bases.stream().mapToInt(b -> ((Number) b.get("slice")).intValue()).toArray();
		for (int s : chosen) assertEquals("train", split[s], "slice " + s);
		for (int i = 1; i < chosen.length; i++) assertTrue(chosen[i] > chosen[i - 1], Arrays.toString(chosen));
		assertTrue(chosen[0] < 10 && chosen[7] >= 30, Arrays.toString(chosen));
		// and the reconstruction errors written are the model's, below the training slices' average (the best of each
		// stretch, not any) and below the held-out slices' the old default walked from
		SliceSet set = SliceSet.open(slices);
		double[] mse = errors(set, chosen);
		for (int i = 0; i < chosen.length; i++) assertEquals(mse[i], ((Number) bases.get(i).get("reconstructionMse")).doubleValue(), 1e-5);
		double mean = Arrays.stream(mse).average().orElseThrow(), training = Arrays.stream(errors(set, set.indices(SliceSet.Split.TRAIN))).average().orElseThrow(),
			heldOut = Arrays.stream(errors(set, set.indices(SliceSet.Split.TEST))).average().orElseThrow();
		assertTrue(mean < training && mean < heldOut, Arrays.toString(mse) + " vs training " + training + ", held-out " + heldOut);
		// and the log and export.json say how they were chosen and how to choose otherwise
		String how = (String) card.get("baseChoice");
		assertTrue(how.startsWith("no base_slices given, so the walks start from slices the VAE reconstructs well") && how.contains("base_slices="), how);
		assertTrue(log.contains("Base latents: " + how), log.toString());
	}

	@Test
	void listedSlicesAreWalkedFromAsBefore() {
		// given slices the user lists, when walking
		List<String> log = Harness.logged(() -> Harness.run(ExportTraversalCommand.class, "model", VAE, "directions", directions, "indices", "0",
			"base_slice_set", slices, "base_slices", "15,16", "output", dir.resolve("listed"), "format", "png", "device", "cpu"));
		Map<?, ?> card = Json.read(dir.resolve("listed/export.json"), Map.class);
		// then exactly those, held-out as they are, with no default choice recorded
		assertEquals(List.of("slices slice 15", "slices slice 16"), bases(card).stream().map(b -> b.get("name")).toList());
		assertFalse(bases(card).get(0).containsKey("reconstructionMse"));
		assertFalse(card.containsKey("baseChoice"));
		assertTrue(log.contains("Base latents: VAE encodings of slices slice 15, slices slice 16"), log.toString());
	}

	private static double[] errors(SliceSet set, int[] slices) {
		try (VaeEncoder enc = VaeEncoder.load(VAE, Device.cpu()); Generator g = Models.load(VAE, Device.cpu())) {
			double[] out = new double[slices.length];
			for (int i = 0; i < slices.length; i++) {
				float[] x = set.slice(slices[i]), y = g.images(enc.encode(new float[][] {x})[0])[0];
				for (int p = 0; p < x.length; p++) out[i] += (x[p] - y[p]) * (double) (x[p] - y[p]) / x.length;
			}
			return out;
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<?, ?>> bases(Map<?, ?> card) {
		return (List<Map<?, ?>>) card.get("bases");
	}

	static Cli.Outcome ok(String... args) {
		Cli.Outcome o = Cli.run(args);
		assertEquals(0, o.exit(), String.join(" ", args) + "\n" + o.out() + o.err());
		return o;
	}
}
