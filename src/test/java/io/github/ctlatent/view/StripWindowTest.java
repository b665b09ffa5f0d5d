package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import io.github.ctlatent.cli.Cli;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.data.DataHealth;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The window of walk strips, GIFs and BDV ranges: the one that shows the model's data unless window= says otherwise. */
class StripWindowTest {

	@TempDir
	Path dir;

	static final Preprocessing PAPER = new Preprocessing(-1000, 2000, 32, "lanczos4");

	/** A data set's health: a volume whose values ramp from {@code lo} to {@code hi}. */
	static DatasetCard card(float lo, float hi) {
		float[][] planes = new float[4][32 * 32];
		for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = lo + (hi - lo) * i / (p.length - 1);
		Volume v = new Volume("ct", 32, 32, planes, new double[] {1, 1, 1}, true, Map.of());
		DatasetCard c = new DatasetCard();
		c.health = DataHealth.report(List.of(new DataHealth.Named("ct", DataHealth.measure(v, PAPER))), PAPER);
		return c;
	}

	@Test
	void anEightBitExportIsShownInItsSuggestedWindowAndHuDataInTheLungWindow() {
		// given an 8-bit display export (0…255, no air), when the window is left to the data
		DatasetCard export = card(0, 255);
		Window.Choice c = Window.choose("auto", export);
		// then the window its health suggested, saying why
		double[] s = export.health.suggestedWindow();
		assertEquals(s[0], c.window().min(), 1e-9);
		assertEquals(s[1], c.window().max(), 1e-9);
		assertTrue(c.why().contains("span 10% of the lung window") && c.why().contains("window=lung"), c.why());
		// and CT in HU (air to bone), data without health, and an explicit window keep the lung window or the one asked for
		assertEquals(Window.LUNG, Window.choose("auto", card(-1000, 1500)).window());
		assertEquals(Window.LUNG, Window.choose("", null).window());
		Window.Choice asked = Window.choose("lung", export);
		assertEquals(Window.LUNG, asked.window());
		assertTrue(asked.why().endsWith("(window=lung)"), asked.why());
		assertEquals(Window.MEDIASTINUM, Window.choose("mediastinum", card(-1000, 1500)).window());
	}

	@Test
	void exportsOfAModelTrainedOnAnExportUseItsWindowUnlessWindowIsGiven() throws Exception {
		// given a VAE whose dataset card says its data was an 8-bit export
		Path vae = dir.resolve("vae");
		Files.createDirectories(vae);
		for (String f : List.of("model.json", "encoder.params", "decoder.params")) Files.copy(Path.of("models/phantom-vae", f), vae.resolve(f));
		ModelCard m = ModelCard.read(vae);
		DatasetCard export = card(0, 255);
		m.dataset.health = export.health;
		m.write(vae);
		ok("Discover Directions", "model=" + vae, "output=" + dir.resolve("random"), "deformator=random", "directions=2");
		// when exporting walks with the default window and with window=lung
		List<String> log = Harness.logged(() -> Harness.run(ExportTraversalCommand.class, "model", vae, "directions", dir.resolve("random/directions.json"),
			"output", dir.resolve("auto"), "format", "png"));
		ok("Export Traversal", "model=" + vae, "directions=" + dir.resolve("random/directions.json"), "output=" + dir.resolve("lung"), "format=png", "window=lung");
		// then the default export is in the suggested window, logged and recorded, and differs from the lung window's
		Map<?, ?> w = (Map<?, ?>) Json.read(dir.resolve("auto/export.json"), Map.class).get("window");
		assertEquals(export.health.suggestedWindow()[0], ((Number) w.get("min")).doubleValue(), 1e-9);
		assertEquals(export.health.suggestedWindow()[1], ((Number) w.get("max")).doubleValue(), 1e-9);
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Window of the strips, GIFs and BDV display range: data (-64…319 HU) (the window dataset.json suggests")),
			log.toString());
		assertEquals("lung", ((Map<?, ?>) Json.read(dir.resolve("lung/export.json"), Map.class).get("window")).get("name"));
		assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("auto/traversal.png")), Files.readAllBytes(dir.resolve("lung/traversal.png"))));
	}

	static Cli.Outcome ok(String... args) {
		Cli.Outcome o = Cli.run(args);
		assertEquals(0, o.exit(), String.join(" ", args) + "\n" + o.out() + o.err());
		return o;
	}
}
