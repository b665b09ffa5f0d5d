package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import java.awt.Component;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bridge and the exported XML/N5 + settings file in a real BigDataViewer: BDV 10.6.11 built from its sources by
 * bench/bdv-kit/build.sh, given as {@code -Dbdv.kit=<kit>/classpath.txt} and loaded in its own class loader (so the
 * plugin's build stays free of BDV). Skipped without that property or without a display. The walk is the issue's
 * case: all 32 SeFa directions of the shipped GAN, 64 frames, in HU, lung window. What BDV paints is grabbed from
 * its viewer canvas and must be readable: mean grey neither near black nor near white, little saturation.
 */
@Tag("gui")
class BdvKitTest {

	static URLClassLoader kit;
	static TraversalVolume walk;
	static final List<Runnable> closers = new ArrayList<>();
	@TempDir
	Path dir;

	private static String kitPath() {
		return System.getProperty("bdv.kit", "");
	}

	@BeforeEach
	void needsKitAndDisplay() { // per test, so that each is reported skipped with the reason
		assumeTrue(!kitPath().isBlank(), "no BDV kit: build one with bench/bdv-kit/build.sh and pass -Dbdv.kit=<kit>/classpath.txt");
		assumeTrue(ExplorerWindowTest.displayAvailable(), "no display: run under xvfb-run -a");
	}

	@BeforeAll
	static void kitAndWalk() throws Exception {
		String cp = kitPath();
		if (cp.isBlank() || !ExplorerWindowTest.displayAvailable()) return;
		List<URL> urls = new ArrayList<>();
		for (String p : Files.readString(Path.of(cp)).trim().split(File.pathSeparator)) urls.add(Path.of(p).toUri().toURL());
		kit = new URLClassLoader(urls.toArray(URL[]::new), BdvKitTest.class.getClassLoader());
		Path gan = Path.of("models/phantom-gan");
		try (LatentExplorer e = LatentExplorer.open(gan, null, Ranking.EIGENVALUE, 32, 1, Device.cpu(), Monitor.NONE)) {
			DatasetCard data = ModelCard.read(gan).dataset;
			walk = Traversal.walk(e.generator(), Directions.of(e.directionSet()), IntStream.range(0, e.directionSet().directionCount()).toArray(),
				Traversal.seedLatent(e.generator().latentDim(), 1), Traversal.Range.volume(), Monitor.NONE).toHounsfield(data.preprocessing, data.pixelSizeMm);
		}
		assertEquals(32, walk.directions().length);
	}

	@AfterAll
	static void closeWindows() throws Exception {
		for (Runnable r : closers) SwingUtilities.invokeAndWait(r);
		if (kit != null) kit.close();
	}

	@Test
	void theBridgeOpensOneReadableDirectionWithBrightnessAndColorAroundTheWindow() throws Exception {
		Object first = BdvBridge.show(BdvBridge.sources(walk, Exports.cubicShiftSpacing(walk), Window.LUNG), "bridge", new BdvCalls(kit));
		Object handle = call(first, "getBdvHandle");
		closers.add(() -> call(handle, "close"));
		Object panel = call(handle, "getViewerPanel"), state = call(panel, "state");
		assertEquals("SINGLE", call(state, "getDisplayMode").toString());
		List<?> ownSources = (List<?>) call(first, "getSources");
		assertSame(ownSources.get(0), call(state, "getCurrentSource"), "the first direction is current");
		assertEquals(32, ((List<?>) call(state, "getSources")).size());
		Object setups = call(handle, "getConverterSetups"), assignments = call(handle, "getSetupAssignments");
		for (Object source : (List<?>) call(state, "getSources")) {
			Object setup = call(setups, "getConverterSetup", source);
			assertArrayEquals(new double[] {-1350, 150}, new double[] {(double) call(setup, "getDisplayRangeMin"), (double) call(setup, "getDisplayRangeMax")});
			Object bounds = call(call(setups, "getBounds"), "getBounds", setup);
			assertArrayEquals(new double[] {-2850, 1650}, new double[] {(double) call(bounds, "getMinBound"), (double) call(bounds, "getMaxBound")}, "side panel sliders");
			Object group = call(assignments, "getMinMaxGroup", setup);
			assertArrayEquals(new double[] {-2850, 1650}, new double[] {(double) call(group, "getRangeMin"), (double) call(group, "getRangeMax")}, "Brightness & Color sliders");
			assertTrue((double) call(group, "getFullRangeMin") <= -2850 && (double) call(group, "getFullRangeMax") >= 1650, "Brightness & Color range spinners");
		}
		assertEquals(32, ((List<?>) call(assignments, "getMinMaxGroups")).size(), "one Brightness & Color group per direction");
		assertReadable(grab(panel, "bdv-bridge.png"), "bridge");
	}

	@Test
	void withoutTheBridgesStepsBdvAddsTheDirectionsUpIntoWhite() throws Exception {
		// what the bridge did before: each source's display range only, BDV's defaults for the rest (fused mode, bounds)
		BdvCalls real = new BdvCalls(kit);
		BdvBridge.Bdv rangeOnly = new BdvBridge.Bdv() {
			@Override
			public Object show(BdvBridge.Source source, String title, Object addTo) throws Exception {
				return real.show(source, title, addTo);
			}

			@Override
			public void range(Object shown, double[] bounds, double[] displayRange) {
				call(shown, "setDisplayRange", displayRange[0], displayRange[1]);
			}

			@Override
			public void showOnly(Object shown) {}
		};
		Object first = BdvBridge.show(BdvBridge.sources(walk, Exports.cubicShiftSpacing(walk), Window.LUNG), "defaults", rangeOnly);
		Object handle = call(first, "getBdvHandle");
		closers.add(() -> call(handle, "close"));
		Object panel = call(handle, "getViewerPanel");
		assertEquals("FUSED", call(call(panel, "state"), "getDisplayMode").toString());
		Stats s = report(grab(panel, "bdv-defaults.png"), "defaults");
		assertTrue(s.saturatedPct() > 90, "32 summed HU sources saturate: " + s);
	}

	@Test
	void theExportedXmlAndSettingsOpenOneReadableDirectionToo() throws Exception {
		Path xml = Exports.bdv(walk, dir, "traversal", Exports.cubicShiftSpacing(walk), Window.LUNG);
		Thread t = Thread.currentThread();
		ClassLoader before = t.getContextClassLoader();
		t.setContextClassLoader(kit); // spim_data finds its image loaders through the context class loader's annotation index
		Object bdv;
		try {
			Class<?> options = Class.forName("bdv.viewer.ViewerOptions", true, kit), progress = Class.forName("bdv.export.ProgressWriter", true, kit);
			Method open = Class.forName("bdv.BigDataViewer", true, kit).getMethod("open", String.class, String.class, progress, options);
			bdv = open.invoke(null, xml.toString(), "export", Class.forName("bdv.export.ProgressWriterConsole", true, kit).getConstructor().newInstance(),
				options.getMethod("options").invoke(null));
		} finally {
			t.setContextClassLoader(before);
		}
		closers.add(() -> ((java.awt.Window) call(bdv, "getViewerFrame")).dispose());
		Object panel = call(bdv, "getViewer"), state = call(panel, "state");
		assertEquals("SINGLE", call(state, "getDisplayMode").toString());
		List<?> sources = (List<?>) call(state, "getSources");
		assertEquals(32, sources.size());
		Object current = call(state, "getCurrentSource");
		assertEquals(walk.label(0), call(call(current, "getSpimSource"), "getName"));
		Object setup = call(call(panel, "getConverterSetups"), "getConverterSetup", current);
		assertArrayEquals(new double[] {-1350, 150}, new double[] {(double) call(setup, "getDisplayRangeMin"), (double) call(setup, "getDisplayRangeMax")});
		Object group = call(call(bdv, "getSetupAssignments"), "getMinMaxGroup", setup);
		assertArrayEquals(new double[] {-2850, 1650}, new double[] {(double) call(group, "getRangeMin"), (double) call(group, "getRangeMax")}, "Brightness & Color sliders");
		assertTrue((double) call(group, "getFullRangeMin") <= -2850, "Brightness & Color range spinners");
		Object bounds = call(call(call(panel, "getConverterSetups"), "getBounds"), "getBounds", setup); // not in a settings file: BDV derives them
		System.out.printf("BDV export: side panel slider bounds %s..%s%n", call(bounds, "getMinBound"), call(bounds, "getMaxBound"));
		assertReadable(grab(panel, "bdv-export.png"), "export");
	}

	/** Mean grey (0–255), % of pixels saturated (≥ 254) and % black (≤ 1) of what BDV painted. */
	record Stats(double meanGrey, double saturatedPct, double blackPct) {
		static Stats of(BufferedImage img) {
			long sum = 0, sat = 0, black = 0, n = (long) img.getWidth() * img.getHeight();
			for (int y = 0; y < img.getHeight(); y++)
				for (int x = 0; x < img.getWidth(); x++) {
					int rgb = img.getRGB(x, y), g = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 3;
					sum += g;
					if (g >= 254) sat++;
					if (g <= 1) black++;
				}
			return new Stats((double) sum / n, 100.0 * sat / n, 100.0 * black / n);
		}
	}

	/**
	 * Prints the statistics of the whole canvas and of its central quarter (always inside the source, which BDV fits
	 * to the window: the rest of the canvas is BDV's black background); returns the central one.
	 */
	private static Stats report(BufferedImage img, String what) {
		Stats all = Stats.of(img), data = Stats.of(img.getSubimage(img.getWidth() / 4, img.getHeight() / 4, img.getWidth() / 2, img.getHeight() / 2));
		System.out.printf("BDV %s, %dx%d canvas: mean grey %.1f, %.1f%% saturated, %.1f%% black; central quarter: %.1f, %.1f%%, %.1f%%%n", what,
			img.getWidth(), img.getHeight(), all.meanGrey(), all.saturatedPct(), all.blackPct(), data.meanGrey(), data.saturatedPct(), data.blackPct());
		return data;
	}

	private static void assertReadable(BufferedImage img, String what) {
		Stats s = report(img, what);
		// a lung window shows soft tissue near white and bone or the table above it: some saturation is right
		assertTrue(s.meanGrey() > 40 && s.meanGrey() < 215, what + ": " + s);
		assertTrue(s.saturatedPct() < 25, what + ": " + s);
		assertTrue(s.blackPct() < 10, what + ": " + s);
	}

	/** What the viewer canvas shows once BDV has finished painting (two grabs in a row alike), saved for a look. */
	private static BufferedImage grab(Object panel, String file) throws Exception {
		Component canvas = (Component) call(panel, "getDisplayComponent");
		Stats last = null;
		long end = System.currentTimeMillis() + 60_000;
		while (System.currentTimeMillis() < end) {
			Thread.sleep(500);
			BufferedImage img = new BufferedImage(Math.max(1, canvas.getWidth()), Math.max(1, canvas.getHeight()), BufferedImage.TYPE_INT_RGB);
			SwingUtilities.invokeAndWait(() -> canvas.paint(img.getGraphics()));
			Stats s = Stats.of(img);
			if (s.equals(last) && canvas.getWidth() > 100) {
				Path out = Path.of(System.getProperty("ctlatent.screenshots", "target/screenshots"));
				Files.createDirectories(out);
				ImageIO.write(img, "png", out.resolve(file).toFile());
				return img;
			}
			last = s;
		}
		throw new AssertionError("BDV did not finish painting within a minute (last " + last + ")");
	}

	/** Calls a public method by name on BDV's object (its classes are not on this test's class path). */
	static Object call(Object target, String name, Object... args) {
		for (Method m : target.getClass().getMethods())
			if (m.getName().equals(name) && m.getParameterCount() == args.length) {
				try {
					m.setAccessible(true); // public methods of BDV's package-private implementations
					return m.invoke(target, args);
				} catch (ReflectiveOperationException e) {
					throw new AssertionError(name + " on " + target.getClass().getName() + ": " + e, e);
				}
			}
		throw new AssertionError("no method " + name + "/" + args.length + " on " + target.getClass().getName());
	}
}
