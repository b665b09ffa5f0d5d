package io.github.ctlatent.view;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.traverse.TraversalVolume;
import net.imglib2.RandomAccessibleInterval;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that talks to BigDataViewer. BDV is not on Maven Central, so it is reached at run time inside
 * Fiji through reflection on {@code bdv.util.BdvFunctions.show(RandomAccessibleInterval, String, BdvOptions)}
 * with {@code BdvOptions.options().sourceTransform(sx, sy, sz).frameTitle(…).addTo(bdv)}: one source per
 * direction, shift as the third axis, calibration as the source transform. Everything up to that call is plain
 * code tested here; the call itself runs only inside Fiji.
 */
public final class BdvBridge {

	/** The BDV call, replaceable in tests. Returns the Bdv handle to add further sources to. */
	public interface Show {
		Object show(RandomAccessibleInterval<?> source, String name, double[] calibration, String title, Object addTo) throws Exception;
	}

	/** One BDV source: name, (x, y, shift) volume, voxel size. */
	public record Source(String name, RandomAccessibleInterval<?> rai, double[] calibration) {}

	private BdvBridge() {}

	/** The sources for a traversal (one per direction), with the shift axis drawn at {@code shiftSpacing}. */
	public static List<Source> sources(TraversalVolume v, double shiftSpacing) {
		List<Source> list = new ArrayList<>();
		for (int j = 0; j < v.directions().length; j++)
			list.add(new Source(v.label(j), v.img(j), new double[] {v.pixelSizeMm(), v.pixelSizeMm(), shiftSpacing}));
		return list;
	}

	/** Opens all sources in one BDV window; a clear error when headless or when BDV is not installed. */
	public static Object show(List<Source> sources, String title, Show show) {
		if (GraphicsEnvironment.isHeadless())
			throw new ExplorerException("BigDataViewer needs a display and this session is headless. Export the traversal instead "
				+ "('Export Traversal' with format=bdv) and open the XML in Fiji with Plugins › BigDataViewer › Open XML/HDF5.");
		Object bdv = null;
		try {
			for (Source s : sources) bdv = show.show(s.rai(), s.name(), s.calibration(), title, bdv);
		} catch (ExplorerException e) {
			throw e;
		} catch (Exception e) {
			Throwable c = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
			throw new ExplorerException("BigDataViewer failed to open the traversal: " + c, c);
		}
		return bdv;
	}

	/** The real call into BDV inside Fiji. */
	public static Show fiji() {
		return (rai, name, calibration, title, addTo) -> {
			Class<?> functions, options;
			try {
				functions = Class.forName("bdv.util.BdvFunctions");
				options = Class.forName("bdv.util.BdvOptions");
			} catch (ClassNotFoundException e) {
				throw new ExplorerException("BigDataViewer is not installed. It ships with Fiji (bigdataviewer-core); in a plain ImageJ, "
					+ "enable it with Help › Update… or export the traversal as BDV XML/N5 and open it elsewhere.");
			}
			Object o = options.getMethod("options").invoke(null);
			o = options.getMethod("sourceTransform", double[].class).invoke(o, (Object) calibration);
			o = options.getMethod("frameTitle", String.class).invoke(o, title);
			if (addTo != null) o = options.getMethod("addTo", Class.forName("bdv.util.Bdv")).invoke(o, addTo);
			Method show = functions.getMethod("show", RandomAccessibleInterval.class, String.class, options);
			return show.invoke(null, rai, name, o);
		};
	}
}
