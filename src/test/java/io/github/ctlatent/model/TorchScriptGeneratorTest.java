package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The real TorchScript fixture written by PyTorch 1.13 (fixtures/torchscript/make_fixture.py), run by libtorch 2.7. */
class TorchScriptGeneratorTest {

	static final Path FIXTURE = Path.of("src/test/resources/fixtures/torchscript");
	static final Path PT = FIXTURE.resolve("generator.pt");
	static JsonObject reference;

	@BeforeAll
	static void readReference() throws Exception {
		Engines.pytorch();
		reference = JsonParser.parseString(Files.readString(FIXTURE.resolve("reference.json"))).getAsJsonObject();
	}

	@Test
	void outputsMatchPyTorchInEvalModeNotTrainMode() {
		try (TorchScriptGenerator g = TorchScriptGenerator.load(PT, Device.cpu()); NDManager it = g.manager().newSubManager()) {
			assertEquals(8, g.latentDim());
			assertEquals(32, g.imageSize());
			NDArray y = g.generate(latents(it));
			assertEquals(new Shape(2, 1, 32, 32), y.getShape());
			assertArrayEquals(floats("eval_output"), y.toFloatArray(), 1e-5f);
			assertTrue(maxAbsDiff(floats("train_output"), y.toFloatArray()) > 0.1, "train-mode (batch statistics) output");
		}
	}

