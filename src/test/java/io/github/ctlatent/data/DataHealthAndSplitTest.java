package io.github.ctlatent.data;

import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Window fill at preparation (a mostly clipped set warns) and the slab split of a single volume. */
class DataHealthAndSplitTest {

	@TempDir
	Path dir;

	/** One volume, 8-bit-soft-tissue-like: {@code background} of the voxels at −160 HU, the rest a ramp in 0…240 HU. */
	static Volume windowed(int depth, double background) {
		float[][] planes = new float[depth][32 * 32];
		for (int z = 0; z < depth; z++)
			for (int i = 0; i < planes[z].length; i++) planes[z][i] = i < background * planes[z].length ? -160f : 240f * i / planes[z].length;
		return new Volume("ct", 32, 32, planes, new double[] {1, 1, 1}, true, Map.of());
	}

	private static DatasetCard write(Path out, Volume v, Preprocessing p, double testFraction) {
		try (SliceSetWriter w = SliceSetWriter.create(out, p, 1, testFraction)) {
			w.add(v.name(), "mem", v);
			return w.commit();
		}
	}

	@Test
	void aMostlyClippedSliceSetWarnsWithASuggestedWindow() {
		DatasetCard card = write(dir.resolve("clipped"), windowed(10, 0.78), new Preprocessing(-160, 240, 16, "lanczos4"), 0.1);
		DataHealth all = card.health.overall();
		assertEquals(0.78, all.floorFraction(), 0.01);
		// clipped, not HU (nothing near air) and one value for 78% of the voxels: this volume is a windowed export too
		assertEquals(3, card.health.warnings().size(), card.health.warnings().toString());
		String w = card.health.warnings().get(0);
		assertTrue(card.health.warnings().get(1).startsWith("The values (-160…240) do not look like Hounsfield units"), card.health.warnings().get(1));
		assertFalse(card.health.warnings().get(1).contains("Suggested window"), "the suggestion is given once");
		assertTrue(card.health.warnings().get(2).startsWith("78% of the voxels hold one value (-160)"), card.health.warnings().get(2));
		assertTrue(w.startsWith("The data is mostly clipped by the window [-160, 240] HU: 78% of the voxels are at the floor"), w);
		double[] s = card.health.suggestedWindow();
		assertTrue(s[0] < -160 && s[1] > 240, java.util.Arrays.toString(s));
		assertTrue(w.contains("hu_min=" + (long) s[0] + " hu_max=" + (long) s[1]), w);
		// recorded in dataset.json, and read back
		assertEquals(0.78, DatasetCard.read(dir.resolve("clipped")).health.volumes().get(0).health().floorFraction(), 0.01);
		// the suggested window is healthy
		DatasetCard fixed = write(dir.resolve("fixed"), windowed(10, 0.78), new Preprocessing(s[0], s[1], 16, "lanczos4"), 0.1);
		assertEquals(0, fixed.health.overall().clipped(), 1e-12);
		assertTrue(fixed.health.warnings().stream().noneMatch(x -> x.contains("clipped")), fixed.health.warnings().toString());
		// half clipped is not "mostly", and 40% of one value is not "most"
		assertEquals(java.util.List.of(), write(dir.resolve("half"), windowed(10, 0.4), new Preprocessing(-160, 240, 16, "lanczos4"), 0.1).health.warnings()
			.stream().filter(x -> !x.contains("Hounsfield")).toList());
	}

	@Test
	void oneVolumeGetsASlabSplitWithGaps() throws Exception {
		DatasetCard card = write(dir.resolve("one"), windowed(40, 0.3), new Preprocessing(-1000, 2000, 8, "lanczos4"), 0.1);
		assertEquals("slabs", card.split);
		assertTrue(card.splitNote.startsWith("Only one volume, so the split is by slab"), card.splitNote);
		SliceSet set = SliceSet.open(dir.resolve("one"));
		int[] test = set.indices(SliceSet.Split.TEST), train = set.indices(SliceSet.Split.TRAIN);
		assertEquals(4, test.length);
		for (int i = 1; i < test.length; i++) assertEquals(test[i - 1] + 1, test[i]); // contiguous
		for (int t : train) assertTrue(t < test[0] - 2 || t > test[3] + 2, "train slice " + t + " within 2 slices of the test slab " + test[0] + "-" + test[3]);
		assertEquals(card.trainSlices, train.length);
		assertTrue(train.length >= 40 - 4 - 4 && train.length < 36, "" + train.length);
		assertTrue(Files.readString(dir.resolve("one/slices.csv")).contains(",gap\n"));
		// a volume too thin for a slab still trains, and the card says there is no test set
		DatasetCard thin = write(dir.resolve("thin"), windowed(2, 0.3), new Preprocessing(-1000, 2000, 8, "lanczos4"), 0.1);
		assertEquals("none", thin.split);
		assertTrue(thin.splitNote.startsWith("WARNING: no test split"), thin.splitNote);
	}

