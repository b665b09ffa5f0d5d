package io.github.ctlatent.view;

import io.github.ctlatent.core.ExplorerException;
import net.imglib2.RandomAccessibleInterval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@link BdvBridge.Bdv} on BigDataViewer's real classes, reached by reflection through a class loader: BDV is not
 * on Maven Central, so the plugin is built without it and finds it inside Fiji (or, in BdvKitTest, in a BDV built
 * from its sources). Calls only BDV's public API of 10.x: {@code BdvFunctions.show(Source, BdvOptions)},
 * {@code BdvStackSource.setDisplayRangeBounds/setDisplayRange/setCurrent}, {@code ViewerState.setDisplayMode} and
 * {@code SetupAssignments.toXml/restoreFromXml} (what loading a settings file does).
 */
final class BdvCalls implements BdvBridge.Bdv {

	private final ClassLoader loader;

	BdvCalls(ClassLoader loader) {
		this.loader = loader;
	}

	private Class<?> type(String name) throws ClassNotFoundException {
		return Class.forName(name, true, loader);
	}

	@Override
	public Object show(BdvBridge.Source s, String title, Object addTo) throws Exception {
		Class<?> functions, options, sourceType, affine;
		try {
			functions = type("bdv.util.BdvFunctions");
			options = type("bdv.util.BdvOptions");
			sourceType = type("bdv.viewer.Source");
			affine = type("net.imglib2.realtransform.AffineTransform3D"); // imglib2-realtransform, which BDV depends on
		} catch (ClassNotFoundException e) {
			throw new ExplorerException("BigDataViewer is not installed. It ships with Fiji (bigdataviewer-core); in a plain ImageJ, "
				+ "enable it with Help › Update… or export the traversal as BDV XML/N5 and open it elsewhere.");
		}
		double[] c = s.calibration();
		Object transform = affine.getConstructor().newInstance();
		affine.getMethod("set", double[].class).invoke(transform, (Object) new double[] {c[0], 0, 0, 0, 0, c[1], 0, 0, 0, 0, c[2], 0});
		Object type = net.imglib2.util.Util.getTypeFromInterval((RandomAccessibleInterval) s.rai());
		Object raiSource = type("bdv.util.RandomAccessibleIntervalSource")
			.getConstructor(RandomAccessibleInterval.class, type("net.imglib2.type.numeric.NumericType"), affine, String.class)
			.newInstance(s.rai(), type, transform, s.name());
		Object voxels = type("mpicbg.spim.data.sequence.FinalVoxelDimensions").getConstructor(String.class, double[].class).newInstance(s.unit(), c);
		// BDV's wrapper reports "pixel" voxels; the proxy says mm so the scale bar and the source info are in mm
		Object source = Proxy.newProxyInstance(sourceType.getClassLoader(), new Class<?>[] {sourceType}, (proxy, m, args) -> {
			if (m.getName().equals("getVoxelDimensions") && m.getParameterCount() == 0) return voxels;
			try {
				return m.invoke(raiSource, args);
			} catch (InvocationTargetException e) {
				throw e.getCause();
			}
		});
		Object o = options.getMethod("options").invoke(null);
		o = options.getMethod("frameTitle", String.class).invoke(o, title);
		if (addTo != null) o = options.getMethod("addTo", type("bdv.util.Bdv")).invoke(o, addTo);
		return functions.getMethod("show", sourceType, options).invoke(null, source, o);
	}

	@Override
	public void range(Object shown, double[] bounds, double[] displayRange) throws Exception {
		fullRange(shown, bounds);
		// bounds before the range: BDV clamps a display range to the bounds it has (ConverterSetupBounds and the MinMaxGroup)
		Class<?> source = type("bdv.util.BdvSource");
		source.getMethod("setDisplayRangeBounds", double.class, double.class).invoke(shown, bounds[0], bounds[1]);
		source.getMethod("setDisplayRange", double.class, double.class).invoke(shown, displayRange[0], displayRange[1]);
	}

	/**
	 * Gives the source's Brightness &amp; Color group a full range of {@code bounds}: BDV's windows fix it at 0–65,535,
	 * and the dialog's range spinners snap a negative bound back to 0, which moves the window off HU data. The full
	 * range is final in a MinMaxGroup, so this goes the way BDV loads a settings file: the SetupAssignments' own
	 * XML, with this source's group edited, restored.
	 */
	private void fullRange(Object shown, double[] bounds) throws Exception {
		Class<?> element = type("org.jdom2.Element"); // jdom2, which BDV's settings use
		Object handle = type("bdv.util.BdvSource").getMethod("getBdvHandle").invoke(shown);
		Object assignments = type("bdv.util.BdvHandle").getMethod("getSetupAssignments").invoke(handle);
		Class<?> sa = type("bdv.tools.brightness.SetupAssignments");
		Object xml = sa.getMethod("toXml").invoke(assignments);
		Method child = element.getMethod("getChild", String.class), children = element.getMethod("getChildren", String.class),
			text = element.getMethod("getChildText", String.class), setText = element.getMethod("setText", String.class);
		String id = String.valueOf(type("bdv.tools.brightness.ConverterSetup").getMethod("getSetupId")
			.invoke(((java.util.List<?>) type("bdv.util.BdvStackSource").getMethod("getConverterSetups").invoke(shown)).get(0)));
		String group = null;
		for (Object setup : (java.util.List<?>) children.invoke(child.invoke(xml, "ConverterSetups"), "ConverterSetup"))
			if (id.equals(text.invoke(setup, "id"))) group = (String) text.invoke(setup, "groupId");
		for (Object g : (java.util.List<?>) children.invoke(child.invoke(xml, "MinMaxGroups"), "MinMaxGroup"))
			if (text.invoke(g, "id").equals(group)) {
				setText.invoke(child.invoke(g, "fullRangeMin"), String.valueOf(Math.min(bounds[0], Double.parseDouble((String) text.invoke(g, "fullRangeMin")))));
				setText.invoke(child.invoke(g, "fullRangeMax"), String.valueOf(Math.max(bounds[1], Double.parseDouble((String) text.invoke(g, "fullRangeMax")))));
			}
		Object settings = element.getConstructor(String.class).newInstance("Settings");
		element.getMethod("addContent", type("org.jdom2.Content")).invoke(settings, xml);
		sa.getMethod("restoreFromXml", element).invoke(assignments, settings);
	}

	@Override
	@SuppressWarnings({"unchecked", "rawtypes"})
	public void showOnly(Object shown) throws Exception {
		Class<?> source = type("bdv.util.BdvSource"), mode = type("bdv.viewer.DisplayMode");
		Object handle = source.getMethod("getBdvHandle").invoke(shown);
		Object panel = type("bdv.util.BdvHandle").getMethod("getViewerPanel").invoke(handle);
		Object state = type("bdv.viewer.ViewerPanel").getMethod("state").invoke(panel);
		Method setMode = type("bdv.viewer.ViewerState").getMethod("setDisplayMode", mode);
		setMode.invoke(state, Enum.valueOf((Class<Enum>) mode, "SINGLE"));
		source.getMethod("setCurrent").invoke(shown);
	}
}
