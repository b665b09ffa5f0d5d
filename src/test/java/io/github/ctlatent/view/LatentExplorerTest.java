package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ai.djl.Device;
import ij.ImagePlus;
import io.github.ctlatent.commands.LatentExplorerCommand;
import io.github.ctlatent.commands.RenderLatentCommand;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.traverse.Projection;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The explorer's engine on the shipped 64² GAN with its SeFa directions, headless. */
class LatentExplorerTest {

	static final Path GAN = Path.of("models/phantom-gan");
	static LatentExplorer e;

	@BeforeAll
	static void open() {
		e = LatentExplorer.open(GAN, null, Ranking.EIGENVALUE, 6, 3, Device.cpu(), Monitor.NONE);
	}

	@AfterAll
	static void close() {
		e.close();
	}

	/** The generator's own image of {@code z}, in HU: what the explorer must show. */
	static float[] expected(float[] z) {
		float[] px = e.generator().images(z)[0];
		var p = ModelCard.read(GAN).dataset.preprocessing;
		for (int i = 0; i < px.length; i++) px[i] = (float) p.toHounsfield(px[i]);
		return px;
	}

	@Test
	void aSliderMovesTheLatentAlongItsDirectionAndTheImageFollows() {
		e.reset();
		float[] base = e.base();
		LatentExplorer.Frame still = e.render();
		assertArrayEquals(base, still.latent());
		e.setValue(1, 2.5);
		LatentExplorer.Frame moved = e.render();
		float[] a = e.directionSet().direction(e.direction(1));
		float[] z = base.clone();
		for (int i = 0; i < z.length; i++) z[i] += 2.5f * a[i];
		assertArrayEquals(z, moved.latent(), 1e-6f);
		assertArrayEquals(expected(z), moved.pixels(), 0.05f); // HU
		assertEquals("HU", e.valueUnit());
		assertTrue(meanAbsDiff(still.pixels(), moved.pixels()) > 1, "a shift of 2.5 along a SeFa direction changes the slice");
		e.reset();
		assertArrayEquals(still.pixels(), e.render().pixels(), 0.05f);
	}

	@Test
	void slidersAreTheTopSeFaDirectionsByEigenvalue() {
		assertEquals(6, e.sliders());
		DirectionSet set = e.directionSet();
		assertEquals("sefa", set.method());
		for (int j = 1; j < e.sliders(); j++)
			assertTrue(set.stats().get(e.direction(j - 1)).eigenvalue() >= set.stats().get(e.direction(j)).eigenvalue());
		ExplorerException x = assertThrows(ExplorerException.class, () -> Ranking.RCA.top(set, 3));
		assertTrue(x.getMessage().contains("ranking=index"), x.getMessage());
	}

	@Test
	void requestsCoalesceAndTheLastStateWins() throws Exception {
		e.reset();
		long before = e.renderedFrames();
		int[] frames = new int[1];
		e.onFrame(f -> frames[0]++);
		for (int i = 0; i <= 40; i++) {
			e.setValue(0, -4 + 0.2 * i);
			e.request();
		}
		assertTrue(e.awaitIdle(30_000));
		long rendered = e.renderedFrames() - before;
		assertTrue(rendered >= 1 && rendered < 41, "41 requests in a burst render fewer frames, got " + rendered);
		assertArrayEquals(e.latent(), e.latest().latent(), "the last frame shows the last slider state");
		assertEquals(4.0, e.latest().values()[0], 1e-9);
		e.reset();
	}

	@Test
	void theLatentStringRendersTheSameImageThroughRenderLatent() {
		e.reset();
		e.setValue(0, -1.5);
		e.setValue(2, 3);
		String latent = e.latentString();
		assertArrayEquals(e.latent(), LatentText.parseLatent("[" + latent + "]", 32));
		assertTrue(e.macro().startsWith("run(\"Render Latent\", \"model=["), e.macro());
		float[] shown = e.render().pixels();
		Map<String, Object> out = Harness.run(RenderLatentCommand.class, "model", GAN, "latent", latent, "window", "mediastinum");
		ImagePlus imp = (ImagePlus) out.get("image");
		assertArrayEquals(shown, (float[]) imp.getProcessor().getPixels(), 0.05f);
		assertEquals(-125, imp.getDisplayRangeMin(), 1e-9);
		assertEquals("HU", imp.getCalibration().getValueUnit());
		assertNull(out.get("traversal"));
		ExplorerException x = assertThrows(ExplorerException.class, () -> LatentText.parseLatent("1,2,3", 32));
		assertTrue(x.getMessage().contains("3 values") && x.getMessage().contains("32"), x.getMessage());
		e.reset();
	}

	@Test
	void seedAndValuesAndTheWalkAreCommandsToo() {
		e.randomBase(5);
		int k = e.direction(0);
		e.setValue(0, 2);
		float[] shown = e.render().pixels();
		Map<String, Object> out = Harness.run(RenderLatentCommand.class, "model", GAN, "seed", 5, "values", k + ":2", "walk", k, "frames", 9, "radius", 4);
		assertArrayEquals(shown, (float[]) ((ImagePlus) out.get("image")).getProcessor().getPixels(), 0.05f);
		ImagePlus walk = (ImagePlus) out.get("traversal");
		assertEquals(9, walk.getNSlices());
		// the walk leaves its own slider out: its centre frame is the latent with that slider at 0
		TraversalVolume v = e.traversal(0, new Traversal.Range(4, 9), Monitor.NONE);
		e.setValue(0, 0);
		assertArrayEquals(e.render().pixels(), v.plane(0, 4), 0.05f);
		walk.setSlice(5);
		assertArrayEquals(v.plane(0, 4), (float[]) walk.getProcessor().getPixels(), 0.05f);
		e.randomBase(3);
		e.reset();
	}

