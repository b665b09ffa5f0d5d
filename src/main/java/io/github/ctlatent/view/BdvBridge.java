package io.github.ctlatent.view;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.traverse.TraversalVolume;
import net.imglib2.RandomAccessibleInterval;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that talks to BigDataViewer. BDV is not on Maven Central, so it is reached at run time inside
 * Fiji through reflection: each direction becomes a {@code bdv.util.RandomAccessibleIntervalSource} (calibration
 * as the source transform) seen through a {@code bdv.viewer.Source} proxy whose voxel dimensions are in mm (BDV's
 * own wrapper says "pixel"), shown with {@code BdvFunctions.show(Source, BdvOptions)} into one window, and the
 * returned stack source gets the CT window as its converter range (BDV's default for float, 0–65535, shows HU
 * data near-black). Everything up to that call is plain code tested here; the call itself runs only inside Fiji.
 */
public final class BdvBridge {

	/** The BDV call, replaceable in tests. Returns the Bdv handle to add further sources to. */
	public interface Show {
		Object show(Source source, String title, Object addTo) throws Exception;
	}

	/**
	 * One BDV source: name, (x, y, shift) volume, voxel size in {@code unit}, and the converter's display range
	 * ({@code displayRange[0]} black, {@code [1]} white).
	 */
	public record Source(String name, RandomAccessibleInterval<?> rai, double[] calibration, String unit, double[] displayRange) {}

	private BdvBridge() {}

	/**
	 * The sources for a traversal (one per direction), with the shift axis drawn at {@code shiftSpacing} and the
	 * display range of {@code window} (HU volumes) or [−1, 1] (model units).
	 */
	public static List<Source> sources(TraversalVolume v, double shiftSpacing, Window window) {
		List<Source> list = new ArrayList<>();
		double[] range = Exports.range(v, window);
		for (int j = 0; j < v.directions().length; j++)
			list.add(new Source(v.label(j), v.img(j), new double[] {v.pixelSizeMm(), v.pixelSizeMm(), shiftSpacing}, "mm", range.clone()));
		return list;
	}

	/** Opens all sources in one BDV window; a clear error when headless or when BDV is not installed. */
	public static Object show(List<Source> sources, String title, Show show) {
		if (GraphicsEnvironment.isHeadless())
			throw new ExplorerException("BigDataViewer needs a display and this session is headless. Export the traversal instead "
				+ "('Export Traversal' with format=bdv) and open the XML in Fiji with Plugins › BigDataViewer › Open XML/HDF5.");
		Object bdv = null;
		try {
			for (Source s : sources) bdv = show.show(s, title, bdv);
		} catch (ExplorerException e) {
			throw e;
		} catch (Exception e) {
			Throwable c = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
			throw new ExplorerException("BigDataViewer failed to open the traversal: " + c, c);
		}
		return bdv;
	}

	/** The real calls into BDV inside Fiji. */
	public static Show fiji() {
		return (s, title, addTo) -> {
			Class<?> functions, options, sourceType, affine;
			try {
				functions = Class.forName("bdv.util.BdvFunctions");
				options = Class.forName("bdv.util.BdvOptions");
				sourceType = Class.forName("bdv.viewer.Source");
				affine = Class.forName("net.imglib2.realtransform.AffineTransform3D"); // imglib2-realtransform, which BDV depends on
			} catch (ClassNotFoundException e) {
				throw new ExplorerException("BigDataViewer is not installed. It ships with Fiji (bigdataviewer-core); in a plain ImageJ, "
					+ "enable it with Help › Update… or export the traversal as BDV XML/N5 and open it elsewhere.");
			}
			double[] c = s.calibration();
			Object transform = affine.getConstructor().newInstance();
			affine.getMethod("set", double[].class).invoke(transform, (Object) new double[] {c[0], 0, 0, 0, 0, c[1], 0, 0, 0, 0, c[2], 0});
			Object type = net.imglib2.util.Util.getTypeFromInterval((RandomAccessibleInterval) s.rai());
			Object raiSource = Class.forName("bdv.util.RandomAccessibleIntervalSource")
				.getConstructor(RandomAccessibleInterval.class, Class.forName("net.imglib2.type.numeric.NumericType"), affine, String.class)
				.newInstance(s.rai(), type, transform, s.name());
			Object voxels = Class.forName("mpicbg.spim.data.sequence.FinalVoxelDimensions").getConstructor(String.class, double[].class)
				.newInstance(s.unit(), c);
			Object source = Proxy.newProxyInstance(sourceType.getClassLoader(), new Class<?>[] {sourceType}, (proxy, m, args) -> {
				if (m.getName().equals("getVoxelDimensions") && m.getParameterCount() == 0) return voxels;
				try {
					return m.invoke(raiSource, args);
				} catch (java.lang.reflect.InvocationTargetException e) {
					throw e.getCause();
				}
			});
			Object o = options.getMethod("options").invoke(null);
			o = options.getMethod("frameTitle", String.class).invoke(o, title);
			if (addTo != null) o = options.getMethod("addTo", Class.forName("bdv.util.Bdv")).invoke(o, addTo);
			Method show = functions.getMethod("show", sourceType, options);
			Object stackSource = show.invoke(null, source, o);
			Method range = stackSource.getClass().getMethod("setDisplayRange", double.class, double.class);
			range.invoke(stackSource, s.displayRange()[0], s.displayRange()[1]);
			return stackSource;
		};
	}
}
