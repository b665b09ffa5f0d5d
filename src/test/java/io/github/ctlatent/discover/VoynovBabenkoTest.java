package io.github.ctlatent.discover;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class VoynovBabenkoTest {

	private static ToyGenerator generator;

	@BeforeAll
	static void start() {
		generator = new ToyGenerator(8, 32, 8, 1);
	}

	@AfterAll
	static void stop() {
		generator.close();
	}

	private static DiscoverySettings tiny(DeformatorType type, int k, int steps) {
		return DiscoverySettings.paper().toBuilder().deformator(type).directions(k).batchSize(16).steps(steps).learningRate(2e-3f)
			.validationBatches(10).checkpointEvery(3).logEvery(50).build();
	}

	private static List<float[]> weights(ai.djl.nn.Block block) {
		List<float[]> w = new ArrayList<>();
		for (Pair<String, Parameter> p : block.getParameters()) w.add(p.getValue().getArray().toFloatArray());
		return w;
	}

	@Test
	void trainingLiftsAccuracyWellAboveChanceAndNeverTouchesTheGenerator(@TempDir Path dir) {
		List<float[]> before = weights(generator.block());
		String fingerprint = generator.fingerprint();
		try (VoynovBabenko run = new VoynovBabenko(generator, tiny(DeformatorType.PROJ, 4, 40), DeformatorType.PROJ, 4, Monitor.NONE)) {
			float[][] start = run.deformator().directions();
			double untrained = run.validate(10).overall();
			run.train(dir);
			ReconstructorAccuracy.Result acc = run.validate(10);

			assertTrue(untrained < 0.45, "untrained RCA " + untrained + " (chance 0.25)");
			assertTrue(acc.overall() > 0.5, "RCA " + acc.overall() + " after 40 steps (chance 0.25)");
			assertFalse(java.util.Arrays.deepEquals(start, run.deformator().directions()), "the directions were trained");
		}
		List<float[]> after = weights(generator.block());
		for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), 0f, "generator parameter " + i);
		assertEquals(fingerprint, generator.fingerprint());
	}

	@Test
	void aCanceledRunResumesBitIdenticallyToAnUninterruptedOne(@TempDir Path dir) {
		for (DeformatorType type : new DeformatorType[] {DeformatorType.PROJ, DeformatorType.ORTHO}) {
			int k = type == DeformatorType.ORTHO ? 8 : 4;
			DiscoverySettings s = tiny(type, k, 4);
			float[][] straight;
			List<float[]> straightR;
			try (VoynovBabenko run = new VoynovBabenko(generator, s, type, k, Monitor.NONE)) {
				run.train(dir.resolve(type + "-straight"));
				straight = run.deformator().directions();
				straightR = weights(run.reconstructor());
			}
			Path resumed = dir.resolve(type + "-resumed");
			try (VoynovBabenko run = new VoynovBabenko(generator, s, type, k, cancelingAfter(2))) {
				assertThrows(CanceledException.class, () -> run.train(resumed));
				assertEquals(2, run.step());
			}
			assertTrue(Files.exists(resumed.resolve(VoynovBabenko.CHECKPOINT)));
			try (VoynovBabenko run = new VoynovBabenko(generator, s, type, k, Monitor.NONE)) {
				run.train(resumed);
				assertEquals(4, run.step());
				assertTrue(java.util.Arrays.deepEquals(straight, run.deformator().directions()), type + " directions bit-identical");
				List<float[]> r = weights(run.reconstructor());
				for (int i = 0; i < r.size(); i++) assertArrayEquals(straightR.get(i), r.get(i), 0f, type + " reconstructor parameter " + i);
			}
		}
	}

	@Test
	void aCheckpointOfOtherSettingsIsRefusedWithTheFileNamed(@TempDir Path dir) {
		try (VoynovBabenko run = new VoynovBabenko(generator, tiny(DeformatorType.LINEAR, 4, 2), DeformatorType.LINEAR, 4, Monitor.NONE)) {
			run.train(dir);
		}
		DiscoverySettings other = tiny(DeformatorType.LINEAR, 4, 4).toBuilder().shiftWeight(0.1f).build();
		try (VoynovBabenko run = new VoynovBabenko(generator, other, DeformatorType.LINEAR, 4, Monitor.NONE)) {
			String msg = assertThrows(ExplorerException.class, () -> run.train(dir)).getMessage();
			assertTrue(msg.contains(dir.resolve(VoynovBabenko.CHECKPOINT).toString()) && msg.contains("lambda=0.1"), msg);
		}
	}

	@Test
	void aRareNonFiniteGradientSkipsThatUpdateAndTheRunFinishesFinite(@TempDir Path dir) {
		try (PoisonedGenerator g = new PoisonedGenerator(generator, 5);
			VoynovBabenko run = new VoynovBabenko(g, tiny(DeformatorType.ORTHO, 8, 20), DeformatorType.ORTHO, 8, Monitor.NONE)) {
			run.train(dir);
			assertEquals(20, run.step());
			assertEquals(4, run.skippedSteps(), "calls 5, 10, 15, 20 had NaN gradients");
			for (float[] row : run.deformator().directions())
				for (float v : row) assertTrue(Float.isFinite(v), "the skipped gradients never reached the directions");
			assertTrue(run.validate(2).overall() >= 0);
		}
	}

	@Test
	void persistentNonFiniteGradientsStopTheRunWithAClearMessage(@TempDir Path dir) {
		try (PoisonedGenerator g = new PoisonedGenerator(generator, 1);
			VoynovBabenko run = new VoynovBabenko(g, tiny(DeformatorType.PROJ, 4, 40), DeformatorType.PROJ, 4, Monitor.NONE)) {
			String msg = assertThrows(ExplorerException.class, () -> run.train(dir)).getMessage();
			assertTrue(msg.contains("non-finite gradients") && msg.contains("Lower the learning rates"), msg);
			assertEquals(VoynovBabenko.MAX_SKIPPED + 1, run.skippedSteps());
		}
	}

	/**
	 * The toy generator with an exact forward but a NaN gradient to z on every {@code every}-th call :
	 * 0·√(0·z) is 0 forward, and 0·∞ = NaN backward.
	 */
	private static final class PoisonedGenerator implements io.github.ctlatent.model.Generator {
		private final ToyGenerator g;
		private final int every;
		private int calls;

		PoisonedGenerator(ToyGenerator g, int every) {
			this.g = g;
			this.every = every;
		}

		@Override public ai.djl.ndarray.NDArray generate(ai.djl.ndarray.NDArray z) {
			ai.djl.ndarray.NDArray images = g.generate(z);
			if (++calls % every == 0) images = images.add(z.mul(0).sqrt().sum().mul(0));
			return images;
		}

		@Override public int latentDim() { return g.latentDim(); }
		@Override public int imageSize() { return g.imageSize(); }
		@Override public ai.djl.Device device() { return g.device(); }
		@Override public ai.djl.ndarray.NDManager manager() { return g.manager(); }
		@Override public String fingerprint() { return g.fingerprint(); }
		@Override public void close() {}
	}

	/** A monitor that cancels once {@code steps} steps have started. */
	static Monitor cancelingAfter(int steps) {
		return new Monitor() {
			int checks;

			@Override public void progress(long done, long total, String status) {}

			@Override public void log(String line) {}

			@Override public boolean isCanceled() {
				return checks++ >= steps;
			}
		};
	}
}
