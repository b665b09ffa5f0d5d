package io.github.ctlatent.evaluate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.data.SliceSetWriter;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The label-free score's arithmetic on a generator whose latent axis 0 scrolls through a synthetic CT volume
 * (frames are interpolated real slices), axes 1–2 add a faint texture that exists in no slice, and axes 3… do
 * nothing.
 */
class LabelFreeScoresTest {

	static final int SIZE = 16, DEPTH = 24, D = 16;

	@TempDir
	static Path dir;

	static SliceSet volume;

	@BeforeAll
	static void aSyntheticScan() {
		float[][] planes = new float[DEPTH][SIZE * SIZE];
		for (int z = 0; z < DEPTH; z++) { // a bright blob moving diagonally through soft tissue, a static darker band
			double cx = 2 + 11.0 * z / (DEPTH - 1), cy = 3 + 9.0 * z / (DEPTH - 1);
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++) {
					double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
					planes[z][y * SIZE + x] = (float) (-200 + 900 * Math.exp(-r2 / (2 * 2.5 * 2.5)) - (y > 12 ? 500 : 0));
				}
		}
		try (SliceSetWriter w = SliceSetWriter.create(dir.resolve("slices"), new Preprocessing(-1000, 2000, SIZE, "lanczos4"), 1, 0.2)) {
			w.add("scan", "mem:scan", new Volume("scan", SIZE, SIZE, planes, new double[] {1, 1, 2}, true, Map.of("modality", "CT")));
			w.commit();
		}
		volume = SliceSet.open(dir.resolve("slices"));
	}

	@Test
	void theScoreIsEffectTimesRealismTimesOnePlusScroll() {
		// given the three measurements, when they are combined, then a perfect scroll doubles the score and no effect is no score
		assertEquals(12.0, LabelFreeScores.score(10, 0.6, 1), 1e-12);
		assertEquals(6.0, LabelFreeScores.score(10, 0.6, 0), 1e-12);
		assertEquals(0.0, LabelFreeScores.score(0, 0.9, 1), 1e-12);
		assertEquals(0.0, LabelFreeScores.score(10, -0.2, 1), 1e-12, "frames anti-correlated with every real slice are not realistic at all");
		assertEquals(0.0, LabelFreeScores.score(Double.NaN, 0.9, 1), 1e-12);
	}

	@Test
	void redundancyIsTheAbsoluteCosineOfDifferenceFieldsOverAllBases() {
		// given fields of three directions on two bases: a, −a (the same change reversed), and one orthogonal to a
		float[][][] fields = {{{1, 0, 0}, {0, 2, 0}}, {{-1, 0, 0}, {0, -2, 0}}, {{0, 0, 3}, {0, 0, 1}}};
		double[][] cos = LabelFreeScores.cosines(fields);
		assertEquals(1, cos[0][1], 1e-12);
		assertEquals(0, cos[0][2], 1e-12);
		assertEquals(1, cos[2][2], 1e-12);
	}

	@Test
	void aDirectionThatScrollsThroughTheVolumeRanksAboveRandomOnesAndOneWithoutEffectIsNotSignificant() {
		// given a generator whose axis 0 walks through the real volume, a random unit direction, a direction with no
		// effect, and a near copy of axis 0
		float[] random = new float[D], nearCopy = new float[D], none = new float[D], scroll = new float[D];
		Random r = new Random(7);
		double norm = 0;
		for (int c = 0; c < D; c++) norm += (random[c] = (float) r.nextGaussian()) * random[c];
		for (int c = 0; c < D; c++) random[c] /= (float) Math.sqrt(norm);
		scroll[0] = 1;
		none[5] = 1;
		nearCopy[0] = 0.95f;
		nearCopy[6] = (float) Math.sqrt(1 - 0.95 * 0.95);
		Directions dirs = Directions.of(new float[][] {random, none, scroll, nearCopy});
		Evaluation.Settings s = Evaluation.Settings.defaults().withBases(4).withSteps(2).withRandom(10).withRandom3d(40).withFrames3d(9);
		try (Generator g = new ScrollGenerator(volume)) {
			// when they are scored label-free against the volume's slices
			LabelFreeScores.Result res = LabelFreeScores.score(g, dirs, "test directions", volume, null, s, Monitor.NONE);
			LabelFreeScores.Entry rnd = res.entries()[0], zero = res.entries()[1], sc = res.entries()[2], copy = res.entries()[3];
			// then the scrolling direction ranks first, beats every random direction and scrolls (above chance)
			assertEquals(1, res.rank(2), LabelFreeReport.summary(res));
			assertTrue(sc.significant() && sc.beats() == 1, LabelFreeReport.summary(res));
			assertTrue(sc.track().absRho() > 0.9 && sc.track().span() > 0.5, sc.track().toString());
			assertTrue(res.nul().chance().beaten(sc.track()), "scrolls above chance");
			assertTrue(sc.realism() > 0.9, "its frames are (interpolated) real slices: " + sc.realism());
			assertTrue(sc.score() > rnd.score(), sc + " vs " + rnd);
			// the direction that changes nothing has no effect, no score, and is not significant
			assertEquals(0, zero.effect(), 1e-9);
			assertEquals(0, zero.score(), 1e-9);
			assertFalse(zero.significant());
			assertEquals(4, res.rank(1));
			// the near copy of axis 0 is flagged as repeating it
			assertEquals(2, copy.partner());
			assertTrue(copy.redundancy() > 0.9, String.valueOf(copy.redundancy()));
			assertTrue(res.redundant(3) && !res.redundant(2));
			assertEquals(0, zero.scroll(), 1e-12, "a walk that never moves does not scroll");
			// effect in HU: one unit of shift moves a sixth of the volume (4 slices), a few slice steps of change
			assertTrue(sc.effect() > res.sliceStep() && sc.effect() < 6 * res.sliceStep(), sc.effect() + " HU vs slice step " + res.sliceStep());
			String summary = LabelFreeReport.summary(res);
			assertTrue(summary.contains("No factor oracle: the factor tables"), summary);
			assertTrue(summary.contains("  1. direction 2: score "), summary);
			assertTrue(summary.contains("direction 3 repeats direction 2"), summary);
			assertTrue(LabelFreeReport.rankingCsv(res).split("\n")[1].startsWith("1,2,"), LabelFreeReport.rankingCsv(res));
			// and every walk of the scrolling direction is listed frame by frame: from each base the nearest slice never
			// goes back and moves over half of the volume, while the direction without effect stays on one slice
			assertTrue(summary.contains("nearest real slice per frame along direction 2"), summary);
			for (double[] walk : res.positions()[2]) {
				for (int t = 1; t < walk.length; t++) assertTrue(walk[t] >= walk[t - 1], java.util.Arrays.toString(walk));
				assertTrue(walk[walk.length - 1] - walk[0] > 0.5, java.util.Arrays.toString(walk));
			}
			for (double[] walk : res.positions()[1]) assertEquals(1, java.util.Arrays.stream(walk).distinct().count(), java.util.Arrays.toString(walk));
			String[] csv = LabelFreeReport.walksCsv(res).split("\n");
			assertEquals("reading,direction,base,frame,shift,position", csv[0]);
			assertTrue(csv[1].startsWith("nearest slice,0,0,0,"), csv[1]);
			assertEquals(1 + 4 * 4 * 9, csv.length, "directions × bases × frames rows");
		}
	}

	/** Axis 0 scrolls through the volume's slices (linear interpolation), axes 1–2 add a faint texture, the rest nothing. */
	static final class ScrollGenerator implements Generator {

		private final float[][] slices;
		private final float[] texture = new float[SIZE * SIZE];
		private final NDManager manager;

		ScrollGenerator(SliceSet set) {
			Engines.pytorch();
			manager = NDManager.newBaseManager();
			slices = new float[set.count()][];
			for (int i = 0; i < slices.length; i++) slices[i] = set.slice(i);
			Random r = new Random(3);
			for (int p = 0; p < texture.length; p++) texture[p] = (float) r.nextGaussian() * 0.01f;
		}

		@Override public int latentDim() { return D; }
		@Override public int imageSize() { return SIZE; }
		@Override public Device device() { return Device.cpu(); }
		@Override public NDManager manager() { return manager; }
		@Override public String fingerprint() { return null; }
		@Override public void close() { manager.close(); }

		@Override
		public float[][] images(float[] latents) {
			int n = latents.length / D;
			float[][] out = new float[n][SIZE * SIZE];
			for (int i = 0; i < n; i++) {
				double pos = Math.max(0, Math.min(1, (latents[i * D] + 3) / 6)) * (slices.length - 1);
				int lo = (int) Math.floor(pos), hi = Math.min(slices.length - 1, lo + 1);
				double w = pos - lo, tex = latents[i * D + 1] + latents[i * D + 2];
				for (int p = 0; p < SIZE * SIZE; p++) out[i][p] = (float) ((1 - w) * slices[lo][p] + w * slices[hi][p] + tex * texture[p]);
			}
			return out;
		}

		@Override
		public NDArray generate(NDArray z) {
			float[][] img = images(z.toFloatArray());
			float[] flat = new float[img.length * SIZE * SIZE];
			for (int i = 0; i < img.length; i++) System.arraycopy(img[i], 0, flat, i * SIZE * SIZE, SIZE * SIZE);
			return z.getManager().create(flat, new ai.djl.ndarray.types.Shape(img.length, 1, SIZE, SIZE));
		}
	}
}
