package io.github.ctlatent.view;

import io.github.ctlatent.traverse.TraversalVolume;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a traversal as BigDataViewer XML + N5 (one setup per direction, one time point, one resolution level,
 * float32, raw blocks), following the N5 specification and BDV's {@code bdv.n5} 1.1 layout:
 * {@code setup<i>/attributes.json} (downsamplingFactors, dataType), the time point group with the attributes BDV's own
 * writer puts there (multiScale, resolution = the voxel size, saved_completely), dataset {@code setup<i>/timepoint0/s0}
 * with dimensions/blockSize/dataType/compression and its downsamplingFactors (read by other N5 tools), blocks at {@code s0/<gx>/<gy>/<gz>} with a header
 * (uint16 mode 0, uint16 nDims, uint32 size per dim) and big-endian values, x fastest.
 * <p>
 * Written here because the n5 library is not on Maven Central; the format is small and documented.
 */
public final class N5Writer {

	public static final int BLOCK = 64;

	private N5Writer() {}

	/** Writes {@code <name>.n5} folder content into {@code n5} (which must be empty); voxels of {@code voxelSize} (x, y, shift). */
	public static void writeN5(TraversalVolume v, Path n5, double[] voxelSize) throws IOException {
		Files.createDirectories(n5);
		Files.writeString(n5.resolve("attributes.json"), "{\"n5\":\"2.5.1\"}");
		long[] dims = {v.size(), v.size(), v.frames()};
		int[] block = {BLOCK, BLOCK, BLOCK};
		for (int j = 0; j < v.directions().length; j++) {
			Path setup = n5.resolve("setup" + j);
			Path ds = setup.resolve("timepoint0").resolve("s0");
			Files.createDirectories(ds);
			Files.writeString(setup.resolve("attributes.json"), "{\"downsamplingFactors\":[[1,1,1]],\"dataType\":\"float32\"}");
			Files.writeString(setup.resolve("timepoint0").resolve("attributes.json"), String.format(Locale.ROOT,
				"{\"resolution\":[%s,%s,%s],\"saved_completely\":true,\"multiScale\":true}", voxelSize[0], voxelSize[1], voxelSize[2]));
			Files.writeString(ds.resolve("attributes.json"), String.format(Locale.ROOT,
				"{\"dimensions\":[%d,%d,%d],\"blockSize\":[%d,%d,%d],\"dataType\":\"float32\",\"compression\":{\"type\":\"raw\"},"
					+ "\"downsamplingFactors\":[1,1,1]}",
				dims[0], dims[1], dims[2], block[0], block[1], block[2]));
			for (int gz = 0; gz * BLOCK < dims[2]; gz++)
				for (int gy = 0; gy * BLOCK < dims[1]; gy++)
					for (int gx = 0; gx * BLOCK < dims[0]; gx++) writeBlock(v, j, ds, gx, gy, gz);
		}
	}