	@Test
	void gradientsReachLatentsWhileWeightsStayFrozenAndModuleStaysInEvalMode() {
		try (TorchScriptGenerator g = TorchScriptGenerator.load(PT, Device.cpu()); NDManager it = g.manager().newSubManager()) {
			List<float[]> weightsBefore = weights(g);
			for (int step = 0; step < 2; step++) { // a second round: nothing may have changed after the first backward
				NDArray z = latents(it);
				z.setRequiresGradient(true);
				try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
					gc.backward(g.generate(z).sum());
				}
				assertArrayEquals(floats("grad_sum_eval"), z.getGradient().toFloatArray(), 1e-4f);
			}
			assertArrayEquals(floats("eval_output"), g.generate(latents(it)).toFloatArray(), 1e-5f);
			List<float[]> weightsAfter = weights(g);
			for (int i = 0; i < weightsBefore.size(); i++) assertArrayEquals(weightsBefore.get(i), weightsAfter.get(i), 0f);
			for (Pair<String, Parameter> p : block(g).getDirectParameters()) assertFalse(p.getValue().requiresGradient(), p.getKey());
		}
	}

	@Test
	void repeatedCallsGiveIdenticalImages() {
		try (TorchScriptGenerator g = TorchScriptGenerator.load(PT, Device.cpu()); NDManager it = g.manager().newSubManager()) {
			float[] first = g.generate(latents(it)).toFloatArray();
			for (int i = 0; i < 3; i++) assertArrayEquals(first, g.generate(latents(it)).toFloatArray(), 0f);
		}
	}

	@Test
	void firstLayerMapFromTheSidecarReproducesPyTorchsFirstLayer() {
		try (TorchScriptGenerator g = TorchScriptGenerator.load(PT, Device.cpu())) {
			float[][] map = g.firstLayerLinearMap();
			float[] z = floats("latents"), expected = floats("first_layer_output");
			assertEquals(32 * 4 * 4, map.length);
			for (int b = 0; b < 2; b++)
				for (int r = 0; r < map.length; r++) {
					double v = 0;
					for (int k = 0; k < 8; k++) v += map[r][k] * z[b * 8 + k];
					assertEquals(expected[b * map.length + r], v, 1e-5, "row " + r);
				}
		}
	}

	@Test
	void flatLatentLinearFirstLayerAndSigmoidRange() {
		try (TorchScriptGenerator g = TorchScriptGenerator.load(FIXTURE.resolve("generator_flat.pt"), Device.cpu());
			 NDManager it = g.manager().newSubManager()) {
			float[] y = g.generate(latents(it)).toFloatArray(), ref = floats("flat_eval_output");
			assertEquals(16 * 16 * 2, y.length);
			for (int i = 0; i < ref.length; i++) assertEquals(2 * ref[i] - 1, y[i], 2e-5f); // [0, 1] -> [-1, 1]
			float[][] map = g.firstLayerLinearMap();
			float[] z = floats("latents"), first = floats("flat_first_layer_output");
			for (int r = 0; r < map.length; r++) {
				double v = 0;
				for (int k = 0; k < 8; k++) v += map[r][k] * z[8 + k]; // second latent
				assertEquals(first[map.length + r], v, 1e-5, "row " + r);
			}
		}
	}

	@Test
	void otherOutputRangesAreRescaledToMinusOneOne(@TempDir Path dir) throws Exception {
		Path pt = copy(dir, s -> s.add("output_range", array(0, 2)));
		try (TorchScriptGenerator g = TorchScriptGenerator.load(pt, Device.cpu()); NDManager it = g.manager().newSubManager()) {
			float[] y = g.generate(latents(it)).toFloatArray(), ref = floats("eval_output");
			for (int i = 0; i < ref.length; i++) assertEquals(ref[i] - 1, y[i], 1e-5f); // 2 (y - 0) / (2 - 0) - 1
		}
	}

	@Test
	void fingerprintCoversWeightsAndWhatShapesTheImagesNotNames(@TempDir Path dir) throws Exception {
		Path renamed = copy(dir.resolve("a"), s -> s.addProperty("name", "other")); // also re-formatted JSON
		Path rescaled = copy(dir.resolve("b"), s -> s.add("output_range", array(0, 2)));
		Path otherWeights = copy(dir.resolve("c"), s -> {});
		byte[] bytes = Files.readAllBytes(otherWeights);
		bytes[bytes.length / 2] ^= 1;
		Files.write(otherWeights, bytes);
		try (TorchScriptGenerator g = TorchScriptGenerator.load(PT, Device.cpu());
			 TorchScriptGenerator h = TorchScriptGenerator.load(renamed, Device.cpu())) {
			assertTrue(g.fingerprint().matches("[0-9a-f]{64}"));
			assertEquals(g.fingerprint(), h.fingerprint());
			assertEquals("other", h.sidecar().name());
			assertNotEquals(g.fingerprint(), TorchScriptGenerator.fingerprint(rescaled, TorchScriptSidecar.readFor(rescaled)));
			assertNotEquals(g.fingerprint(), TorchScriptGenerator.fingerprint(otherWeights, TorchScriptSidecar.readFor(otherWeights)));
		}
	}

	// ---- helpers

	static NDArray latents(NDManager m) {
		return m.create(floats("latents"), new Shape(2, 8, 1, 1));
	}

	static float[] floats(String key) {
		JsonArray a = reference.getAsJsonArray(key);
		float[] v = new float[a.size()];
		for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
		return v;
	}

	static double maxAbsDiff(float[] a, float[] b) {
		double m = 0;
		for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
		return m;
	}

	static PtSymbolBlock block(TorchScriptGenerator g) {
		try {
			var f = TorchScriptGenerator.class.getDeclaredField("block");
			f.setAccessible(true);
			return (PtSymbolBlock) f.get(g);
		} catch (ReflectiveOperationException e) {
			throw new AssertionError(e);
		}
	}

	static List<float[]> weights(TorchScriptGenerator g) {
		List<float[]> w = new ArrayList<>();
		for (Pair<String, Parameter> p : block(g).getDirectParameters()) w.add(p.getValue().getArray().toFloatArray());
		return w;
	}

	static JsonArray array(double... values) {
		JsonArray a = new JsonArray();
		for (double v : values) a.add(v);
		return a;
	}

	interface SidecarEdit {
		void apply(JsonObject sidecar);
	}

	/** generator.pt copied into {@code dir} with the fixture's sidecar changed by {@code edit}. */
	static Path copy(Path dir, SidecarEdit edit) throws Exception {
		Files.createDirectories(dir);
		Path pt = Files.copy(PT, dir.resolve("generator.pt"));
		JsonObject s = JsonParser.parseString(Files.readString(FIXTURE.resolve("generator.json"))).getAsJsonObject();
		edit.apply(s);
		Files.writeString(dir.resolve("generator.json"), s.toString());
		return pt;
	}
}
