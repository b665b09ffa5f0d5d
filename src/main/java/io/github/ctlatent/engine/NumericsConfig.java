package io.github.ctlatent.engine;

import io.github.ctlatent.core.ExplorerException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ways libtorch can be told to do its CPU convolutions. All give the same numbers on a healthy CPU; they
 * differ in speed, and in whether an affected CPU's oneDNN kernels are used at all. Which layer gets which kernel
 * under each configuration is {@link NumericsPolicy}'s to say.
 */
public enum NumericsConfig {
	/** oneDNN with the widest instruction set the CPU has: libtorch's default and usually the fastest. */
	ONEDNN("onednn", null, true, "oneDNN at the CPU's widest instruction set (libtorch's default); the deepest layers as BLAS products"),
	/**
	 * oneDNN at the widest instruction set, every convolution's output channels padded with zero filters to a whole
	 * multiple of oneDNN's register width ({@link NumericsPolicy#lanes()}: 16 at AVX-512, 8 at AVX2). On AMD Zen 5 every wrong result of full-width oneDNN measured was
	 * the input gradient of a layer with an output-channel tail (docs/numerics.md, "Channel tails").
	 */
	ONEDNN_ALIGNED("onednn-aligned", null, true, "oneDNN at the CPU's widest instruction set with output channels padded to whole vector registers"
		+ " (16 at AVX-512, 8 at AVX2); the deepest layers as BLAS products"),
	/** oneDNN capped at AVX2 (no AVX-512 kernels). */
	ONEDNN_AVX2("onednn-avx2", "AVX2", true, "oneDNN capped at AVX2 (" + NativeSwitches.ISA_VARIABLE + "=AVX2); deep layers as BLAS products"),
	/** oneDNN capped at AVX. */
	ONEDNN_AVX("onednn-avx", "AVX", true, "oneDNN capped at AVX (" + NativeSwitches.ISA_VARIABLE + "=AVX); deep layers as BLAS products"),
	/** No oneDNN kernel at all: every convolution lowered to a gather and one BLAS product in the project's code. */
	GEMM("gemm", null, false, "every convolution as the project's im2col gather + BLAS product, oneDNN off"),
	/** No oneDNN: libtorch's own convolutions, lowered to im2col and BLAS matrix multiplication. */
	NATIVE("native", null, false, "libtorch's own im2col + BLAS convolutions, oneDNN off");

	/** The configuration applied last in this process; libtorch's default until one is. */
	private static volatile NumericsConfig active = ONEDNN;

	private final String key;
	private final String isaCap;
	private final boolean oneDnn;
	private final String description;

	NumericsConfig(String key, String isaCap, boolean oneDnn, String description) {
		this.key = key;
		this.isaCap = isaCap;
		this.oneDnn = oneDnn;
		this.description = description;
	}

	/** The configuration this process computes with (set by {@link #apply()}). */
	public static NumericsConfig active() {
		return active;
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
