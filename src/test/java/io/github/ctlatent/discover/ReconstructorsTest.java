package io.github.ctlatent.discover;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ReconstructorsTest {

	private static long trainable(Reconstructor r) {
		long n = 0;
		for (Pair<String, Parameter> p : r.getParameters()) if (p.getValue().requiresGradient()) n += p.getValue().getArray().size();
		return n;
	}

	@Test
	void lenetHasTheOriginalsLayersAndOutputsLogitsAndShift() {
		Engines.pytorch();
		int k = 7;
		try (NDManager m = NDManager.newBaseManager()) {
			Reconstructor r = Reconstructors.create(ReconstructorType.LENET, k, 32, m, new SplittableRandom(1));
			// conv 2→6, 6→16, 16→120 (5×5, bias) + BN(γ,β); two heads Linear(120→84) + BN1d + Linear(84→K | 1)
			long convs = (2 * 6 * 25 + 6) + (6 * 16 * 25 + 16) + (16 * 120 * 25 + 120) + 2 * (6 + 16 + 120);
			long heads = 2 * (120 * 84 + 84 + 2 * 84) + (84 * k + k) + (84 + 1);
			assertEquals(convs + heads, trainable(r));
			for (int size : new int[] {32, 64}) {
				Reconstructor rs = size == 32 ? r : Reconstructors.create(ReconstructorType.LENET, k, size, m, new SplittableRandom(1));
				NDList out = rs.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(3, 2, size, size))), false);
				assertEquals(new Shape(3, k), out.get(0).getShape());
				assertEquals(new Shape(3), out.get(1).getShape());
			}
			assertTrue(assertThrows(ExplorerException.class, () -> Reconstructors.lenet(k, 16)).getMessage().contains("at least 32"));
		}
	}

	@Test
	void resnet18HasTorchvisionsParameterCountWithATwoChannelStemAndTwoHeads() {
		Engines.pytorch();
		int k = 5;
		try (NDManager m = NDManager.newBaseManager()) {
			Reconstructor r = Reconstructors.create(ReconstructorType.RESNET, k, 32, m, new SplittableRandom(1));
			// torchvision resnet18: 11,689,512 parameters; minus its 1000-way fc (513,000) and one stem input channel (64·49)
			long trunk = 11_689_512L - 513_000 - 64 * 49;
			assertEquals(trunk + (512L * k + k) + 513, trainable(r));
			NDList out = r.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 2, 32, 32))), false);
			assertEquals(new Shape(2, k), out.get(0).getShape());
			assertEquals(new Shape(2), out.get(1).getShape());
		}
	}
}
