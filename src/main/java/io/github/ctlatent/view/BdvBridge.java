package io.github.ctlatent.view;

import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.picture.Window;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.traverse.TraversalVolume;
import net.imglib2.RandomAccessibleInterval;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that talks to BigDataViewer. BDV is not on Maven Central, so it is reached at run time inside Fiji
 * (see {@link BdvCalls}); everything here is plain code over the three steps of {@link Bdv}, tested with a recording
 * fake, and the real calls are checked against a BDV 10.6.11 built from its sources (bench/bdv-kit, BdvKitTest).
 * <p>
 * How the window opens, and why: one direction at a time (single-source mode, the first direction current), because
 * BDV's default fused mode adds every source up and 32 HU walks summed are a white square; each source's display
 * range is the CT window and its range bounds (the Brightness &amp; Color sliders' ends) the window widened by its
 * width either side, because BDV's defaults for float data (0–65,535, or the display range itself) do not fit HU.
 */
public final class BdvBridge {

	/** The calls into BigDataViewer, one per step, replaceable in tests. */
	public interface Bdv {
		/** Shows {@code source} in the window of {@code addTo} (null: a new window titled {@code title}); returns BDV's handle on it. */
		Object show(Source source, String title, Object addTo) throws Exception;

		/** Sets a shown source's range bounds, then its display range (inside them). */
		void range(Object shown, double[] bounds, double[] displayRange) throws Exception;

		/** Single-source display mode with {@code shown} as the current source. */
		void showOnly(Object shown) throws Exception;
	}

	/**
	 * One BDV source: name, (x, y, shift) volume, voxel size in {@code unit}, and the converter's display range
	 * ({@code displayRange[0]} black, {@code [1]} white).
	 */
	public record Source(String name, RandomAccessibleInterval<?> rai, double[] calibration, String unit, double[] displayRange) {}

	private BdvBridge() {}

	/** {@link #sources(TraversalVolume, double, Window, Map)} under the volume's own labels. */
	public static List<Source> sources(TraversalVolume v, double shiftSpacing, Window window) {
		return sources(v, shiftSpacing, window, Map.of());
	}

	/**
	 * The sources for a traversal (one per direction), with the shift axis drawn at {@code shiftSpacing}, the display
	 * range of {@code window} (HU volumes) or [−1, 1] (model units), and named after an evaluation's {@code labels}
	 * (direction index → label, {@link DirectionLabels#fromReport}) when there are some.
	 */
	public static List<Source> sources(TraversalVolume v, double shiftSpacing, Window window, Map<Integer, String> labels) {
		List<Source> list = new ArrayList<>();
		double[] range = WalkPictures.range(v, window);
		for (int j = 0; j < v.directions().length; j++) {
			String name = labels.isEmpty() ? v.label(j) : DirectionLabels.name(v.directions()[j], labels);
			list.add(new Source(name, v.img(j), new double[] {v.pixelSizeMm(), v.pixelSizeMm(), shiftSpacing}, "mm", range.clone()));
		}
		return list;
	}

	/**
	 * Opens all sources in one BDV window, each with its display range and range bounds, showing the first alone;
	 * returns BDV's handle on the first. A clear error when headless or when BDV is not installed.
	 */
	public static Object show(List<Source> sources, String title, Bdv bdv) {
		if (GraphicsEnvironment.isHeadless())
			throw new ExplorerException("BigDataViewer needs a display and this session is headless. Export the traversal instead "
				+ "('Export Traversal' with format=bdv) and open the XML in Fiji with Plugins › BigDataViewer › Open XML/HDF5.");
		return open(sources, title, bdv);
	}

	/** {@link #show} past the display check: the steps in the order BDV needs them. */
	static Object open(List<Source> sources, String title, Bdv bdv) {
		if (sources.isEmpty()) throw new ExplorerException("There is no direction to show in BigDataViewer: give at least one index.");
		try {
			List<Object> shown = new ArrayList<>();
			for (Source s : sources) {
				Object h = bdv.show(s, title, shown.isEmpty() ? null : shown.get(shown.size() - 1));
				bdv.range(h, rangeBounds(s.displayRange()), s.displayRange());
				shown.add(h);
			}
			bdv.showOnly(shown.get(0));
			return shown.get(0);
		} catch (ExplorerException e) {
			throw e;
		} catch (Exception e) {
			Throwable c = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
			throw new ExplorerException("BigDataViewer failed to open the traversal: " + c, c);
		}
	}

	/**
	 * The ends of the Brightness &amp; Color sliders for a display range: the range widened by its width on either
	 * side, so the window can be moved and widened without leaving data that matters (−2850…1650 HU for the lung
	 * window). Shared with the exported settings file.
	 */
	public static double[] rangeBounds(double[] displayRange) {
		double w = displayRange[1] - displayRange[0];
		return new double[] {displayRange[0] - w, displayRange[1] + w};
	}

	/** The real calls into BDV inside Fiji (BDV's classes as BdvBridge's class loader sees them). */
	public static Bdv fiji() {
		return new BdvCalls(BdvBridge.class.getClassLoader());
	}
}
