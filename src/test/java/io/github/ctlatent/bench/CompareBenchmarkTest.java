package io.github.ctlatent.bench;

import org.junit.jupiter.api.Test;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareBenchmarkTest {

	@Test
	void pytorchRunsWithAndWithoutHugePagesKeepingTheUsersOtherTunables() {
		assertEquals("glibc.malloc.hugetlb=1", CompareBenchmark.tunables(null, true));
		assertEquals("", CompareBenchmark.tunables(null, false));
		String given = "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0";
		assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", CompareBenchmark.tunables(given, true));
		assertEquals("glibc.malloc.arena_max=2", CompareBenchmark.tunables(given, false));
	}

	@Test
	void anAvx2MachineIsEmulatedOnEveryKernelFamilyOfBothSides() {
		CompareBenchmark.Isa isa = CompareBenchmark.Isa.parse("AVX2");
		assertEquals("onednn", isa.normal());
		assertEquals("onednn-aligned", isa.fallback());
		assertEquals("avx2", isa.project().get("ATEN_CPU_CAPABILITY"));
		assertEquals("AVX2", isa.project().get("ONEDNN_MAX_CPU_ISA"));
		assertEquals("avx2", isa.pytorch().get("ATEN_CPU_CAPABILITY"));
		assertEquals("AVX2", isa.pytorch().get("ONEDNN_MAX_CPU_ISA"));
		assertEquals("Zen", isa.pytorch().get("OPENBLAS_CORETYPE"));
		CompareBenchmark.Isa nativeIsa = CompareBenchmark.Isa.parse(null);
		assertNull(nativeIsa.normal());
		assertTrue(nativeIsa.project().isEmpty() && nativeIsa.pytorch().isEmpty());
		String msg = assertThrows(ExplorerException.class, () -> CompareBenchmark.Isa.parse("avx9")).getMessage();
		assertEquals("-Dbench.isa=avx9 is not a setting: use native (the default) or avx2.", msg);
	}

	/** The cap must reach libtorch in a child started the way bench compare starts its children. */
	@Test
	void theAvx2CapReachesTheProjectChildsKernels() throws Exception {
		Engines.pytorch();
		org.junit.jupiter.api.Assumptions.assumeFalse(Engines.atenKernels().startsWith("unknown"), "ATen's capability is not readable here");
		ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
			"-Dai.djl.pytorch.num_threads=1", "-Dslf4j.internal.verbosity=ERROR", "-cp", System.getProperty("java.class.path"), AtenProbe.class.getName()));
		pb.environment().putAll(CompareBenchmark.Isa.parse("avx2").project());
		Process child = pb.redirectErrorStream(true).start();
		String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, child.waitFor(), out);
		assertTrue(out.contains("ATen kernels: AVX2 (ATEN_CPU_CAPABILITY=avx2)"), out);
	}

	/** Prints what the child's libtorch dispatches to. */
	public static final class AtenProbe {
		public static void main(String[] args) {
			Engines.pytorch();
			System.out.println("ATen kernels: " + Engines.atenKernels());
		}
	}
}
