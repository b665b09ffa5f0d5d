package io.github.ctlatent.engine;

import io.github.ctlatent.engine.NumericsPolicy.ConvBackend;
import io.github.ctlatent.engine.NumericsPolicy.Rule;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.ctlatent.engine.NumericsConfig.GEMM;
import static io.github.ctlatent.engine.NumericsConfig.NATIVE;
import static io.github.ctlatent.engine.NumericsConfig.ONEDNN;
import static io.github.ctlatent.engine.NumericsConfig.ONEDNN_ALIGNED;
import static io.github.ctlatent.engine.NumericsConfig.ONEDNN_AVX;
import static io.github.ctlatent.engine.NumericsConfig.ONEDNN_AVX2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-layer rules, and that the self-check's coverage is derived from them. No engine needed. */
class NumericsPolicyTest {

	/** The rules as an AVX-512 machine has them, whatever this one is (the width's own test below sets others). */
	@org.junit.jupiter.api.BeforeEach
	void anAvx512Machine() {
		NumericsPolicy.assumeWidth(CpuIdentity.OneDnnWidth.AVX512);
	}

	@org.junit.jupiter.api.AfterEach
	void thisMachine() {
		NumericsPolicy.assumeWidth(null);
	}

	@Test
	void onAnAvx2MachineLibtorchsDefaultTakesTheThresholdsMeasuredWithOneDnnAtAvx2() {
		// given the width a Zen 3 reports, or any CPU started with ONEDNN_MAX_CPU_ISA=AVX2
		CpuIdentity.OneDnnWidth zen3 = CpuIdentity.OneDnnWidth.of(java.util.Set.of("sse4_2", "avx", "avx2", "fma", "bmi2"));
		assertEquals(CpuIdentity.OneDnnWidth.AVX2, zen3);
		assertEquals(CpuIdentity.OneDnnWidth.AVX512, CpuIdentity.OneDnnWidth.of(java.util.Set.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq")));
		assertEquals(CpuIdentity.OneDnnWidth.AVX2, CpuIdentity.OneDnnWidth.AVX512.capped("avx2"));
		assertEquals(CpuIdentity.OneDnnWidth.AVX, CpuIdentity.OneDnnWidth.AVX512.capped("AVX"));
		assertEquals(CpuIdentity.OneDnnWidth.AVX2, zen3.capped("AVX512_CORE"), "a cap above the CPU changes nothing");
		assertEquals(CpuIdentity.OneDnnWidth.AVX512, CpuIdentity.OneDnnWidth.AVX512.capped(null));
		String fullWidth = NumericsPolicy.fingerprint();
		// when the rules are that machine's
		NumericsPolicy.assumeWidth(zen3);
		// then libtorch's default lowers what oneDNN at AVX2 loses: the 1024-channel phase conv on a 9x9 grid (not at
		// AVX-512), and the aligned configuration does the same with its padding
		assertTrue(lowered(ONEDNN, 1024, 2, 9 * 9));
		assertTrue(!lowered(ONEDNN, 512, 2, 9 * 9));
		for (long[] layer : new long[][] {{1024, 2, 81}, {512, 2, 81}, {512, 3, 64}, {2048, 4, 16}, {128, 4, 1024}})
			assertEquals(lowered(ONEDNN_AVX2, layer[0], (int) layer[1], layer[2]), lowered(ONEDNN, layer[0], (int) layer[1], layer[2]));
		// and the aligned configuration pads to AVX2's 8-float registers: the VAE's 8-channel layers are whole there
		assertEquals(8, NumericsPolicy.lanes());
		assertEquals(ConvBackend.LIBTORCH, NumericsPolicy.convBackend(ONEDNN_ALIGNED, 16, 8, 3, 64 * 64, 64 * 64 * 64));
		// (a one-channel output too: 8 channels for one, where blocks were no faster)
		for (long tail : new long[] {1, 4, 12})
			assertEquals(ConvBackend.LIBTORCH_PADDED, NumericsPolicy.convBackend(ONEDNN_ALIGNED, 16, tail, 3, 64 * 64, 64 * 64 * 64), "16->" + tail);
		assertTrue(!NumericsPolicy.backendsInUse(ONEDNN_ALIGNED).contains(ConvBackend.LIBTORCH_BLOCKED));
		assertTrue(NumericsPolicy.rule(ONEDNN_ALIGNED).padOutputs() && !NumericsPolicy.rule(ONEDNN).padOutputs());
		// and a verdict cached under the AVX-512 rules is not reused
		assertNotEquals(fullWidth, NumericsPolicy.fingerprint());
		// and a CPU without AVX2 runs libtorch's default with the AVX thresholds and transposed rule
		NumericsPolicy.assumeWidth(CpuIdentity.OneDnnWidth.AVX);
		assertEquals(NumericsPolicy.rule(ONEDNN_AVX).transposed(), NumericsPolicy.rule(ONEDNN).transposed());
		assertTrue(lowered(ONEDNN, 512, 3, 8 * 8));
		assertEquals(NumericsPolicy.rule(ONEDNN_AVX), NumericsPolicy.rule(ONEDNN_AVX2));
		assertEquals(8, NumericsPolicy.lanes());
		// and back at AVX-512 the registers hold 16 floats again
		NumericsPolicy.assumeWidth(CpuIdentity.OneDnnWidth.AVX512);
		assertEquals(16, NumericsPolicy.lanes());
		assertEquals(ConvBackend.LIBTORCH_PADDED, NumericsPolicy.convBackend(ONEDNN_ALIGNED, 16, 8, 3, 64 * 64, 64 * 64 * 64));
	}

	/** Whether a convolution with these input channels, kernel and output pixels is BLAS-lowered under {@code c}. */
	private static boolean lowered(NumericsConfig c, long inChannels, int kernel, long outputPixels) {
		return NumericsPolicy.convBackend(c, inChannels, 1, kernel, outputPixels, 1 << 20) != ConvBackend.LIBTORCH;
	}

	@Test
	void foreignConvolutionsAreCoveredOnlyWhereTheCheckRanLibtorchsKernelUnpadded() {
		for (NumericsConfig c : List.of(ONEDNN, ONEDNN_AVX2, ONEDNN_AVX, NATIVE)) assertTrue(NumericsPolicy.coversForeignConvolutions(c), c.key());
		// padded tails, and the BLAS lowering that never runs libtorch's kernel: a TorchScript module is switched to native
		for (NumericsConfig c : List.of(ONEDNN_ALIGNED, GEMM)) assertEquals(false, NumericsPolicy.coversForeignConvolutions(c), c.key());
	}

	@Test
	void deepLayersWithSmallImagesGoToBlasAndWideImagesStayWithLibtorch() {
		// the paper discriminator's 1024 -> 2048 layer at 8x8 → 4x4 is lowered at full width; its 128 -> 256 at 64x64 is not
		assertTrue(lowered(ONEDNN, 1024, 4, 16));
		assertTrue(!lowered(ONEDNN, 128, 4, 32 * 32));
		// the generator's first phase convolution (2x2, 2048 channels, 5x5 grid)
		assertTrue(lowered(ONEDNN, 2048, 2, 25));
		// the VAE's 3x3 512-channel layer on 8x8: lowered under the AVX cap, oneDNN at full width
		assertTrue(lowered(ONEDNN_AVX, 512, 3, 8 * 8));
		assertTrue(!lowered(ONEDNN, 512, 3, 8 * 8));
		// under the AVX cap 2x2 kernels are lowered sooner (the VAE's folded 256 -> 4·128 on a 17x17 grid), but not
		// the generators' 128 -> 4·1 last layer at 65x65, nor a 3x3 128 -> 128 layer on 32x32
		assertTrue(lowered(ONEDNN_AVX, 256, 2, 17 * 17));
		assertTrue(!lowered(ONEDNN_AVX, 128, 2, 65 * 65));
		assertTrue(!lowered(ONEDNN_AVX, 128, 3, 32 * 32));
		// capped at AVX2: the 1024-channel phase conv on a 9x9 grid is lowered, the 512-channel one is not
		assertTrue(lowered(ONEDNN_AVX2, 1024, 2, 9 * 9));
		assertTrue(!lowered(ONEDNN_AVX2, 512, 2, 9 * 9));
		// gemm lowers everything, native nothing
		assertTrue(lowered(GEMM, 1, 3, 1_000_000));
		assertTrue(!lowered(NATIVE, 1 << 20, 2, 1));
	}

	@Test
	void alignedPadsOutputChannelTailsToWholeRegistersAndLeavesTheRestAsAtFullWidth() {
		// the VAE's 8-channel layers and its 8 -> 1 output layer have output tails; 16, 32, 64 outputs do not
		for (long[] tail : new long[][] {{8, 8}, {1, 8}, {32, 12}, {100, 4}})
			assertEquals(ConvBackend.LIBTORCH_PADDED, NumericsPolicy.convBackend(ONEDNN_ALIGNED, tail[0], tail[1], 3, 64 * 64, 64 * 64 * 64), tail[0] + "->" + tail[1]);
		for (long[] whole : new long[][] {{16, 16}, {12, 32}, {1, 64}})
			assertEquals(ConvBackend.LIBTORCH, NumericsPolicy.convBackend(ONEDNN_ALIGNED, whole[0], whole[1], 3, 64 * 64, 64 * 64 * 64), whole[0] + "->" + whole[1]);
		// a one-channel output layer goes to 4x4 blocks (which pad where the image does not allow blocks)
		assertEquals(ConvBackend.LIBTORCH_BLOCKED, NumericsPolicy.convBackend(ONEDNN_ALIGNED, 16, 1, 3, 64 * 64, 64 * 64 * 64));
		// the deep, small layers still as at full width
		assertEquals(NumericsPolicy.convBackend(ONEDNN, 1024, 2048, 4, 16, 8 * 64), NumericsPolicy.convBackend(ONEDNN_ALIGNED, 1024, 2048, 4, 16, 8 * 64));
		// libtorch's transposed kernel (oneDNN's) only for whole-register outputs; the tails go to the (padded) phases
		assertEquals(TransposedMethod.LIBTORCH, NumericsPolicy.transposedMethod(ONEDNN_ALIGNED, 32, true, ConvBackend.LIBTORCH, true));
		assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(ONEDNN_ALIGNED, 8, true, ConvBackend.LIBTORCH, true));
		// the self-check runs a tailed case padded (and on BLAS), an aligned one unpadded
		assertEquals(List.of(ConvBackend.LIBTORCH_PADDED, ConvBackend.GEMM, ConvBackend.GEMM_ROWS), NumericsPolicy.backendsFor(ONEDNN_ALIGNED, 12));
		assertEquals(List.of(ConvBackend.LIBTORCH_PADDED, ConvBackend.LIBTORCH_BLOCKED, ConvBackend.GEMM, ConvBackend.GEMM_ROWS), NumericsPolicy.backendsFor(ONEDNN_ALIGNED, 1));
		assertEquals(List.of(ConvBackend.LIBTORCH, ConvBackend.GEMM, ConvBackend.GEMM_ROWS), NumericsPolicy.backendsFor(ONEDNN_ALIGNED, 32));
		// the other configurations never pad: their check runs the tailed cases on oneDNN as it is
		for (NumericsConfig c : new NumericsConfig[] {ONEDNN, ONEDNN_AVX2, ONEDNN_AVX})
			assertEquals(NumericsPolicy.backendsInUse(c), NumericsPolicy.backendsFor(c, 12), c.key());
	}

	@Test
	void aLoweredLayerGathersRowsWhenItsWeightIsSmallNextToTheImage() {
		// rows for a 512-channel 4x4 weight on 8 images of 32x32; columns for the paper's 1024 -> 2048 layer at 8x8
		assertEquals(ConvBackend.GEMM_ROWS, NumericsPolicy.convBackend(GEMM, 1, 512, 4, 1, 8 * 32 * 32));
		assertEquals(ConvBackend.GEMM, NumericsPolicy.convBackend(GEMM, 1, 2048, 4, 1, 8 * 8 * 8));
		// the VAE's 512 -> 256 3x3 layer at 8x8 (O·k² = 4.5·N·H·W) rows; the discriminator's 512 -> 1024 at 16x16 (8·N·H·W) columns
		assertEquals(ConvBackend.GEMM_ROWS, NumericsPolicy.convBackend(GEMM, 1, 256, 3, 1, 8 * 8 * 8));
		assertEquals(ConvBackend.GEMM, NumericsPolicy.convBackend(GEMM, 1, 1024, 4, 1, 8 * 16 * 16));
	}

	@Test
	void eachConfigurationSendsItsOwnTransposedLayersToLibtorchsKernel() {
		ConvBackend kernel = ConvBackend.LIBTORCH;
		// full width and AVX2: multi-channel layers whose weight comes in its layout; AVX: one-channel ones; oneDNN off: never
		for (NumericsConfig c : new NumericsConfig[] {ONEDNN, ONEDNN_AVX2}) {
			assertEquals(TransposedMethod.LIBTORCH, NumericsPolicy.transposedMethod(c, 32, true, kernel, true), c.key());
			assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, 32, false, kernel, true), c.key());
			assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, 1, true, kernel, true), c.key());
		}
		assertEquals(TransposedMethod.LIBTORCH, NumericsPolicy.transposedMethod(ONEDNN_AVX, 1, false, kernel, true));
		assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(ONEDNN_AVX, 32, true, kernel, true));
		for (NumericsConfig c : new NumericsConfig[] {GEMM, NATIVE})
			for (int out : new int[] {1, 64}) assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, out, true, kernel, true), c.key());
		// a layer whose phase convolution is lowered, or a libtorch without the kernel, keeps the phases
		assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(ONEDNN, 32, true, ConvBackend.GEMM, true));
		assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(ONEDNN_AVX, 1, false, kernel, false));
	}

	/** Every layer shape the models can have, and then some: channels 1–4096, kernels 2–4, images 1–256, batches 1–64. */
	@Test
	void noLayerCanReachAPathTheSelfCheckDoesNotCover() {
		long[] channels = {1, 2, 3, 4, 8, 12, 16, 32, 64, 100, 128, 256, 512, 1024, 2048, 4096};
		long[] sides = {1, 2, 3, 4, 5, 8, 9, 16, 17, 32, 33, 64, 65, 128, 129, 256};
		for (NumericsConfig c : NumericsConfig.values()) {
			List<ConvBackend> covered = NumericsPolicy.backendsInUse(c);
			for (boolean available : new boolean[] {true, false}) {
				List<TransposedMethod> coveredMethods = NumericsPolicy.methodsInUse(c, available);
				for (long in : channels) for (long out : channels) for (int k = 2; k <= 4; k++) for (long side : sides) for (long batch : new long[] {1, 8, 64}) {
					ConvBackend b = NumericsPolicy.convBackend(c, in, out, k, side * side, batch * side * side);
					assertTrue(covered.contains(b), c.key() + ": " + in + "->" + out + " k" + k + " @" + side + " gets " + b + ", the check covers " + covered);
					// and a layer with a channel tail only gets what the check runs its tailed cases with
					assertTrue(NumericsPolicy.backendsFor(c, out).contains(b), c.key() + ": " + in + "->" + out + " gets " + b + ", checked with " + NumericsPolicy.backendsFor(c, out));
					for (boolean layout : new boolean[] {true, false}) {
						TransposedMethod t = NumericsPolicy.transposedMethod(c, out, layout, b, available);
						assertTrue(coveredMethods.contains(t), c.key() + ": transposed " + out + " channels gets " + t + ", the check covers " + coveredMethods);
					}
				}
			}
		}
	}

	@Test
	void changingARuleChangesTheCheckCacheKey() {
		String now = NumericsPolicy.fingerprint();
		assertEquals(now, NumericsPolicy.fingerprint(NumericsPolicy::rule), "the same rules give the same key");
		// when one threshold of one configuration changes, the verdict cached under the old rules is not reused
		String changed = NumericsPolicy.fingerprint(c -> c == ONEDNN_AVX2 ? new Rule(99, 40, NumericsPolicy.rule(c).transposed()) : NumericsPolicy.rule(c));
		assertNotEquals(now, changed);
	}

	@Test
	void systemInfoLinesSayWhatTheRulesSay() {
		assertEquals("every convolution as the project's gather + BLAS product", NumericsPolicy.describe(GEMM, null).get(0));
		assertEquals("every convolution by libtorch's kernels", NumericsPolicy.describe(NATIVE, null).get(0));
		assertTrue(NumericsPolicy.describe(ONEDNN_AVX2, null).get(0).contains("≥ 100·H'·W' (2×2 kernels: 40)"), NumericsPolicy.describe(ONEDNN_AVX2, null).get(0));
		assertTrue(NumericsPolicy.describe(ONEDNN_AVX, null).get(1).startsWith("libtorch's kernel on one-output-channel layers"));
		assertTrue(NumericsPolicy.describe(ONEDNN, "no TorchScript").get(1).contains("unavailable: no TorchScript"));
		assertTrue(NumericsPolicy.describe(ONEDNN_ALIGNED, null).get(0).contains("output channels padded to a multiple of 16"), NumericsPolicy.describe(ONEDNN_ALIGNED, null).get(0));
		assertTrue(!NumericsPolicy.describe(ONEDNN, null).get(0).contains("multiple of"));
	}
	@Test
	void frozenMultiChannelLayersGoToLibtorchsKernelEvenWhereThePhasesWouldBeLowered() {
		for (NumericsConfig c : NumericsConfig.values()) {
			boolean rule = NumericsPolicy.rule(c).transposed() == NumericsPolicy.Transposed.MULTI_CHANNEL_IN_LAYOUT;
			assertEquals(rule ? TransposedMethod.LIBTORCH : TransposedMethod.PHASES,
				NumericsPolicy.transposedMethod(c, 1024, true, ConvBackend.GEMM_ROWS, true, true), c.key());
			assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, 1024, true, ConvBackend.GEMM_ROWS, true, false), c.key() + ", trained");
			assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, 1024, true, ConvBackend.GEMM_ROWS, false, true), c.key() + ", no libtorch kernel");
			assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(c, 1, true, ConvBackend.GEMM_ROWS, true, true), c.key() + ", one output channel");
		}
		// a tailed output stays with the phases where tails are padded (libtorch's kernel would see the tail)
		assertEquals(TransposedMethod.PHASES, NumericsPolicy.transposedMethod(NumericsConfig.ONEDNN_ALIGNED, 12, true, ConvBackend.LIBTORCH, true, true));
	}

}
