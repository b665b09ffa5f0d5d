package io.github.ctlatent.traverse;

import ai.djl.Device;
import io.github.ctlatent.core.CanceledException;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Projection of slices into a frozen generator's latent space, on the real TorchScript fixture (8-d latent, 32²). */
class ProjectionTest {

	static final Path PT = Path.of("src/test/resources/fixtures/torchscript/generator.pt");
	static Generator g;

	@BeforeAll
	static void load() {
		g = Models.load(PT, Device.cpu());
	}

	@AfterAll
	static void close() {
		g.close();
	}

	static final Projection.Settings QUICK = new Projection.Settings(150, 0.05, 4, 0, 7, 0);

	@Test
	void anImageTheGeneratorMadeIsFoundAgainFarBelowARandomCodesError() {
		// given the images of two known codes, and the generator's output for a fixed probe code before the run
		float[][] known = {Traversal.seedLatent(8, 101), Traversal.seedLatent(8, 202)};
		float[][] targets = {g.images(known[0])[0], g.images(known[1])[0]};
		float[] probe = g.images(Traversal.seedLatent(8, 5))[0];
		// when both are projected in one batch
		List<Projection.Result> r = Projection.project(g, targets, null, QUICK, Monitor.NONE);
		// then each reconstruction error is a small fraction of the best random code's, and the code is close to the true one
		for (int t = 0; t < 2; t++) {
			Projection.Result x = r.get(t);
			assertTrue(x.mse() < 0.1 * x.randomMse(), "projection " + x.mse() + " vs random " + x.randomMse());
			double dist = 0, norm = 0;
			for (int i = 0; i < 8; i++) {
				dist += (x.z()[i] - known[t][i]) * (x.z()[i] - known[t][i]);
				norm += known[t][i] * known[t][i];
			}
			assertTrue(Math.sqrt(dist / norm) < 0.5, "relative distance to the true code " + Math.sqrt(dist / norm));
			assertEquals(x.mse(), Projection.mse(g.images(x.z())[0], targets[t]), 1e-6, "the reported error is the code's");
		}
		// and the generator is untouched, and the same seed gives the same codes
		assertArrayEquals(probe, g.images(Traversal.seedLatent(8, 5))[0]);
		assertArrayEquals(r.get(1).z(), Projection.project(g, targets, null, QUICK, Monitor.NONE).get(1).z(), "reproducible from the seed");
	}

	@Test
	void anEncoderStartIsUsedAndReportedWhenItWins() {
		float[] z = Traversal.seedLatent(8, 303);
		float[] target = g.images(z)[0];
		// the true code as the "encoder's" start, no steps: nothing can beat it
		Projection.Result r = Projection.project(g, new float[][] {target}, new float[][] {z}, QUICK.withSteps(1).withRestarts(2), Monitor.NONE).get(0);
		assertTrue(r.fromEncoder());
		assertTrue(r.mse() < r.randomMse());
	}

	@Test
	void cancelStopsBetweenSteps() {
		AtomicInteger seen = new AtomicInteger();
		Monitor cancelAfter3 = new Monitor() {
			@Override public void progress(long done, long total, String status) { seen.set((int) done); }
			@Override public void log(String line) {}
			@Override public boolean isCanceled() { return seen.get() >= 3; }
		};
		float[] target = g.images(Traversal.seedLatent(8, 9))[0];
		assertThrows(CanceledException.class, () -> Projection.project(g, new float[][] {target}, null, QUICK, cancelAfter3));
		assertEquals(3, seen.get());
	}

	@Test
	void badTargetsAndSettingsAreOneClearMessage() {
		ExplorerException size = assertThrows(ExplorerException.class, () -> Projection.project(g, new float[][] {new float[64 * 64]}, null, QUICK, Monitor.NONE));
		assertTrue(size.getMessage().contains("4096 pixels") && size.getMessage().contains("size=32"), size.getMessage());
		float[] nan = new float[32 * 32];
		nan[7] = Float.NaN;
		ExplorerException n = assertThrows(ExplorerException.class, () -> Projection.project(g, new float[][] {nan}, null, QUICK, Monitor.NONE));
		assertTrue(n.getMessage().contains("NaN"), n.getMessage());
		ExplorerException lr = assertThrows(ExplorerException.class, () -> new Projection.Settings(10, -1, 1, 0, 1, 0));
		assertTrue(lr.getMessage().startsWith("learning_rate=-1 is out of range"), lr.getMessage());
	}
}