	@Test
	void thePhantomAsOneNiftiThroughTheCommand() throws Exception {
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("in"), "count", 1, "size", 64, "slices", 20, "format", "nifti");
		Map<String, Object> paper = Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("in"), "output", dir.resolve("paper"), "size", 16);
		String s = String.valueOf(paper.get("summary"));
		assertTrue(s.startsWith("20 slices of 16² (") && s.contains(", 2 test, split by slab) from 1 volumes"), s);
		assertFalse(s.contains("WARNING"), s);
		DatasetCard card = DatasetCard.read(dir.resolve("paper"));
		assertEquals("1.0", card.volumes.get(0).metadata().get("sclSlope"), card.volumes.get(0).metadata().toString());
		assertNotNull(card.volumes.get(0).metadata().get("sclInter"), card.volumes.get(0).metadata().toString());
		// a soft-tissue window puts air and lung at the floor: the command warns
		Map<String, Object> soft = Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("in"), "output", dir.resolve("soft"), "size", 16,
			"hu_min", -160, "hu_max", 240);
		assertTrue(String.valueOf(soft.get("summary")).contains("\nWARNING: The data is mostly clipped"), String.valueOf(soft.get("summary")));
		System.out.println("phantom window fill: paper " + card.health.overall().summary() + "; soft tissue "
			+ DatasetCard.read(dir.resolve("soft")).health.overall().summary());
	}
	@Test
	void aDisplayExportOfThePhantomIsNamedAsSuchWithAWindowThatFitsIt() throws Exception {
		// the phantom through a soft-tissue display window (W 400, L 40) into 0…255, as an 8-bit export writes it:
		// air, lung and fat all become 0 and most voxels share that one value
		io.github.ctlatent.data.phantom.ThoraxPhantom.Rendered r = io.github.ctlatent.data.phantom.ThoraxPhantom.render(
			io.github.ctlatent.data.phantom.PhantomFactors.draw(3), 64, 24);
		Volume hu = r.volume();
		float[][] planes = new float[hu.depth()][];
		for (int z = 0; z < hu.depth(); z++) {
			planes[z] = hu.plane(z).clone();
			for (int i = 0; i < planes[z].length; i++) planes[z][i] = Math.round(Math.max(0, Math.min(255, (planes[z][i] + 160) / 400 * 255)));
		}
		Path in = Files.createDirectories(dir.resolve("export"));
		io.github.ctlatent.data.io.NiftiWriter.write(new Volume("export", hu.width(), hu.height(), planes, new double[] {1, 1, 1}, true, Map.of()),
			in.resolve("chest.nii"));
		Map<String, Object> out = Harness.run(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("sl"), "size", 16);
		String summary = String.valueOf(out.get("summary"));
		DatasetCard card = DatasetCard.read(dir.resolve("sl"));
		DataHealth all = card.health.overall();
		assertEquals(0, all.clipped(), 0.01, "the default window clips nothing here, which is why the old check stayed silent: " + all.summary());
		assertTrue(all.usedRange() > DataHealth.NARROW, all.summary());
		assertTrue(all.modeFraction() > DataHealth.ONE_VALUE, all.summary());
		assertTrue(summary.contains("WARNING: The values (0…255) do not look like Hounsfield units"), summary);
		assertTrue(summary.contains("% of the voxels hold one value (0)"), summary);
		double[] w = card.health.suggestedWindow();
		assertTrue(summary.contains("hu_min=" + (long) w[0] + " hu_max=" + (long) w[1]), summary);
		assertTrue(w[0] < 0 && w[1] > 255, java.util.Arrays.toString(w));
		// the phantom in HU raises neither
		Harness.run(GeneratePhantomCommand.class, "output", dir.resolve("hu"), "count", 1, "size", 64, "slices", 24, "format", "nifti");
		String healthy = String.valueOf(Harness.run(PrepareSliceSetCommand.class, "input", dir.resolve("hu"), "output", dir.resolve("hu-sl"), "size", 16).get("summary"));
		assertFalse(healthy.contains("WARNING"), healthy);
	}
}
