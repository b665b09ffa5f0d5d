package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.testing.Harness;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.Dcgan;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VAE teacher of a GAN's axes (ID-GAN's information term) on a real, briefly trained 16² VAE. */
class TeacherAxesTest {

	static final DcganConfig GAN = new DcganConfig(8, 16, 8, 8, 1);

	@TempDir
	static Path dir;
	static Path slices, teacher;

	@BeforeAll
	static void trainATeacher() {
		Path in = dir.resolve("phantom");
		Harness.run(GeneratePhantomCommand.class, "output", in, "count", 3, "size", 32, "slices", 12, "format", "nifti", "noise", 0);
		Harness.run(PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("slices"), "size", 16, "test_fraction", 0.34);
		slices = dir.resolve("slices");
		teacher = dir.resolve("vae");
		Training.vae(slices).output(teacher).iterations(60).batchSize(8).latentDim(6).ch(8).learningRate(2e-3).seed(3).device("cpu").run(Monitor.NONE);
	}

	@ParameterizedTest
	@EnumSource(TeacherAxes.Units.class)
	void thePenaltyIsTheSquaredGapBetweenTheTeachersReadingAndWhatTheGansCodeAsksOnTheTaughtAxes(TeacherAxes.Units units) {
		SliceSet set = SliceSet.open(slices);
		int[] train = set.indices(SliceSet.Split.TRAIN);
		float[][] images = new float[train.length][];
		for (int i = 0; i < train.length; i++) images[i] = set.slice(train[i]);
		try (TeacherAxes t = TeacherAxes.load(teacher, 1f, units, set, Device.cpu()); VaeEncoder e = VaeEncoder.load(teacher, Device.cpu());
			NDManager m = NDManager.newBaseManager()) {
			// given the teacher's mean codes of every training slice (fewer than the statistics' 1,024), measured by hand
			float[][] mu = e.encode(images);
			int d = e.latentDim(), n = mu.length;
			double[] mean = new double[d], sd = new double[d];
			for (int j = 0; j < d; j++) {
				for (float[] c : mu) mean[j] += c[j] / (double) n;
				for (float[] c : mu) sd[j] += (c[j] - mean[j]) * (c[j] - mean[j]) / n;
				sd[j] = Math.sqrt(sd[j]);
			}
			int[] taught = t.taught();
			assertTrue(taught.length > 0 && taught.length <= d, Arrays.toString(sd));
			for (int j = 0; j < d; j++) assertEquals(sd[j] > TeacherAxes.ACTIVE_SD, Arrays.binarySearch(taught, j) >= 0, "axis " + j + " sd " + sd[j]);
			// when eight of those slices are read with GAN codes (latent 8) that ask exactly their teacher codes (m + c z with
			// c = s in data units, min(s, 1) in teacher units), then shifted by +1 on every taught axis and by +5 on the untaught ones
			int b = 8;
			float[] x = new float[b * 16 * 16], exact = new float[b * GAN.latentDim()], off = new float[exact.length];
			for (int i = 0; i < b; i++) {
				System.arraycopy(images[i * 3], 0, x, i * 256, 256);
				for (int j = 0; j < GAN.latentDim(); j++) {
					boolean isTaught = j < d && Arrays.binarySearch(taught, j) >= 0;
					double c = isTaught ? (units == TeacherAxes.Units.DATA ? sd[j] : Math.min(sd[j], 1)) : 1;
					exact[i * GAN.latentDim() + j] = isTaught ? (float) ((mu[i * 3][j] - mean[j]) / c) : 0f;
					off[i * GAN.latentDim() + j] = exact[i * GAN.latentDim() + j] + (isTaught ? 1f : 5f);
				}
			}
			NDArray img = m.create(x, new Shape(b, 1, 16, 16));
			float none = t.penalty(img, m.create(exact, new Shape(b, GAN.latentDim(), 1, 1))).getFloat();
			float one = t.penalty(img, m.create(off, new Shape(b, GAN.latentDim(), 1, 1))).getFloat();
			// then the penalty is 0 and then the mean over the taught axes only of min(1, s²), in either units: data units
			// weigh the teacher-unit gap s by min(1, 1/s²), teacher units ask a gap of min(s, 1) and weigh it 1
			double weighed = 0;
			for (int j : taught) weighed += Math.min(1, sd[j] * sd[j]) / taught.length;
			assertEquals(0f, none, 1e-4f);
			assertEquals(weighed, one, 1e-3 * Math.max(1, weighed));
		}
	}

	@Test
	void theTeacherLeavesTheDiscriminatorPhaseAsAPlainRunsAndTrainsTheGenerator() {
		// given a teacher, loaded before both runs (its encoder's initialisation draws from libtorch's generator, which the
		// random batch draws from too), and the same GAN, batch and random stream twice, once plain, once taught
		try (TeacherAxes t = TeacherAxes.load(teacher, 10f, TeacherAxes.Units.DATA, SliceSet.open(slices), Device.cpu())) {
			// when one iteration runs
			GanStep.Result[] r = GanStepTest.plainAndWith(GAN, step -> step.teacher(t));
			// then (besides plainAndWith's checks: D's step bit for bit, G's different) the penalty is reported beside the adversarial loss
			assertTrue(Float.isNaN(r[0].teacher()) && r[1].teacher() > 0, r[0] + " " + r[1]);
		}
	}

