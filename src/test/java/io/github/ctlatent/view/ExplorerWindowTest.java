package io.github.ctlatent.view;

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
		LatentExplorer e = LatentExplorer.open(gan, null, LatentExplorer.Ranking.EIGENVALUE, 6, 3, Device.cpu(), Monitor.NONE);
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

			SwingUtilities.invokeAndWait(w::reset);
			await(w, f -> f.values()[0] == 0 && f.values()[1] == 0);
			assertArrayEquals(before, pixelsOnScreen(w), 0.05f, "reset shows the base image again");
		} finally {
			SwingUtilities.invokeAndWait(() -> w.frame().dispose()); // closing the window closes the explorer and its generator
		}
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
