package io.github.ctlatent.engine;

import io.github.ctlatent.core.ExplorerException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * <b>The one file to edit to change how a CPU convolution is computed.</b> For each {@link NumericsConfig} it
 * states which backend a plain convolution of given sizes gets and which method a transposed one gets. Everything
 * else follows from here: the layers ({@link Convolutions}, {@link TransposedConvolutions}), System Info's lines
 * ({@link #describe}), the paths the self-check must cover ({@link #backendsInUse}, {@link #methodsInUse}) and the
 * self-check's cache key ({@link #fingerprint}), so a changed rule is checked again on the next start by itself.
 * <p>
 * The thresholds are measurements (bench conv-backends, bench conv-transpose, forward + backward at the paper and
 * CPU-preset shapes on a 2-core AMD EPYC Zen 4); the numbers behind them are in docs/performance.md.
 */
public final class NumericsPolicy {

	/**
	 * How a plain convolution is computed: libtorch's kernel, the BLAS lowering by columns or by rows, or libtorch's
	 * kernel with the output channels padded with zero filters to a multiple of {@link #lanes()} (and sliced back).
	 */
	public enum ConvBackend {
		LIBTORCH, GEMM, GEMM_ROWS, LIBTORCH_PADDED,
		/**
		 * One output channel: libtorch's kernel on 4×4 space-to-depth blocks (16 whole output channels, no padded
		 * work), or padded where the sizes do not allow blocks ({@link Convolutions#blocked}).
		 */
		LIBTORCH_BLOCKED
	}

	/** How a k4 s2 transposed convolution is computed: the phase decomposition, or libtorch's own kernel. */
	public enum TransposedMethod { PHASES, LIBTORCH }

	// --- plain convolutions: lowered to a BLAS product when C_in·k² ≥ ratio · H_out·W_out (large weights, small image)
	/** Lower every convolution: no oneDNN kernel may run. */
	static final double ALWAYS = 0;
	/** Never lower: libtorch's kernels everywhere (oneDNN off, its own im2col + BLAS). */
	static final double NEVER = Double.POSITIVE_INFINITY;
	/** Full-width oneDNN loses to the product only on the paper models' 4×4/8×8 layers with 1024–2048 channels. */
	static final double FULL_WIDTH = 256;
	/** Under the AVX2 cap oneDNN loses from ratio ≈ 50 but still wins a 3×3 layer at 72. */
	static final double AVX2_CAP = 100;
	/** Under the AVX2 cap, 2×2 (phase) kernels: oneDNN wins at 25 and loses at 51. */
	static final double AVX2_CAP_PHASE = 40;
	/** Under the AVX cap oneDNN loses from ratio ≈ 7, 3×3 layers included. */
	static final double AVX_CAP = 4;
	/** Under the AVX cap, 2×2 kernels: the product takes 0.85× at ratio 0.9 but 5× at 0.12 with 4 output channels. */
	static final double AVX_CAP_PHASE = 0.5;

	/**
	 * Channel counts a oneDNN kernel takes in whole vector registers: 16 floats, one AVX-512 register. A convolution
	 * whose input or output channels are not a multiple is one with a <em>channel tail</em>: on AMD Zen 5 libtorch
	 * 2.7.1's oneDNN computed every such layer's input gradient wrongly at full width, and with the instruction set
	 * capped at AVX2 or AVX still the forward pass of inputs with 9–15, 17–23, … channels (docs/numerics.md,
	 * "Channel tails").
	 */
	public static final int LANES = 16;

	/**
	 * The same for oneDNN at AVX2 or AVX: 8 floats, one 256-bit register, the block its kernels there lay channels out
	 * in. The Zen 5 sweep found 8 output channels correct under the AVX2 cap, so padding them to 16 there (the VAE's
	 * 8-channel layers) only cost zero-filling and copying (docs/numerics.md, "Padding to the register width in use").
	 */
	public static final int LANES_256 = 8;

	/** Floats per register of oneDNN's widest kernels at {@code width}: what padded output channels are rounded up to. */
	static int lanes(CpuIdentity.OneDnnWidth width) {
		return width == CpuIdentity.OneDnnWidth.AVX512 ? LANES : LANES_256;
	}

	/** Lowering by rows when O·k² ≤ this · N·H·W: their gather copies whole rows in parallel; columns win from ≈ 8. */
	static final long ROWS_UP_TO = 6;

	// --- transposed convolutions (asked only where the phases' 2×2 convolution is not lowered)
	/** Which transposed convolutions go to libtorch's kernel. */
	enum Transposed {
		/** Multi-channel outputs whose weight comes in PyTorch's layout (the VAE's up blocks): 0.63–1.01× the phases' time at full width. */
		MULTI_CHANNEL_IN_LAYOUT,
		/** One-channel outputs only: 0.38–0.44× the phases' time under the AVX cap (their weight is tiny). */
		SINGLE_CHANNEL,
		/** None: with oneDNN off libtorch's kernel would reach oneDNN, and elsewhere the phases won. */
		NONE
	}

	/** One configuration's rules; {@code padOutputs}: libtorch's convolutions get whole-register output channels. */
	record Rule(double ratio, double phaseRatio, Transposed transposed, boolean padOutputs) {
		Rule(double ratio, double phaseRatio, Transposed transposed) {
			this(ratio, phaseRatio, transposed, false);
		}
	}

	/** The rules, built once for this machine's oneDNN width: layers ask for them on every convolution of every step. */
	private static volatile java.util.Map<NumericsConfig, Rule> rules = rulesFor(CpuIdentity.oneDnnWidth());
	/** {@link #lanes(CpuIdentity.OneDnnWidth)} of the width the rules are for. */
	private static volatile int lanes = lanes(CpuIdentity.oneDnnWidth());

	static Rule rule(NumericsConfig c) {
		return rules.get(c);
	}

	static java.util.Map<NumericsConfig, Rule> rulesFor(CpuIdentity.OneDnnWidth width) {
		java.util.Map<NumericsConfig, Rule> m = new java.util.EnumMap<>(NumericsConfig.class);
		for (NumericsConfig c : NumericsConfig.values()) m.put(c, declared(c, width));
		return m;
	}

	/** Makes the rules those of a machine whose oneDNN is {@code width} wide (tests of the rules; null: this machine's). */
	static void assumeWidth(CpuIdentity.OneDnnWidth width) {
		CpuIdentity.OneDnnWidth w = width == null ? CpuIdentity.oneDnnWidth() : width;
		rules = rulesFor(w);
		lanes = lanes(w);
	}

	/** The multiple padded output channels are rounded up to on this machine (16 at AVX-512, 8 at AVX2 or AVX). */
	public static int lanes() {
		return lanes;
	}

	/**
	 * The rule of configuration {@code c} on a CPU whose oneDNN is {@code width} wide. The uncapped configurations run
	 * oneDNN at that width, so where it is AVX2 (or AVX) they take the capped configuration's thresholds, which were
	 * measured with oneDNN at that width: an AVX2 machine's libtorch default is not an AVX-512 machine's.
	 */
	private static Rule declared(NumericsConfig c, CpuIdentity.OneDnnWidth width) {
		return switch (c) {
			case ONEDNN, ONEDNN_ALIGNED -> {
				Rule atWidth = switch (width) {
					case AVX512 -> new Rule(FULL_WIDTH, FULL_WIDTH, Transposed.MULTI_CHANNEL_IN_LAYOUT);
					case AVX2 -> declared(NumericsConfig.ONEDNN_AVX2, width);
					case AVX -> declared(NumericsConfig.ONEDNN_AVX, width);
				};
				yield new Rule(atWidth.ratio(), atWidth.phaseRatio(), atWidth.transposed(), c == NumericsConfig.ONEDNN_ALIGNED);
			}
			case ONEDNN_AVX2 -> width == CpuIdentity.OneDnnWidth.AVX ? declared(NumericsConfig.ONEDNN_AVX, width)
				: new Rule(AVX2_CAP, AVX2_CAP_PHASE, Transposed.MULTI_CHANNEL_IN_LAYOUT);
			case ONEDNN_AVX -> new Rule(AVX_CAP, AVX_CAP_PHASE, Transposed.SINGLE_CHANNEL);
			case GEMM -> new Rule(ALWAYS, ALWAYS, Transposed.NONE);
			case NATIVE -> new Rule(NEVER, NEVER, Transposed.NONE);
		};
	}

	/**
	 * {@code -Dctlatent.conv.gemm_ratio=<r>} replaces every configuration's ratio (0 = every layer lowered,
	 * {@code Infinity} = none): for measuring the rule on another CPU. Read once; part of the cache key.
	 */
	public static final String RATIO_SETTING = "ctlatent.conv.gemm_ratio";

	/** The parsed override (NaN: none), once it has been read. */
	private static volatile Double ratioOverride;

	private NumericsPolicy() {}

	/** The ratio in force for a kernel of this size (its larger side) in configuration {@code c}. */
	public static double ratio(NumericsConfig c, int kernel) {
		Double r = ratioOverride;
		if (r == null) ratioOverride = r = parseRatio(System.getProperty(RATIO_SETTING));
		if (!Double.isNaN(r)) return r;
		Rule rule = rule(c);
		return kernel == 2 ? rule.phaseRatio() : rule.ratio();
	}

	private static double parseRatio(String s) {
		if (s == null || s.isBlank()) return Double.NaN;
		double r;
		try {
			r = Double.parseDouble(s.trim());
		} catch (NumberFormatException e) {
			r = Double.NaN;
		}
		if (!(r >= 0)) throw new ExplorerException("-D" + RATIO_SETTING + "=" + s + " is not a threshold: give a number ≥ 0 (0 = every convolution as a BLAS product) or Infinity (none), or leave it out.");
		return r;
	}

	/**
	 * The backend of a CPU convolution in configuration {@code c}: input (N, C, H, W) as {@code n, inChannels,
	 * inputPixels = N·H·W}; {@code outChannels}·{@code kernel}² weights per input channel; {@code outputPixels}
	 * H'·W' per image.
	 */
	public static ConvBackend convBackend(NumericsConfig c, long inChannels, long outChannels, int kernel, long outputPixels, long inputPixels) {
		double ratio = ratio(c, kernel);
		boolean lowered = ratio == ALWAYS || !Double.isInfinite(ratio) && inChannels * kernel * kernel >= ratio * outputPixels;
		if (!lowered) return libtorchBackend(c, outChannels);
		return outChannels * kernel * kernel <= ROWS_UP_TO * inputPixels ? ConvBackend.GEMM_ROWS : ConvBackend.GEMM;
	}

	/** Which of libtorch's backends a layer with this many output channels gets in configuration {@code c} where it is not lowered. */
	private static ConvBackend libtorchBackend(NumericsConfig c, long outChannels) {
		if (!paddedOutputs(c, outChannels)) return ConvBackend.LIBTORCH;
		return outChannels == 1 && blocksOneChannel() ? ConvBackend.LIBTORCH_BLOCKED : ConvBackend.LIBTORCH_PADDED;
	}

	/**
	 * Whether one-output-channel layers go to 4×4 blocks rather than being padded: where padding means 16 channels
	 * for one (AVX-512). Measured on the Zen 5 machine, 64² VAE training iterations alternating in one process, 2
	 * threads: blocks 1.04–1.11× the padded iteration's speed at full width (4 of 4 rounds); capped at AVX2, where
	 * padding makes 8 channels, 0.84–1.14× (slower in 3 of 4).
	 */
	static boolean blocksOneChannel() {
		return lanes == LANES;
	}

	/** True when configuration {@code c} pads this many output channels to whole registers. */
	static boolean paddedOutputs(NumericsConfig c, long outChannels) {
		return rule(c).padOutputs() && outChannels % lanes != 0;
	}

	/**
	 * The backends a convolution with this many output channels can get in configuration {@code c}: what the
	 * self-check runs a case of these channels with (where output tails are padded, a tailed layer meets libtorch's
	 * kernel only padded, and an untailed one only unpadded).
	 */
	public static List<ConvBackend> backendsFor(NumericsConfig c, long outChannels) {
		// the lowerings, the libtorch backend the rule gives these channels, and for blocks the padding they fall back to
		ConvBackend own = libtorchBackend(c, outChannels);
		return backendsInUse(c).stream().filter(b -> b == own || b == ConvBackend.GEMM || b == ConvBackend.GEMM_ROWS
			|| own == ConvBackend.LIBTORCH_BLOCKED && b == ConvBackend.LIBTORCH_PADDED).toList();
	}

	/**
	 * The method of a CPU k4 s2 transposed convolution in configuration {@code c}: the phases when their 2×2
	 * convolution is lowered ({@code phaseBackend}; the lowering then beats both kernels) or libtorch's kernel is
	 * unavailable, otherwise as the configuration's {@link Transposed} rule says. {@code weightInItsLayout}: the
	 * caller has the weight in PyTorch's (C_in, C_out, 4, 4) layout at no cost.
	 */
	public static TransposedMethod transposedMethod(NumericsConfig c, long outChannels, boolean weightInItsLayout, ConvBackend phaseBackend,
		boolean libtorchAvailable) {
		return transposedMethod(c, outChannels, weightInItsLayout, phaseBackend, libtorchAvailable, false);
	}

	/**
	 * The same for a layer whose weight is {@code frozen} (a generator under exploration, rearranged into PyTorch's
	 * layout once and kept): where the configuration lets multi-channel layers with their weight in that layout go to
	 * libtorch's kernel, a frozen one goes there even where the phases' convolution would be lowered — the phases'
	 * extra work on small images (1.56× the multiply-adds at 4², 1.27× at 8²) then costs more than the lowering saves.
	 * Measured on the Zen 5 machine with huge pages, forward + input gradient at the discovery step's batch of 32:
	 * 2048→1024 at 4² 0.63× the lowered phases' time at full width, 0.75× under the AVX2 cap; 1024→512 at 8² under the
	 * AVX2 cap 0.66×; the other paper layers 0.77–1.06× (docs/performance.md, "Frozen generators").
	 */
	public static TransposedMethod transposedMethod(NumericsConfig c, long outChannels, boolean weightInItsLayout, ConvBackend phaseBackend,
		boolean libtorchAvailable, boolean frozen) {
		if (!libtorchAvailable) return TransposedMethod.PHASES;
		// libtorch's kernel is oneDNN's: a tailed output stays with the phases, whose convolution the rule lowers
		boolean inLayout = rule(c).transposed() == Transposed.MULTI_CHANNEL_IN_LAYOUT && outChannels > 1 && weightInItsLayout
			&& !paddedOutputs(c, outChannels);
		if (frozen && inLayout) return TransposedMethod.LIBTORCH;
		if (phaseBackend != ConvBackend.LIBTORCH) return TransposedMethod.PHASES;
		boolean libtorch = switch (rule(c).transposed()) {
			case MULTI_CHANNEL_IN_LAYOUT -> inLayout;
			case SINGLE_CHANNEL -> outChannels == 1;
			case NONE -> false;
		};
		return libtorch ? TransposedMethod.LIBTORCH : TransposedMethod.PHASES;
	}

	/** Every backend configuration {@code c} can give some layer: what the self-check must cover. */
	public static List<ConvBackend> backendsInUse(NumericsConfig c) {
		double phase = ratio(c, 2), other = ratio(c, 3);
		if (phase == ALWAYS && other == ALWAYS) return List.of(ConvBackend.GEMM, ConvBackend.GEMM_ROWS);
		if (Double.isInfinite(phase) && Double.isInfinite(other)) return List.of(ConvBackend.LIBTORCH);
		if (rule(c).padOutputs() && blocksOneChannel())
			return List.of(ConvBackend.LIBTORCH, ConvBackend.LIBTORCH_PADDED, ConvBackend.LIBTORCH_BLOCKED, ConvBackend.GEMM, ConvBackend.GEMM_ROWS);
		if (rule(c).padOutputs()) return List.of(ConvBackend.LIBTORCH, ConvBackend.LIBTORCH_PADDED, ConvBackend.GEMM, ConvBackend.GEMM_ROWS);
		return List.of(ConvBackend.LIBTORCH, ConvBackend.GEMM, ConvBackend.GEMM_ROWS);
	}

	/**
	 * True when the self-check of configuration {@code c} covers convolutions that do not go through
	 * {@link Convolutions} (a TorchScript module's, run by libtorch's own kernel at whatever channel counts it has):
	 * the check ran libtorch's kernel unpadded. False for the padded configuration (tails meet the kernel only
	 * padded) and for the BLAS lowering (libtorch's kernel is never checked); {@link ForeignModules} then switches to
	 * {@link ForeignModules#SAFE} while such a module is open.
	 */
	public static boolean coversForeignConvolutions(NumericsConfig c) {
		return !rule(c).padOutputs() && backendsInUse(c).contains(ConvBackend.LIBTORCH);
	}

	/** Every method configuration {@code c} can give some transposed layer: what the self-check must cover. */
	public static List<TransposedMethod> methodsInUse(NumericsConfig c, boolean libtorchAvailable) {
		boolean libtorch = libtorchAvailable && rule(c).transposed() != Transposed.NONE && !backendsInUse(c).equals(List.of(ConvBackend.GEMM, ConvBackend.GEMM_ROWS));
		return libtorch ? List.of(TransposedMethod.PHASES, TransposedMethod.LIBTORCH) : List.of(TransposedMethod.PHASES);
	}

	/** System Info's two lines for configuration {@code c}: which layers are lowered, which transposed ones go where. */
	public static List<String> describe(NumericsConfig c, String libtorchUnavailable) {
		List<String> lines = new ArrayList<>();
		double r = ratio(c, 3), p = ratio(c, 2);
		lines.add(r == ALWAYS && p == ALWAYS ? "every convolution as the project's gather + BLAS product"
			: Double.isInfinite(r) && Double.isInfinite(p) ? "every convolution by libtorch's kernels"
			: String.format(Locale.ROOT, "BLAS product where C_in·k² ≥ %s·H'·W' (2×2 kernels: %s)%s, libtorch's kernel elsewhere", number(r), number(p),
				rule(c).padOutputs() ? "; output channels padded to a multiple of " + lanes + " for libtorch's kernel" + (blocksOneChannel() ? " (one-channel outputs on 4x4 blocks)" : "") : ""));
		String phases = "the phase decomposition (2x2 convolution + depth-to-space)";
		if (libtorchUnavailable != null) lines.add(phases + " on every layer (libtorch's kernel unavailable: " + libtorchUnavailable + ")");
		else lines.add(switch (rule(c).transposed()) {
			case MULTI_CHANNEL_IN_LAYOUT -> "libtorch's kernel on the VAE's up blocks (whose folded weight comes in its layout) unless BLAS-lowered; " + phases + " elsewhere";
			case SINGLE_CHANNEL -> "libtorch's kernel on one-output-channel layers; " + phases + " elsewhere";
			case NONE -> phases + " on every layer";
		});
		return lines;
	}

	private static String number(double v) {
		return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
	}

	/**
	 * A short hash of every rule (and the override): part of the self-check's cache key, so a verdict cached under
	 * other rules is not reused.
	 */
	public static String fingerprint() {
		return fingerprint(NumericsPolicy::rule);
	}

	/** The fingerprint of these rules (with the ratio override, if any, in place of their ratios). */
	static String fingerprint(java.util.function.Function<NumericsConfig, Rule> rules) {
		StringBuilder s = new StringBuilder("rows<=" + ROWS_UP_TO + " override " + ratio(NumericsConfig.NATIVE, 3) + " lanes " + lanes);
		for (NumericsConfig c : NumericsConfig.values())
			s.append('|').append(c.key()).append(':').append(rules.apply(c));
		try {
			byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(h, 0, 6);
		} catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e); // every JVM has SHA-256
		}
	}
}
