package io.github.ctlatent.cli;

import io.github.ctlatent.core.Json;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * docs/real-ct.md runs as written: the command lines between its walkthrough markers go, unchanged except for
 * {@code $WORK}, through the headless launcher (one volume written as NIfTI → slab-split slice set → VAE → PCA and an
 * instant random baseline → traversals from eight well-reconstructed training slices with every export → the label-free evaluation
 * of the PCA directions against the scan's own slices, without a factor oracle → a GAN on the same slices, walked
 * from a held-out slice projected into its latent space).
 */
class RealCtWalkthroughTest {

	@TempDir
	Path work;

	@Test
	void theWalkthroughRunsAsWritten() throws Exception {
		List<List<String>> commands = commands(Files.readString(Path.of("docs/real-ct.md")));
		assertEquals(11, commands.size(), commands.toString());
		StringBuilder log = new StringBuilder();
		for (List<String> c : commands) {
			Cli.Outcome o = Cli.run(c.toArray(new String[0]));
			log.append(o.out()).append(o.err());
			assertEquals(0, o.exit(), c + "\n" + o.out() + o.err());
		}
		String all = log.toString();
		DatasetCard slices = DatasetCard.read(work.resolve("slices"));
		assertEquals("slabs", slices.split);
		assertTrue(slices.splitNote.startsWith("Only one volume, so the split is by slab, not by patient: slices 15-22 of phantom_000"), slices.splitNote);
		assertTrue(all.contains("8 test, split by slab"), all);
		assertTrue(slices.health.warnings().isEmpty(), slices.health.warnings().toString());
		assertNotNull(slices.volumes.get(0).metadata().get("sclSlope"));
		assertTrue(Files.isRegularFile(work.resolve("vae/reconstructions.png")));
		assertTrue(ModelCard.read(work.resolve("vae")).health.containsKey("no_better_than_constant"), "the doc promises this warning");
		assertEquals(4, DirectionSet.load(work.resolve("pca/directions.json")).directionCount());
		assertFalse(Files.exists(work.resolve("random/reconstructor.params")));
		assertTrue(all.contains("8 walk(s) of 4 direction(s) x 7 frames; 56 file(s) in "), all);
		for (String f : List.of("traversal_base00.tif", "traversal_base07.xml", "traversal_base01.png", "direction_03_base05.gif"))
			assertTrue(Files.isRegularFile(work.resolve("walks").resolve(f)), f);
		// no base_slices: the walks start from training slices the VAE reconstructs well, and export.json says so
		Map<?, ?> export = Json.read(work.resolve("walks/export.json"), Map.class);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> bases = (List<Map<String, Object>>) export.get("bases");
		String[] split = slices.splitPerSlice();
		for (Map<String, Object> b : bases) {
			assertEquals("train", split[((Number) b.get("slice")).intValue()], b.toString());
			assertTrue(((Number) b.get("reconstructionMse")).doubleValue() >= 0, b.toString());
		}
		assertTrue(((String) export.get("baseChoice")).contains("of each of 8 stretches of 28 training slices of slices"), (String) export.get("baseChoice"));
		assertTrue(((String) ((Map<?, ?>) export.get("window")).get("why")).contains("the data's values -1030…693 span 79% of the lung window"), export.toString());
		// the last step: Evaluate Directions without oracle= ranks the PCA directions against the scan's slices
		String summary = Files.readString(work.resolve("evaluation/summary.txt"));
		assertTrue(summary.startsWith("Label-free evaluation of pca-latents directions of vae (M = 4 bases, 2 of them VAE posterior means of real slices, 9 frames"), summary);
		assertTrue(summary.contains("No factor oracle: the factor tables") && summary.contains("Ranking (") && summary.contains("3D (nearest slice)"), summary);
		List<String> ranking = Files.readAllLines(work.resolve("evaluation/ranking.csv"));
		assertEquals(1 + 4, ranking.size(), ranking.toString());
		assertTrue(Files.isRegularFile(work.resolve("evaluation/strips.png")));
		// and the GAN walks from the projected held-out slice: one code, named after it, and its walk's strip
		List<String> latents = Files.readAllLines(work.resolve("projected/latents.txt"));
		assertEquals(1, latents.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count(), latents.toString());
		assertTrue(latents.stream().anyMatch(l -> l.startsWith("#") && l.contains("18")), latents.toString());
		assertEquals("test", split[18]);
		List<String> projection = Files.readAllLines(work.resolve("projected/projection.csv"));
		assertEquals(2, projection.size(), projection.toString());
		try (var walks = Files.list(work.resolve("gan-walks"))) {
			assertTrue(walks.anyMatch(f -> f.getFileName().toString().endsWith(".png")), "a PNG strip of the GAN walk");
		}
	}

	/** The launcher lines of the marked block, as argument lists (a shell's quoting: "…" groups, […] stays one value). */
	List<List<String>> commands(String doc) {
		String block = doc.substring(doc.indexOf("<!-- walkthrough:start -->"), doc.indexOf("<!-- walkthrough:end -->"));
		List<List<String>> out = new ArrayList<>();
		for (String line : block.split("\n")) {
			if (!line.startsWith("bin/latent-explorer ")) continue;
			out.add(tokens(line.substring("bin/latent-explorer ".length())));
		}
		return out;
	}

	private List<String> tokens(String line) {
		List<String> t = new ArrayList<>();
		StringBuilder cur = new StringBuilder();
		boolean quoted = false;
		int brackets = 0;
		for (char ch : line.replace("$WORK", work.toString()).toCharArray()) {
			if (ch == '"') quoted = !quoted;
			else if (ch == ' ' && !quoted && brackets == 0) {
				if (cur.length() > 0) t.add(cur.toString());
				cur.setLength(0);
			} else {
				if (ch == '[') brackets++;
				if (ch == ']') brackets--;
				cur.append(ch);
			}
		}
		if (cur.length() > 0) t.add(cur.toString());
		return t;
	}
}
