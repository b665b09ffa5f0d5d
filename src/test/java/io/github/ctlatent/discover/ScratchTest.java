package io.github.ctlatent.discover;

import io.github.ctlatent.core.Monitor;
import org.junit.jupiter.api.Test;

class ScratchTest {
	@Test
	void probe() throws Exception {
		try (ToyGenerator g = new ToyGenerator(8, 32, 8, 1)) {
			DeformatorType t = DeformatorType.PROJ;
			DiscoverySettings s = DiscoverySettings.paper().toBuilder().deformator(t).directions(4).batchSize(16).steps(300).learningRate(1e-3f).build();
			try (VoynovBabenko vb = new VoynovBabenko(g, s, t, 4, Monitor.NONE)) {
				for (int r = 0; r < 4; r++) {
					long t0 = System.nanoTime();
					for (int i = 0; i < 10; i++) vb.trainStep();
					System.out.printf("%s: %.1f ms/step  %s%n", t, (System.nanoTime() - t0) / 1e6 / 10, java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
				}
			}
		}
	}
}
