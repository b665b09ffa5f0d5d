package io.github.ctlatent.engine;

import io.github.ctlatent.core.ExplorerException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ways libtorch can be told to do its CPU convolutions. All give the same numbers on a healthy CPU; they
 * differ in speed, and in whether an affected CPU's oneDNN kernels are used at all.
 */
public enum NumericsConfig {
	/** oneDNN with the widest instruction set the CPU has: libtorch's default and usually the fastest. */
	ONEDNN("onednn", null, true, 256, 256, Transposed.MULTI_CHANNEL, "oneDNN at the CPU's widest instruction set (libtorch's default); the deepest layers as BLAS products"),
	/** oneDNN capped at AVX2 (no AVX-512 kernels). */
	ONEDNN_AVX2("onednn-avx2", "AVX2", true, 100, 40, Transposed.MULTI_CHANNEL, "oneDNN capped at AVX2 (" + NativeSwitches.ISA_VARIABLE + "=AVX2); deep layers as BLAS products"),
	/** oneDNN capped at AVX. */
	ONEDNN_AVX("onednn-avx", "AVX", true, 4, 0.5, Transposed.SINGLE_CHANNEL, "oneDNN capped at AVX (" + NativeSwitches.ISA_VARIABLE + "=AVX); deep layers as BLAS products"),
	/** No oneDNN kernel at all: every convolution lowered to a gather and one BLAS product in the project's code. */
	GEMM("gemm", null, false, 0, 0, Transposed.NONE, "every convolution as the project's im2col gather + BLAS product, oneDNN off"),
	/** No oneDNN: libtorch's own convolutions, lowered to im2col and BLAS matrix multiplication. */
	NATIVE("native", null, false, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Transposed.NONE, "libtorch's own im2col + BLAS convolutions, oneDNN off");

	/** The configuration applied last in this process; libtorch's default until one is. */
	private static volatile NumericsConfig active = ONEDNN;

	private final String key;
	private final String isaCap;
	private final boolean oneDnn;
	private final double gemmRatio, phaseGemmRatio;
	private final Transposed transposed;
	private final String description;

	/** Which transposed convolutions libtorch's own kernel computes ({@link #libtorchTransposed}). */
	private enum Transposed { MULTI_CHANNEL, SINGLE_CHANNEL, NONE }

	NumericsConfig(String key, String isaCap, boolean oneDnn, double gemmRatio, double phaseGemmRatio, Transposed transposed, String description) {
		this.key = key;
		this.isaCap = isaCap;
		this.oneDnn = oneDnn;
		this.gemmRatio = gemmRatio;
		this.phaseGemmRatio = phaseGemmRatio;
		this.transposed = transposed;
		this.description = description;
	}

	/** The configuration this process computes with (set by {@link #apply()}). */
	public static NumericsConfig active() {
		return active;
	}

	/**
	 * A convolution is lowered to a BLAS product ({@code model.Convolutions}) when C_in·k² ≥ this · H_out·W_out:
	 * 0 = always, ∞ = never. Measured on a 2-core AMD EPYC (Zen 4) at the paper models' shapes, batch 8, forward +
	 * backward (bench conv-backends): at full width oneDNN is slower than the product only on the 4×4- and 8×8-sized
	 * layers with 1024–2048 channels (ratio 256 picks exactly those); capped at AVX2 it loses from ratio ≈ 50 up, but
	 * wins a 3×3 layer at 72 (100; 2×2 kernels: wins at 25, loses at 51, hence 40); capped at AVX it loses from
	 * ratio ≈ 7 up (4) — and from ≈ 0.5 up on 2×2 kernels (the generators' phase convolutions and the VAE's folded
	 * up-block ones): there the capped kernels are weakest, the product 0.85× their time at ratio 0.9 and 0.48× at
	 * 3.5 (paper VAE, 256→4·128 channels on 16×16), while at ratio 0.12 with 4 output channels it takes 5× theirs.
	 * {@code kernel}: the kernel's larger side.
	 */
	public double gemmRatio(int kernel) {
		return kernel == 2 ? phaseGemmRatio : gemmRatio;
	}

	/**
	 * Whether a k4 s2 transposed convolution with this many output channels goes to libtorch's own kernel (oneDNN's
	 * deconvolution) rather than the project's phase decomposition ({@code model.ConvTranspose2d}) — asked only for
	 * layers whose phase convolution would not be BLAS-lowered. {@code weightInItsLayout}: the caller has the weight
	 * in PyTorch's (C_in, C_out, 4, 4) layout at no cost (the VAE's up blocks fold their 3×3 kernel into either
	 * layout); otherwise the stored phase-layout weight is rearranged on every call. Measured on a 2-core Zen 4
	 * (bench conv-transpose, forward + backward; paper and VAE shapes at batch 8, the CPU GAN's at 64): at full
	 * width libtorch's kernel takes 0.63–1.01× the phases' time at the VAE's up-block shapes with the weight in its
	 * layout (it skips the depth-to-space copy), but 0.88–1.58× at the generators' shapes with the rearranging, and
	 * 1.16–1.23× on one-channel output layers; under the AVX2 cap 0.65–0.95×, 0.76–1.67× and 1.8–1.9×; under the AVX
	 * cap 0.38–0.44× on the one-channel layers (their weight is tiny) and 0.95–1.97× on the others. Never with
	 * oneDNN off: GEMM must not reach oneDNN.
	 */
	public boolean libtorchTransposed(long outChannels, boolean weightInItsLayout) {
		return switch (transposed) {
			case MULTI_CHANNEL -> outChannels > 1 && weightInItsLayout;
			case SINGLE_CHANNEL -> outChannels == 1;
			case NONE -> false;
		};
	}

	/** The name users write ({@code -Dctlatent.numerics=native}) and the cards record. */
	public String key() {
		return key;
	}

	public String description() {
		return description;
	}

	/** The {@code ONEDNN_MAX_CPU_ISA} value this configuration needs, or null. */
	String isaCap() {
		return isaCap;
	}

	/** The environment a child process needs for this configuration (the parent's cap, if any, is overridden). */
	Map<String, String> environment() {
		return isaCap == null ? Map.of() : Map.of(NativeSwitches.ISA_VARIABLE, isaCap);
	}

	/**
	 * Applies this configuration to the running process: the ISA cap goes into the native environment (effective
	 * only before oneDNN's first primitive), the oneDNN flag is set directly.
	 *
	 * @return null when applied, otherwise why not
	 */
	String apply() {
		if (isaCap != null) {
			String current = NativeSwitches.getenv(NativeSwitches.ISA_VARIABLE).orElse(null);
			if (!isaCap.equalsIgnoreCase(current) && !NativeSwitches.setenv(NativeSwitches.ISA_VARIABLE, isaCap))
				return "cannot set " + NativeSwitches.ISA_VARIABLE + " in this process";
		}
		if (!NativeSwitches.setOneDnnEnabled(oneDnn))
			return "cannot " + (oneDnn ? "enable" : "disable") + " oneDNN in libtorch (symbol not found)";
		active = this;
		return null;
	}

	public static NumericsConfig parse(String key) {
		String k = key.trim().toLowerCase(Locale.ROOT);
		for (NumericsConfig c : values()) if (c.key.equals(k)) return c;
		throw new ExplorerException("Unknown numerics configuration '" + key + "'. Use auto or one of: " + keys() + ".");
	}

	public static String keys() {
		return Arrays.stream(values()).map(NumericsConfig::key).collect(Collectors.joining(", "));
	}
}
