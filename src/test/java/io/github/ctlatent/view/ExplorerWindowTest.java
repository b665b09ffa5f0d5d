package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.ModelCard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Latent Explorer window on the shipped GAN, on a real display (Xvfb in CI: .ci/run runs Maven under
 * xvfb-run). Tagged "gui": Maven runs it in its own JVM without java.awt.headless (see pom.xml).
 */
@Tag("gui")
class ExplorerWindowTest {

	@Test
	void movingASliderShowsTheGeneratorsImageOfTheShiftedLatent() throws Exception {
		assumeTrue(displayAvailable(), "no display (DISPLAY unset, unreachable, or java.awt.headless): run under xvfb-run -a, as .ci/run does");
		Path gan = Path.of("models/phantom-gan");
		LatentExplorer e = LatentExplorer.open(gan, null, Ranking.EIGENVALUE, 6, 3, Device.cpu(), Monitor.NONE);
		ExplorerWindow w = ExplorerWindow.open(e, 6, 3, "lung");
		try {
			LatentExplorer.Frame first = await(w, f -> true);
			float[] before = pixelsOnScreen(w);
			assertArrayEquals(first.pixels(), before);

			SwingUtilities.invokeAndWait(() -> w.setSlider(1, 3.0)); // as a user dragging slider 2 to +3.0
			LatentExplorer.Frame moved = await(w, f -> f.values()[1] == 3.0);
			float[] after = pixelsOnScreen(w);
			float[] z = e.base(), a = e.directionSet().direction(e.direction(1));
			for (int i = 0; i < z.length; i++) z[i] += 3.0f * a[i];
			assertArrayEquals(z, moved.latent(), 1e-6f);
			float[] expected = e.generator().images(z)[0];
			var p = ModelCard.read(gan).dataset.preprocessing;
			for (int i = 0; i < expected.length; i++) expected[i] = (float) p.toHounsfield(expected[i]);
			assertArrayEquals(expected, after, 0.05f, "the window shows G(base + 3·a) in HU");
			assertTrue(LatentExplorerTest.meanAbsDiff(before, after) > 1, "the slice changed");
			assertEquals(-1350, w.image().getDisplayRangeMin(), 1e-9); // lung window

			SwingUtilities.invokeAndWait(() -> w.setSlider(0, -2.0));
			await(w, f -> f.values()[0] == -2.0 && f.values()[1] == 3.0);
			screenshot(w, Path.of(System.getProperty("ctlatent.screenshots", "target/screenshots")).resolve("latent-explorer.png"));

			// Copy latent puts the macro call on the clipboard; Snapshot and the hyperstack walk open ImageJ images
			SwingUtilities.invokeAndWait(() -> click(w, "Copy latent"));
			String copied = (String) java.awt.Toolkit.getDefaultToolkit().getSystemClipboard().getData(java.awt.datatransfer.DataFlavor.stringFlavor);
			assertEquals(e.macro(), copied);
			assertArrayEquals(e.latent(), LatentText.parseLatent(copied.substring(copied.indexOf("latent=[") + 8, copied.lastIndexOf(']')), 32));
			SwingUtilities.invokeAndWait(() -> click(w, "Traversal → hyperstack"));
			ij.ImagePlus walk = awaitImage("walk along " + e.label(0));
			assertEquals(17, walk.getNSlices()); // the last moved slider (0), from the current latent
			walk.close();

			SwingUtilities.invokeAndWait(w::reset);
			await(w, f -> f.values()[0] == 0 && f.values()[1] == 0);
			assertArrayEquals(before, pixelsOnScreen(w), 0.05f, "reset shows the base image again");
		} finally {
			SwingUtilities.invokeAndWait(() -> w.frame().dispose()); // closing the window closes the explorer and its generator
		}
	}

	@Test
	void encodingASliceWithAGanProjectsItInTheBackgroundWhileTheWindowStaysResponsive() throws Exception {
		assumeTrue(displayAvailable(), "no display: run under xvfb-run -a, as .ci/run does");
		LatentExplorer e = LatentExplorer.open(Path.of("models/phantom-gan"), null, Ranking.EIGENVALUE, 4, 3, Device.cpu(), Monitor.NONE);
		ExplorerWindow w = ExplorerWindow.open(e, 6, 3, "lung");
		ij.ImagePlus ct = null;
		try {
			await(w, f -> true);
			// given an open CT slice the GAN can make (seed 41's image in HU) that is not the current base
			e.randomBase(41);
			ij.ImagePlus slice = e.snapshot(Window.FULL);
			ct = slice;
			e.randomBase(3);
			// when the button is clicked with it as the active image (ImageJ's current image is per thread: the event thread's)
			SwingUtilities.invokeAndWait(() -> {
				ij.WindowManager.setTempCurrentImage(slice);
				click(w, "Encode current slice");
				ij.WindowManager.setTempCurrentImage(null);
			});
			// then the event thread keeps answering within a fraction of a second while the projection runs
			long worst = 0;
			javax.swing.JLabel status = statusLabel(w);
			long end = System.currentTimeMillis() + 120_000;
			String text = "";
			while (System.currentTimeMillis() < end && !(text = status.getText()).contains("ase: projection")) {
				long t0 = System.nanoTime();
				SwingUtilities.invokeAndWait(() -> { });
				worst = Math.max(worst, System.nanoTime() - t0);
				Thread.sleep(50);
			}
			assertTrue(text.contains("ase: projection of slice 1 of"), text);
			assertTrue(worst < 500_000_000L, "the event thread was blocked for " + worst / 1e6 + " ms");
			float[] original = (float[]) ct.getProcessor().getPixels();
			LatentExplorer.Frame shown = await(w, f -> java.util.Arrays.equals(f.latent(), e.base()));
			e.randomBase(42);
			assertTrue(LatentExplorerTest.meanAbsDiff(shown.pixels(), original) < 0.5 * LatentExplorerTest.meanAbsDiff(e.render().pixels(), original),
				"the window shows the projection, which resembles the slice");
		} finally {
			if (ct != null) ct.close();
			SwingUtilities.invokeAndWait(() -> w.frame().dispose());
		}
	}

