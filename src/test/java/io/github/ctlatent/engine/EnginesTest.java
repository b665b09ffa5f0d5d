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

	@Test
	void largeTensorsLandInHugePagesByDefault() throws Exception {
		Engines.pytorch();
		java.nio.file.Path rollup = java.nio.file.Path.of("/proc/self/smaps_rollup");
		org.junit.jupiter.api.Assumptions.assumeTrue(NativeSwitches.transparentHugePages().filter("madvise"::equals).isPresent() && java.nio.file.Files.exists(rollup)
			&& System.getenv(NativeSwitches.HUGE_PAGE_VARIABLE) == null && System.getProperty(Engines.HUGE_PAGES) == null, "Linux, kernel THP mode madvise, default setting");
		assertEquals("1", NativeSwitches.getenv(NativeSwitches.HUGE_PAGE_VARIABLE).orElse(null));
		assertTrue(Engines.systemInfo().get("huge pages").startsWith("tensors of 2 MiB or more in transparent huge pages (THP_MEM_ALLOC_ENABLE=1"));
		long before = anonHugeKiB(rollup);
		try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu());
			ai.djl.ndarray.NDArray big = m.ones(new ai.djl.ndarray.types.Shape(16, 1024, 1024))) { // 64 MiB, every page touched
			long grown = anonHugeKiB(rollup) - before;
			assertTrue(grown >= 32 * 1024, "a 64 MiB tensor added only " + grown + " KiB of huge pages");
			assertEquals(16f * 1024 * 1024, big.sum().getFloat());
		}
	}

	private static long anonHugeKiB(java.nio.file.Path rollup) throws java.io.IOException {
		return java.nio.file.Files.readAllLines(rollup).stream().filter(l -> l.startsWith("AnonHugePages:"))
			.mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
	}

	@Test
	void anUnknownHugePageSettingIsOneClearMessage() {
		String msg = assertThrows(ExplorerException.class, () -> Engines.configureHugePages("maybe")).getMessage();
		assertTrue(msg.contains("-Dctlatent.hugepages=maybe is not a setting: use on (the default) or off."), msg);
	}

	@Test
	void nnpackIsOffSoThatOnlyCheckedKernelsRunAndNoWarningIsPrinted() {
		Engines.pytorch();
		assertEquals(java.util.Optional.of(false), NativeSwitches.nnpackEnabled());
		assertTrue(NativeSwitches.oneDnnEnabled().isPresent(), "the oneDNN switch still reads through the shared helper");
		assertTrue(Engines.systemInfo().get("NNPACK").startsWith("off"));
	}

	@Test
	void atenKernelsReportTheInstructionSetTheCpuOffers() throws Exception {
		Engines.pytorch();
		org.junit.jupiter.api.Assumptions.assumeTrue(com.sun.jna.Platform.isLinux() && com.sun.jna.Platform.isIntel(), "read through the x86-64 Linux ABI");
		org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(NativeSwitches.ATEN_CAPABILITY_VARIABLE) == null, "a cap is set");
		// the independent answer: the kernel's CPU flags, and libtorch's rule (AVX512 needs F, BW, VL and DQ; else AVX2 with FMA)
		java.util.Set<String> flags = java.util.Set.of(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
			.filter(l -> l.startsWith("flags")).findFirst().orElseThrow().split(":")[1].trim().split("\\s+"));
		String expected = flags.containsAll(java.util.List.of("avx512f", "avx512bw", "avx512vl", "avx512dq")) ? "AVX512"
			: flags.containsAll(java.util.List.of("avx2", "fma")) ? "AVX2" : "DEFAULT";
		assertEquals(java.util.Optional.of(expected), NativeSwitches.atenCpuCapability());
		assertEquals(expected, Engines.systemInfo().get("ATen kernels"));
	}

}