	private static void writeBlock(TraversalVolume v, int j, Path ds, int gx, int gy, int gz) throws IOException {
		int s = v.size();
		int x0 = gx * BLOCK, y0 = gy * BLOCK, z0 = gz * BLOCK;
		int bx = Math.min(BLOCK, s - x0), by = Math.min(BLOCK, s - y0), bz = Math.min(BLOCK, v.frames() - z0);
		Path file = ds.resolve(String.valueOf(gx)).resolve(String.valueOf(gy)).resolve(String.valueOf(gz));
		Files.createDirectories(file.getParent());
		try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(file)); DataOutputStream out = new DataOutputStream(os)) {
			out.writeShort(0); // mode: default
			out.writeShort(3);
			out.writeInt(bx);
			out.writeInt(by);
			out.writeInt(bz);
			for (int z = 0; z < bz; z++) {
				float[] p = v.plane(j, z0 + z);
				for (int y = 0; y < by; y++)
					for (int x = 0; x < bx; x++) out.writeFloat(p[(y0 + y) * s + x0 + x]); // DataOutputStream is big-endian
			}
		}
	}

	/** The BDV XML describing the N5 container {@code n5Name} (relative to the XML's folder). */
	public static String bdvXml(TraversalVolume v, String n5Name, double shiftSpacing) {
		StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SpimData version=\"0.2\">\n")
			.append("  <BasePath type=\"relative\">.</BasePath>\n  <SequenceDescription>\n")
			.append("    <ImageLoader format=\"bdv.n5\" version=\"1.1\">\n      <n5 type=\"relative\">").append(n5Name).append("</n5>\n    </ImageLoader>\n")
			.append("    <ViewSetups>\n");
		int n = v.directions().length;
		double px = v.pixelSizeMm();
		for (int j = 0; j < n; j++)
			sb.append(String.format(Locale.ROOT, "      <ViewSetup>\n        <id>%d</id>\n        <name>%s</name>\n        <size>%d %d %d</size>\n"
				+ "        <voxelSize>\n          <unit>mm</unit>\n          <size>%s %s %s</size>\n        </voxelSize>\n"
				+ "        <attributes>\n          <channel>%d</channel>\n        </attributes>\n      </ViewSetup>\n",
				j, escape(v.label(j)), v.size(), v.size(), v.frames(), px, px, shiftSpacing, j));
		sb.append("      <Attributes name=\"channel\">\n");
		for (int j = 0; j < n; j++) sb.append(String.format("        <Channel>\n          <id>%d</id>\n          <name>%d</name>\n        </Channel>\n", j, j));
		sb.append("      </Attributes>\n    </ViewSetups>\n    <Timepoints type=\"range\">\n      <first>0</first>\n      <last>0</last>\n    </Timepoints>\n")
			.append("  </SequenceDescription>\n  <ViewRegistrations>\n");
		for (int j = 0; j < n; j++)
			sb.append(String.format(Locale.ROOT, "    <ViewRegistration timepoint=\"0\" setup=\"%d\">\n      <ViewTransform type=\"affine\">\n"
				+ "        <Name>calibration</Name>\n        <affine>%s 0.0 0.0 0.0 0.0 %s 0.0 0.0 0.0 0.0 %s 0.0</affine>\n      </ViewTransform>\n    </ViewRegistration>\n",
				j, px, px, shiftSpacing));
		return sb.append("  </ViewRegistrations>\n</SpimData>\n").toString();
	}

	/**
	 * BDV's {@code <name>.settings.xml} (what File › Save settings writes, read when the XML is opened): every
	 * source active, single-source display with the first current (fused display adds all directions up into white),
	 * and each converter's range set to {@code range} with the Brightness &amp; Color bounds around it (BDV's default
	 * for float data, 0–65535, shows HU near-black). BDV restores exactly as many groups as it has (10) and one
	 * manual transform per source, so both are written in full. Checked in a real BDV by BdvKitTest.
	 */
	public static String bdvSettings(int sources, double[] range) {
		StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Settings>\n  <ViewerState>\n    <Sources>\n");
		for (int j = 0; j < sources; j++) sb.append("      <Source>\n        <active>true</active>\n      </Source>\n");
		sb.append("    </Sources>\n    <SourceGroups>\n");
		for (int g = 0; g < BDV_GROUPS; g++) {
			sb.append("      <SourceGroup>\n        <active>true</active>\n        <name>group ").append(g + 1).append("</name>\n");
			if (g < sources) sb.append("        <id>").append(g).append("</id>\n");
			sb.append("      </SourceGroup>\n");
		}
		sb.append("    </SourceGroups>\n    <DisplayMode>ss</DisplayMode>\n    <Interpolation>nearestneighbor</Interpolation>\n")
			.append("    <CurrentSource>0</CurrentSource>\n    <CurrentGroup>0</CurrentGroup>\n    <CurrentTimePoint>0</CurrentTimePoint>\n")
			.append("  </ViewerState>\n  <SetupAssignments>\n    <ConverterSetups>\n");
		for (int j = 0; j < sources; j++)
			sb.append(String.format(Locale.ROOT, "      <ConverterSetup>\n        <id>%d</id>\n        <min>%s</min>\n        <max>%s</max>\n"
				+ "        <color>-1</color>\n        <groupId>%d</groupId>\n      </ConverterSetup>\n", j, range[0], range[1], j));
		// the slider bounds of each min/max group (BDV 10 reads rangeMin/rangeMax as the bounds), as the bridge sets them
		double[] bounds = BdvBridge.rangeBounds(range);
		double lo = bounds[0], hi = bounds[1];
		sb.append("    </ConverterSetups>\n    <MinMaxGroups>\n");
		for (int j = 0; j < sources; j++)
			sb.append(String.format(Locale.ROOT, "      <MinMaxGroup>\n        <id>%d</id>\n        <fullRangeMin>%s</fullRangeMin>\n"
				+ "        <fullRangeMax>%s</fullRangeMax>\n        <rangeMin>%s</rangeMin>\n        <rangeMax>%s</rangeMax>\n"
				+ "        <currentMin>%s</currentMin>\n        <currentMax>%s</currentMax>\n      </MinMaxGroup>\n",
				j, lo, hi, lo, hi, range[0], range[1]));
		sb.append("    </MinMaxGroups>\n  </SetupAssignments>\n  <ManualSourceTransforms>\n");
		for (int j = 0; j < sources; j++)
			sb.append("    <SourceTransform type=\"affine\">\n      <affine>1.0 0.0 0.0 0.0 0.0 1.0 0.0 0.0 0.0 0.0 1.0 0.0</affine>\n    </SourceTransform>\n");
		return sb.append("  </ManualSourceTransforms>\n  <Bookmarks/>\n</Settings>\n").toString();
	}

	/** Source groups a BigDataViewer window has (its default), all of which a settings file must list. */
	static final int BDV_GROUPS = 10;

	private static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
