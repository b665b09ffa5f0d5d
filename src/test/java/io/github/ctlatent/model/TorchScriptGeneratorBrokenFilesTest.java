package io.github.ctlatent.model;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.ctlatent.model.TorchScriptGeneratorTest.array;
import static io.github.ctlatent.model.TorchScriptGeneratorTest.copy;
import static org.junit.jupiter.api.Assertions.*;

/** Every broken input is one ExplorerException that names the file and says what to do. */
class TorchScriptGeneratorBrokenFilesTest {

	@TempDir
	Path dir;

	@BeforeAll
	static void engine() {
		Engines.pytorch();
	}

	@Test
	void missingModuleFile() {
		Path pt = dir.resolve("absent.pt");
		assertMessage(pt, "Missing TorchScript generator " + pt.toAbsolutePath(), "torch.jit");
	}

	@Test
	void missingSidecar() throws Exception {
		Path pt = copy(dir, s -> {});
		Files.delete(dir.resolve("generator.json"));
		assertMessage(pt, "Missing sidecar " + dir.resolve("generator.json"), "\"latent_shape\"", "\"image_size\"", "\"output_range\"");
	}

	@Test
	void truncatedModuleFile() throws Exception {
		Path pt = copy(dir, s -> {});
		byte[] bytes = Files.readAllBytes(pt);
		Files.write(pt, Arrays.copyOf(bytes, bytes.length / 2));
		assertMessage(pt, "Could not load " + pt, "truncated", "torch.jit.script");
	}

	@Test
	void latentShapeTheModuleDoesNotAccept() throws Exception {
		Path pt = copy(dir, s -> s.add("latent_shape", array(7, 1, 1)));
		assertMessage(pt, "rejects latents of shape (2, 7, 1, 1)", "7 channels", pt.toString(), "\"latent_shape\"");
	}

	@Test
	void imageSizeThatDoesNotMatchTheOutput() throws Exception {
		Path pt = copy(dir, s -> s.addProperty("image_size", 64));
		assertMessage(pt, "returns (2, 1, 32, 32)", "expected (2, 1, 64, 64)", pt.toString(), "\"image_size\"");
	}

	@Test
	void sidecarWithoutOutputRange() throws Exception {
		Path pt = copy(dir, s -> s.remove("output_range"));
		assertMessage(pt, "\"output_range\"", dir.resolve("generator.json").toString());
	}

	@Test
	void firstLayerNamingAnAbsentParameter() throws Exception {
		Path pt = copy(dir, s -> s.getAsJsonObject("first_layer").addProperty("parameter", "5.weight")); // 5 is a ReLU
		assertMessage(pt, "no such parameter", "5.weight", "0.weight", pt.toString());
	}

	@Test
	void firstLayerNamingAParameterOfTheWrongShape() throws Exception {
		Path pt = copy(dir, s -> s.getAsJsonObject("first_layer").addProperty("parameter", "1.weight")); // BatchNorm (32)
		assertMessage(pt, "has shape (32)", "latent size 8", "expected (8, C, kh, kw)", dir.resolve("generator.json").toString());
	}

	private static void assertMessage(Path pt, String... parts) {
		ExplorerException e = assertThrows(ExplorerException.class, () -> TorchScriptGenerator.load(pt, Device.cpu()).close());
		for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
		assertFalse(e.getMessage().contains("\n"), () -> "one-line message: " + e.getMessage());
	}
}
