package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

	@TempDir
	Path dir;

	@Test
	void savedGeneratorLoadsToTheSameImages() {
		Engines.seed(1);
		Path file = dir.resolve("generator.params");
		try (Dcgan gan = Dcgan.create(DcganTest.TINY, Device.cpu()); DcganGenerator original = DcganGenerator.copyOf(gan)) {
			ModelFiles.save(gan.generator(), file);
			try (DcganGenerator loaded = DcganGenerator.load(DcganTest.TINY, file, Device.cpu()); NDManager it = loaded.manager().newSubManager()) {
				NDArray z = it.randomNormal(new Shape(2, DcganTest.TINY.latentDim(), 1, 1));

				assertEquals(original.fingerprint(), loaded.fingerprint());
				assertArrayEquals(original.generate(z).toFloatArray(), loaded.generate(z).toFloatArray());
			}
		}
	}

	@Test
	void loadedWeightsCanBeTrainedFurther() {
		Engines.seed(2);
		Path file = dir.resolve("decoder.params");
		try (ResNetVae a = ResNetVae.create(ResNetVaeTest.TINY, Device.cpu()); ResNetVae b = ResNetVae.create(ResNetVaeTest.TINY, Device.cpu());
			NDManager data = NDManager.newBaseManager()) {
			ModelFiles.save(a.decoder(), file);
			ModelFiles.load(b.decoder(), file, b.config());
			byte[] before = b.decoder().getParameters().get(0).getValue().getArray().toByteArray();

			new io.github.ctlatent.train.VaeStep(b).step(data.randomUniform(-1f, 1f, new Shape(2, 1, 16, 16)));

			assertTrue(!Arrays.equals(before, b.decoder().getParameters().get(0).getValue().getArray().toByteArray()));
		}
	}

	@Test
	void missingTruncatedAndForeignFilesGiveClearErrorsAndLeaveTheModelAlone() throws Exception {
		Engines.seed(3);
		Path good = dir.resolve("g.params"), truncated = dir.resolve("truncated.params"), wider = dir.resolve("wider.params");
		try (Dcgan gan = Dcgan.create(DcganTest.TINY, Device.cpu());
			Dcgan other = Dcgan.create(DcganTest.TINY.withWidths(8, 8), Device.cpu());
			DcganGenerator target = DcganGenerator.random(DcganTest.TINY, Device.cpu())) {
			ModelFiles.save(gan.generator(), good);
			byte[] bytes = Files.readAllBytes(good);
			Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
			ModelFiles.save(other.generator(), wider);
			String fingerprint = target.fingerprint();

			ExplorerException missing = assertThrows(ExplorerException.class,
				() -> ModelFiles.load(target.block(), dir.resolve("nope.params"), DcganTest.TINY));
			ExplorerException cut = assertThrows(ExplorerException.class, () -> ModelFiles.load(target.block(), truncated, DcganTest.TINY));
			ExplorerException mismatch = assertThrows(ExplorerException.class, () -> ModelFiles.load(target.block(), wider, DcganTest.TINY));
			ExplorerException discriminator = assertThrows(ExplorerException.class, () -> {
				ModelFiles.save(gan.discriminator(), dir.resolve("d.params"));
				ModelFiles.load(target.block(), dir.resolve("d.params"), DcganTest.TINY);
			});

			assertTrue(missing.getMessage().contains("nope.params") && missing.getMessage().contains("does not exist"), missing.getMessage());
			assertTrue(cut.getMessage().contains(truncated.toString()) && cut.getMessage().contains("truncated"), cut.getMessage());
			assertTrue(mismatch.getMessage().contains("weights in " + wider + " do not match architecture " + DcganTest.TINY), mismatch.getMessage());
			assertTrue(discriminator.getMessage().contains("do not match architecture"), discriminator.getMessage());
			assertEquals(fingerprint, Params.sha256("DCGAN generator " + DcganTest.TINY, target.block()));
		}
	}
}