	@Test
	void slidersAreNamedByAnEvaluationReport(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		// the columns 'Evaluate Directions' writes; direction 2 is clean for z (and weaker for width), 4 only weak for fat
		java.nio.file.Files.writeString(dir.resolve("scores.csv"), String.join("\n",
			"direction,factor,rho,monotone_share,effect_sd,leak_median_sd,leak_p90_sd,realism,importance,null_p99,beats_random,clean,weak,significant",
			"2,z,-0.9100,0.9,1.2,0.1,0.2,0.95,0.8000,0.3,0.99,true,false,true",
			"2,width,0.5000,0.8,0.6,0.2,0.3,0.95,0.4000,0.3,0.99,true,false,true",
			"4,fat,0.4000,0.7,0.5,0.3,0.5,0.90,0.3500,0.3,0.97,false,true,true",
			"5,lung,0.9000,0.9,1.0,0.1,0.2,0.90,0.9000,0.95,0.50,true,false,false", ""));
		Map<Integer, String> labels = DirectionLabels.fromReport(dir);
		assertEquals(Map.of(2, "z−", 4, "fat+ (weak)"), labels);
		e.useLabels(labels);
		assertEquals("direction 2 · z−", e.label(e.sliderOf(2)));
		assertEquals("direction 0", e.label(e.sliderOf(0)));
		// the walk along a slider carries the slider's name into its slice labels
		assertEquals("direction 2 · z−", e.traversal(e.sliderOf(2), new Traversal.Range(1, 2), Monitor.NONE).label(0));
		e.useLabels(Map.of());
		java.nio.file.Files.writeString(dir.resolve("scores.csv"), "direction,factor\n1,z\n");
		ExplorerException x = assertThrows(ExplorerException.class, () -> DirectionLabels.fromReport(dir));
		assertTrue(x.getMessage().contains("no 'rho' column"), x.getMessage());
	}

	@Test
	void aGanExplorerStartsFromTheProjectionOfACtSlice() {
		// given a 64² slice in HU (as an open CT image would be) that the GAN can make, and a different base
		assertTrue(e.canEncode());
		float[] keep = e.base();
		try {
			e.randomBase(21);
			ImagePlus slice = e.snapshot(Window.FULL);
			e.randomBase(22);
			float[] other = e.render().pixels(), original = (float[]) slice.getProcessor().getPixels();
			// when it is encoded
			String what = e.encodeBase(slice, new Projection.Settings(40, 0.1, 2, 1e-3, 1, 0), Monitor.NONE); // a quick projection
			// then the base is its projection, which resembles the slice far more than another code's image does
			assertTrue(what.startsWith("projection of slice 1 of") && what.contains("best random code"), what);
			assertTrue(meanAbsDiff(e.render().pixels(), original) < 0.5 * meanAbsDiff(other, original));
		} finally {
			e.setBase(keep);
		}
		try (LatentExplorer ts = LatentExplorer.open(Path.of("src/test/resources/fixtures/torchscript/generator.pt"), null, Ranking.INDEX, 2, 1,
			Device.cpu(), Monitor.NONE)) {
			assertFalse(ts.canEncode());
			ExplorerException x = assertThrows(ExplorerException.class, () -> ts.encodeBase(new ImagePlus(), Monitor.NONE));
			assertTrue(x.getMessage().contains("dataset card") && x.getMessage().contains("Project Slice to Latent"), x.getMessage());
		}
	}

	@Test
	void aVaeExplorerStartsFromTheEncodingOfACtSlice() {
		try (LatentExplorer vae = LatentExplorer.open(Path.of("models/phantom-vae"), null, Ranking.INDEX, 4, 1, Device.cpu(), Monitor.NONE)) {
			assertTrue(vae.canEncode());
			vae.randomBase(7);
			ImagePlus slice = vae.snapshot(Window.FULL); // a 64² slice in HU, as an open CT image would be
			vae.randomBase(8);
			assertTrue(vae.encodeBase(slice, Monitor.NONE).startsWith("VAE encoding of slice 1"));
			float[] decoded = vae.render().pixels(), original = (float[]) slice.getProcessor().getPixels();
			// the decoded encoding resembles the slice far more than a random latent's image does
			vae.randomBase(8);
			assertTrue(meanAbsDiff(decoded, original) < 0.5 * meanAbsDiff(vae.render().pixels(), original));
		}
	}

	@Test
	void theJythonExampleDoesWhatTheWindowDoes() throws Exception {
		Map<String, Object> out = io.github.ctlatent.testing.JythonHarness.run(Path.of("scripts/explore_latent.py"), Harness.context(),
			Map.of("model", GAN.toFile(), "seed", 3));
		String macro = (String) out.get("macro");
		float[] z = LatentText.parseLatent(macro.substring(macro.indexOf("latent=[") + 8, macro.lastIndexOf(']')), 32);
		assertArrayEquals(expected(z), (float[]) ((ImagePlus) out.get("image")).getProcessor().getPixels(), 0.05f);
		assertEquals(64, ((ImagePlus) out.get("walk")).getNSlices());
	}

	@Test
	void theWindowCommandRefusesAHeadlessSession() {
		if (!java.awt.GraphicsEnvironment.isHeadless()) return; // the GUI test covers the window
		RuntimeException x = assertThrows(RuntimeException.class, () -> Harness.run(LatentExplorerCommand.class));
		assertTrue(x.getMessage().contains("headless") && x.getMessage().contains("Render Latent"), x.getMessage());
	}

	static double meanAbsDiff(float[] a, float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
		return s / a.length;
	}
}
