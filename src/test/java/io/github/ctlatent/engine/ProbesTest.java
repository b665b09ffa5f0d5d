package io.github.ctlatent.engine;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What a numerics probe child runs under: the kernels its parent will run. */
class ProbesTest {

	@Test
	void aCapSetBeforeStartReachesTheProbeOfAConfigurationWithoutItsOwn() {
		Map<String, String> env = new HashMap<>(Map.of(NativeSwitches.ISA_VARIABLE, "AVX2", "PATH", "/usr/bin"));
		Probes.environment(env, NumericsConfig.ONEDNN);
		assertEquals("AVX2", env.get(NativeSwitches.ISA_VARIABLE), "the parent's oneDNN runs capped, so its probe must too");
		assertEquals("/usr/bin", env.get("PATH"));
	}

	@Test
	void aConfigurationsOwnCapWins() {
		Map<String, String> env = new HashMap<>(Map.of(NativeSwitches.ISA_VARIABLE, "AVX2"));
		Probes.environment(env, NumericsConfig.ONEDNN_AVX);
		assertEquals("AVX", env.get(NativeSwitches.ISA_VARIABLE));
	}

	@Test
	void noCapStaysNoCap() {
		Map<String, String> env = new HashMap<>();
		Probes.environment(env, NumericsConfig.ONEDNN_ALIGNED);
		assertFalse(env.containsKey(NativeSwitches.ISA_VARIABLE));
	}
}
