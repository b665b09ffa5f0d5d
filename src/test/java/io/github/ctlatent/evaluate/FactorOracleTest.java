package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SlicePreparation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Label tables and a short real oracle training on a small phantom slice set (held out by volume), saved and loaded. */
class FactorOracleTest {

	@TempDir
	static Path dir;
	static SliceSet set;

	@BeforeAll
	static void phantomSliceSet() {
		PhantomGenerator.generate(6, 64, 16, 3, PhantomGenerator.Format.NIFTI, dir.resolve("phantom"), 10, Monitor.NONE);
		Preprocessing p = Preprocessing.cpuDefault();
		SlicePreparation.fromFolder(dir.resolve("phantom"), dir.resolve("slices"),
			new SlicePreparation.Options(new Preprocessing(p.huMin(), p.huMax(), 32, p.interpolation()), 1, 0.34, false, true, false), Monitor.NONE);
		set = SliceSet.open(dir.resolve("slices"));
	}

	@Test
	void thePhantomTableMapsVolumeNumbersToSlicesAndHidesUnobservableFactors() {
		LabelTable t = LabelTable.read(LabelTable.factorsOf(set), set);
		assertEquals(List.of("z", "rotation", "width", "height", "fat", "breast", "lung", "y_shift"), t.factors());
		assertEquals(set.count(), t.slices().length);
		assertEquals(0.0, t.values()[0][0], 1e-9, "slice 0 of a volume is the apex, z = 0");
		long hiddenBreast = java.util.Arrays.stream(t.values()).filter(v -> Double.isNaN(v[5])).count();
		assertTrue(hiddenBreast > 0 && hiddenBreast < set.count(), "breasts are seen on some slices only: " + hiddenBreast);
		for (double[] v : t.values()) assertFalse(Double.isNaN(v[1]), "rotation is always observable");
	}

	@Test
	void aUserTableByIndexWithEmptyCellsAndClearErrors() throws Exception {
		Path csv = dir.resolve("mine.csv");
		Files.writeString(csv, "index,grade,size\n0,1.5,\n3,2.5,7\n");
		LabelTable t = LabelTable.read(csv, set);
		assertEquals(List.of("grade", "size"), t.factors());
		assertArrayEquals(new int[] {0, 3}, t.slices());
		assertTrue(Double.isNaN(t.values()[0][1]));
		Files.writeString(csv, "volume,slice,grade\nnobody,0,1\n");
		assertTrue(assertThrows(ExplorerException.class, () -> LabelTable.read(csv, set)).getMessage().contains("volume 'nobody'"));
		Files.writeString(csv, "grade,size\n1,2\n");
		assertTrue(assertThrows(ExplorerException.class, () -> LabelTable.read(csv, set)).getMessage().contains("needs an 'index' column"));
		Files.writeString(csv, "index,grade\n" + (set.count() + 5) + ",1\n");
		assertTrue(assertThrows(ExplorerException.class, () -> LabelTable.read(csv, set)).getMessage().contains("the slice set has"));
		Files.writeString(csv, "index,grade\n0,x\n");
		assertTrue(assertThrows(ExplorerException.class, () -> LabelTable.read(csv, set)).getMessage().contains("'x' is not a number"));
	}

	@Test
	void aShortTrainingLearnsSomethingHeldOutAndTheSavedOracleReadsTheSame() {
		OracleTraining.Settings s = new OracleTraining.Settings(60, 16, 3e-3, 4, 2.0, 1, Device.cpu());
		Path out = dir.resolve("oracle");
		OracleTraining.Result r = OracleTraining.train(set, LabelTable.read(LabelTable.factorsOf(set), set), s, out, Monitor.NONE);
		FactorOracle.Config c = r.config();
		assertEquals(8, c.r2().length);
		assertTrue(c.r2()[0] > 0.3, "z is the easiest factor; even a short run reads it: " + r.summary());
		assertTrue(r.summary().startsWith("held-out R² z "), r.summary());
		assertTrue(r.summary().contains("; blurred by σ 1 px: R² z "), "the blurred check is reported beside the sharp one: " + r.summary());
		assertEquals(1.0 / Math.sqrt(12), c.std()[0], 0.05, "z is uniform on [0, 1]");
		float[][] images = {set.slice(0), set.slice(set.count() - 1)};
		try (FactorOracle o = FactorOracle.load(out, Device.cpu())) {
			FactorOracle.Reading a = o.read(images);
			assertTrue(a.values()[0][0] < a.values()[1][0], "apex reads lower z than the abdomen");
			assertTrue(o.inDistribution(images[0], a.values()[0]), "a real slice passes the realism guard");
			float[] black = new float[images[0].length];
			java.util.Arrays.fill(black, -1f);
			assertFalse(o.inDistribution(black, o.read(new float[][] {black}).values()[0]), "an empty image does not");
			assertEquals(c.r2()[3], o.config().r2()[3], 0);
		}
		ExplorerException again = assertThrows(ExplorerException.class,
			() -> OracleTraining.train(set, LabelTable.read(LabelTable.factorsOf(set), set), s, out, Monitor.NONE));
		assertTrue(again.getMessage().contains("already holds a model"), again.getMessage());
		ExplorerException notOracle = assertThrows(ExplorerException.class, () -> FactorOracle.load(Path.of("models/phantom-gan"), Device.cpu()));
		assertTrue(notOracle.getMessage().contains("not a factor oracle"), notOracle.getMessage());
	}
}
