package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorsTest {

	static Map<String, byte[]> allWeights(Generator g) {
		Map<String, byte[]> m = new LinkedHashMap<>();
		for (var p : ((BlockGenerator) g).block().getParameters()) m.put(p.getKey(), p.getValue().getArray().toByteArray());
		return m;
	}

	/** Backward from the images reaches z; no weight (nor BN statistic) changes; the same z gives the same images. */
	static void assertFrozenWithGradientToLatents(Generator g) {
		Map<String, byte[]> before = allWeights(g);
		try (NDManager it = g.manager().newSubManager()) {
			NDArray z = it.randomNormal(new Shape(3, g.latentDim(), 1, 1));
			z.setRequiresGradient(true);
			NDArray images;
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				images = g.generate(z);
				gc.backward(images.mul(images).sum());
			}
			assertEquals(new Shape(3, 1, g.imageSize(), g.imageSize()), images.getShape());
			assertTrue(z.getGradient().abs().sum().getFloat() > 0);
			assertArrayEquals(images.toFloatArray(), g.generate(z.stopGradient()).toFloatArray());
		}
		Map<String, byte[]> after = allWeights(g);
		for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k);
	}

	@Test
	void dcganGeneratorIsFrozenButPassesGradientsToLatents() {
		Engines.seed(1);
		try (DcganGenerator g = DcganGenerator.random(DcganTest.TINY, Device.cpu())) {
			assertFrozenWithGradientToLatents(g);
		}
	}

	@Test
	void vaeDecoderIsFrozenButPassesGradientsToLatents() {
		Engines.seed(2);
		try (VaeDecoderGenerator g = VaeDecoderGenerator.random(ResNetVaeTest.TINY, Device.cpu())) {
			assertFrozenWithGradientToLatents(g);
		}
	}

	@Test
	void firstLayerLinearMapIsTheTransposedProjectionWeight() {
		Engines.seed(3);
		try (DcganGenerator g = DcganGenerator.random(DcganTest.TINY, Device.cpu())) {
			float[][] map = g.firstLayerLinearMap();
			LatentProjection first = (LatentProjection) g.block().getChildren().get(0).getValue();
			NDArray w = first.weight().getArray();

			assertEquals(DcganTest.TINY.generatorWidths().get(0) * 16, map.length);
			assertEquals(DcganTest.TINY.latentDim(), map[0].length);
			assertEquals(w.getFloat(5, 17), map[17][5]);
			assertEquals(w.getFloat(0, 0), map[0][0]);
		}
	}

	@Test
	void fingerprintFollowsWeightsAndArchitecture() {
		Engines.seed(4);
		try (Dcgan gan = Dcgan.create(DcganTest.TINY, Device.cpu());
			DcganGenerator a = DcganGenerator.copyOf(gan); DcganGenerator b = DcganGenerator.copyOf(gan);
			DcganGenerator other = DcganGenerator.random(DcganTest.TINY, Device.cpu())) {
			assertEquals(64, a.fingerprint().length());
			assertEquals(a.fingerprint(), b.fingerprint());
			assertNotEquals(a.fingerprint(), other.fingerprint());
		}
	}
}