	@Test
	void aTaughtGeneratorDrawsImagesTheTeacherReadsAtTheirCodes() {
		// given a tiny GAN trained 150 iterations on real slices, with and without the teacher
		float[] without = afterTraining(0f), with = afterTraining(10f);
		// then the teacher reads its codes back far better, and the fit a user reads says so
		assertTrue(with[0] < 0.5f * without[0], "teacher penalty after training: " + without[0] + " without, " + with[0] + " with");
		assertTrue(with[1] > without[1] + 0.2, "median fit r after training: " + without[1] + " without, " + with[1] + " with");
	}

	@Test
	void theFitCallsAnAxisThatOrdersTheTeachersReadingFittedAndAGeneratorThatIgnoresItsCodeUnfitted() {
		SliceSet set = SliceSet.open(slices);
		int[] train = set.indices(SliceSet.Split.TRAIN);
		float[][] images = new float[train.length][];
		for (int i = 0; i < train.length; i++) images[i] = set.slice(train[i]);
		try (TeacherAxes t = TeacherAxes.load(teacher, 1f, TeacherAxes.Units.TEACHER, set, Device.cpu()); VaeEncoder e = VaeEncoder.load(teacher, Device.cpu())) {
			// given the taught axis the teacher spreads real slices over most, and a generator that draws, for code z, the
			// real slice at rank (z_j + 2.5) / 5 of the teacher's readings there: its axis j orders what the teacher reads
			float[][] mu = e.encode(images);
			int[] taught = t.taught();
			int j = taught[0];
			for (int k : taught) if (sumOfSquares(mu, k) > sumOfSquares(mu, j)) j = k;
			int axis = j;
			Integer[] order = new Integer[images.length];
			for (int i = 0; i < order.length; i++) order[i] = i;
			Arrays.sort(order, (a, b) -> Float.compare(mu[a][axis], mu[b][axis]));
			float[][] ranked = new float[images.length][];
			for (int i = 0; i < ranked.length; i++) ranked[i] = images[order[i]];
			try (Generator ordered = new RankGenerator(GAN.latentDim(), axis, ranked); Generator blank = new RankGenerator(GAN.latentDim(), axis, new float[][] {images[0]})) {
				// when the fit is measured
				double[] fit = t.fit(ordered);
				// then that axis fits (the reading rises with the code), and a generator that draws one image whatever its code fits nothing
				assertEquals(taught.length, fit.length);
				assertTrue(fit[Arrays.binarySearch(taught, axis)] > 0.8, "fit per taught axis " + Arrays.toString(taught) + ": " + Arrays.toString(fit));
				for (double r : t.fit(blank)) assertEquals(0, r, 1e-9, "a generator that ignores its code");
			}
		}
	}

	/** The sum of squared deviations of dimension j of the codes: which axis spreads them most. */
	private static double sumOfSquares(float[][] mu, int j) {
		double m = 0, q = 0;
		for (float[] c : mu) m += c[j] / (double) mu.length;
		for (float[] c : mu) q += (c[j] - m) * (c[j] - m);
		return q;
	}

	/** Draws, for code z, image number round((z_axis + 2.5) / 5 · (n − 1)) (clamped) of n ranked images. */
	private record RankGenerator(int latentDim, int axis, float[][] ranked) implements Generator {
		@Override public int imageSize() { return (int) Math.round(Math.sqrt(ranked[0].length)); }
		@Override public NDArray generate(NDArray z) {
			float[] codes = z.toFloatArray();
			int b = (int) z.getShape().get(0), p = ranked[0].length, n = ranked.length;
			float[] out = new float[b * p];
			for (int i = 0; i < b; i++) {
				int k = (int) Math.max(0, Math.min(n - 1, Math.round((codes[i * latentDim + axis] + 2.5) / 5 * (n - 1))));
				System.arraycopy(ranked[k], 0, out, i * p, p);
			}
			return z.getManager().create(out, new Shape(b, 1, imageSize(), imageSize()));
		}
		@Override public Device device() { return Device.cpu(); }
		@Override public NDManager manager() { return null; }
		@Override public String fingerprint() { return "ranked"; }
		@Override public void close() {}
	}

	/** The teacher's penalty on 32 fixed codes of a tiny GAN after 150 iterations with teacher weight {@code weight} (0: none), and its median fit. */
	private static float[] afterTraining(float weight) {
		Engines.seed(41);
		SliceSet set = SliceSet.open(slices);
		try (Dcgan gan = Dcgan.create(GAN, Device.cpu()); NDManager data = NDManager.newBaseManager();
			TeacherAxes t = TeacherAxes.load(teacher, weight > 0 ? weight : 1f, TeacherAxes.Units.DATA, set, Device.cpu())) {
			GanStep step = new GanStep(gan).teacher(weight > 0 ? t : TeacherAxes.OFF);
			int[] train = set.indices(SliceSet.Split.TRAIN);
			float[] x = new float[16 * 256];
			for (int i = 0; i < 16; i++) System.arraycopy(set.slice(train[i * train.length / 16]), 0, x, i * 256, 256);
			GanStepTest.train(gan, step, data.create(x, new Shape(16, 1, 16, 16)), 150);
			try (NDManager it = gan.manager().newSubManager()) {
				NDArray z = io.github.ctlatent.model.Losses.gaussian(it, new SplittableRandom(9), new Shape(32, GAN.latentDim(), 1, 1));
				NDArray images = gan.generator().forward(new ai.djl.training.ParameterStore(gan.manager(), false), new ai.djl.ndarray.NDList(z), false).singletonOrThrow();
				float penalty = t.penalty(images, z).getFloat();
				double[] fit;
				try (Generator g = io.github.ctlatent.model.DcganGenerator.copyOf(gan)) {
					fit = t.fit(g);
				}
				Arrays.sort(fit);
				return new float[] {penalty, (float) fit[fit.length / 2]};
			}
		}
	}
}
