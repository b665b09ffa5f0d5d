package io.github.ctlatent.engine;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EnginesTest {

	@Test
	void autoFallsBackToCpuAndSaysWhy() {
		Engines.DeviceChoice c = Engines.choose("auto");
		if (Engines.pytorch().getGpuCount() == 0) {
			assertEquals(Device.cpu(), c.device());
			assertTrue(c.reason().contains("no CUDA device"), c.reason());
		}
		assertEquals(Device.cpu(), Engines.choose("CPU").device());
	}

	@Test
	void missingGpuAndUnknownDevicesAreClearErrors() {
		if (Engines.pytorch().getGpuCount() == 0)
			assertTrue(assertThrows(ExplorerException.class, () -> Engines.choose("gpu")).getMessage().contains("use device=cpu".replace("use", "Use")));
		assertTrue(assertThrows(ExplorerException.class, () -> Engines.choose("tpu")).getMessage().contains("Unknown device 'tpu'"));
	}

	@Test
	void leavesTheJvmWideOfflineSettingToTheUser() {
		String before = System.clearProperty(Engines.OFFLINE);
		try {
			Engines.pytorch();
			assertNull(System.getProperty(Engines.OFFLINE), "library code must not flip a JVM-wide DJL setting (Fiji shares it)");
			assertTrue(Engines.systemInfo().get("offline").startsWith("not set"));
		} finally {
			if (before != null) System.setProperty(Engines.OFFLINE, before);
		}
	}

	@Test
	void systemInfoSaysWhichArithmeticTheOptimizerUses() {
		// given this libtorch, whose fused Adam kernel passes its check against the double-precision reference
		String line = Engines.systemInfo().get("optimizer arithmetic");
		// then System Info names it (and would name the in-place path and the reason otherwise)
		assertTrue(line.startsWith("libtorch's fused Adam kernel"), line);
	}

	@Test
	void systemInfoSaysHowTransposedConvolutionsAreComputed() {
		// given the configuration this process chose
		NumericsConfig c = Numerics.ensure().config();
		String line = Engines.systemInfo().get("transposed conv");
		// then System Info names the layers libtorch's kernel takes, or says the phases take every layer
		// then System Info says what the policy says for it
		java.util.List<String> policy = NumericsPolicy.describe(c, TransposedConvolutions.libtorchUnavailable());
		assertEquals(policy.get(1), line, c.key());
		assertEquals(policy.get(0), Engines.systemInfo().get("convolutions"), c.key());
	}

	@Test
	void systemInfoSaysTheAllocatorKeepsFreedMemoryByDefault() {
		Engines.pytorch();
		String line = Engines.systemInfo().get("allocator");
		org.junit.jupiter.api.Assumptions.assumeTrue(com.sun.jna.Platform.isLinux() && System.getProperty(Engines.MALLOC) == null, "glibc, default setting");
		assertEquals("freed blocks up to 32 MiB kept for reuse (-Dctlatent.malloc=default to return them)", line);
	}

	@Test
	void anUnknownAllocatorSettingIsOneClearMessage() {
		String msg = assertThrows(ExplorerException.class, () -> Engines.configureAllocator("fast")).getMessage();
		assertTrue(msg.contains("-Dctlatent.malloc=fast is not a setting: use keep (the default) or default."), msg);
		assertTrue(Engines.configureAllocator("default").startsWith("glibc default"));
	}

}
