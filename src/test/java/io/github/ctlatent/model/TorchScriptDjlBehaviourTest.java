package io.github.ctlatent.model;

import ai.djl.Device;
import io.github.ctlatent.engine.ForeignModules;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.engine.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.github.ctlatent.model.TorchScriptGeneratorTest.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Characterises the DJL 0.36 behaviour TorchScriptGenerator works around, so that a DJL upgrade that changes
 * it shows up here first (then revisit TorchScriptGenerator's class comment).
 */
class TorchScriptDjlBehaviourTest {

	@BeforeAll
	static void reference() throws Exception {
		readReference();
	}

	@Test
	void defaultLoadMakesInferenceTensorsThatCannotJoinAGraph() throws Exception {
		try (ForeignModules.Lease numerics = ForeignModules.open("the fixture module"); Model m = load("false"); NDManager it = m.getNDManager().newSubManager()) {
			NDArray z = latents(it);
			z.setRequiresGradient(true);
			try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
				EngineException e = assertThrows(EngineException.class, () -> m.getBlock().forward(store(m), new NDList(z), true));
				assertTrue(e.getMessage().contains("Inference tensors cannot be saved for backward"), e.getMessage());
			}
		}
	}

	@Test
	void trainingFalseThenTrueSwitchesToTrainModeAndOverwritesRunningStatistics() throws Exception {
		try (ForeignModules.Lease numerics = ForeignModules.open("the fixture module"); Model m = load("true"); NDManager it = m.getNDManager().newSubManager()) {
			PtSymbolBlock block = (PtSymbolBlock) m.getBlock();
			assertArrayEquals(floats("eval_output"), block.forward(store(m), new NDList(latents(it)), false).singletonOrThrow().toFloatArray(), 1e-5f);
			NDArray y = block.forward(store(m), new NDList(latents(it)), true).singletonOrThrow();
			assertArrayEquals(floats("train_output"), y.toFloatArray(), 1e-5f); // batch statistics
			JniUtils.enableInferenceMode(block); // eval mode again, but the running statistics have moved
			float[] after = block.forward(store(m), new NDList(latents(it)), true).singletonOrThrow().toFloatArray();
			assertTrue(maxAbsDiff(floats("eval_output"), after) > 1e-3);
		}
	}

	private static Model load(String trainParam) throws Exception {
		Model m = Model.newInstance("probe", Device.cpu(), "PyTorch");
		m.load(FIXTURE.toAbsolutePath(), "generator.pt", Map.of("trainParam", trainParam));
		m.getBlock().freezeParameters(true);
		return m;
	}

	private static ParameterStore store(Model m) {
		return new ParameterStore(m.getNDManager(), false);
	}
}