	private static javax.swing.JLabel statusLabel(ExplorerWindow w) {
		javax.swing.JLabel last = null;
		for (java.awt.Component c : all(w.frame().getContentPane()))
			if (c instanceof javax.swing.JLabel l && l.getBorder() instanceof javax.swing.border.EmptyBorder) last = l;
		if (last == null) throw new AssertionError("no status line");
		return last;
	}

	@Test
	void theBdvBridgeSaysSoWhenBigDataViewerIsMissing() {
		assumeTrue(displayAvailable(), "no display: run under xvfb-run -a, as .ci/run does");
		var v = io.github.ctlatent.traverse.Traversal.walk(new io.github.ctlatent.testing.ToyGenerator(4, 16, 3),
			io.github.ctlatent.traverse.Directions.of(new float[][] {{1, 0, 0, 0}}), new int[] {0}, new float[4],
			io.github.ctlatent.traverse.Traversal.Range.paper(), Monitor.NONE);
		RecordingBdv shown = new RecordingBdv();
		BdvBridge.show(BdvBridge.sources(v, 1, Window.LUNG), "t", shown);
		assertEquals("mm", shown.shown.get(0).unit());
		assertArrayEquals(new double[] {-1, 1}, shown.shown.get(0).displayRange()); // model units: the model's range
		var x = assertThrows(io.github.ctlatent.core.ExplorerException.class, () -> BdvBridge.show(BdvBridge.sources(v, 1, Window.LUNG), "t", BdvBridge.fiji()));
		assertTrue(x.getMessage().contains("BigDataViewer is not installed"), x.getMessage());
	}

	private static void click(ExplorerWindow w, String text) {
		for (java.awt.Component c : all(w.frame().getContentPane()))
			if (c instanceof javax.swing.JButton b && b.getText().equals(text)) {
				b.doClick();
				return;
			}
		throw new AssertionError("no button " + text);
	}

	private static java.util.List<java.awt.Component> all(java.awt.Container root) {
		java.util.List<java.awt.Component> list = new java.util.ArrayList<>();
		for (java.awt.Component c : root.getComponents()) {
			list.add(c);
			if (c instanceof java.awt.Container k) list.addAll(all(k));
		}
		return list;
	}

	private static ij.ImagePlus awaitImage(String title) throws Exception {
		long end = System.currentTimeMillis() + 60_000;
		while (System.currentTimeMillis() < end) {
			ij.ImagePlus imp = ij.WindowManager.getImage(title);
			if (imp != null) return imp;
			Thread.sleep(50);
		}
		throw new AssertionError("no image '" + title + "' opened within 60 s");
	}

	/** A display Java can open (without one, the JVM is headless when DISPLAY is unset, and throws when it is wrong). */
	static boolean displayAvailable() {
		try {
			return !GraphicsEnvironment.isHeadless() && GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices().length > 0;
		} catch (Throwable e) {
			return false;
		}
	}

	private static LatentExplorer.Frame await(ExplorerWindow w, java.util.function.Predicate<LatentExplorer.Frame> what) throws Exception {
		long end = System.currentTimeMillis() + 60_000;
		while (System.currentTimeMillis() < end) {
			LatentExplorer.Frame f = w.shown();
			if (f != null && what.test(f)) return f;
			Thread.sleep(20);
		}
		throw new AssertionError("the window did not show the expected frame within 60 s");
	}

	private static float[] pixelsOnScreen(ExplorerWindow w) throws Exception {
		float[][] px = new float[1][];
		SwingUtilities.invokeAndWait(() -> px[0] = ((float[]) w.image().getProcessor().getPixels()).clone());
		return px[0];
	}

	/** The window's content as the user sees it, painted into a PNG. */
	private static void screenshot(ExplorerWindow w, Path file) throws Exception {
		Files.createDirectories(file.getParent());
		BufferedImage[] img = new BufferedImage[1];
		SwingUtilities.invokeAndWait(() -> {
			var root = w.frame().getRootPane();
			img[0] = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
			var g = img[0].createGraphics();
			root.printAll(g);
			g.dispose();
		});
		assertTrue(ImageIO.write(img[0], "png", file.toFile()));
		assertTrue(Files.size(file) > 1000);
	}
}
