package io.github.ctlatent.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that starts DJL's PyTorch engine — after which {@link Numerics} has checked its arithmetic — seeded,
 * and with an explicit device.
 * <p>
 * Library code leaves JVM-wide settings alone: inside Fiji other DJL plugins share the JVM, so {@code ai.djl.offline}
 * is the user's (the headless launcher, {@code cli.Main}, defaults it to true). With pytorch-native-cpu on the
 * class path DJL needs no download either way.
 * <p>
 * Every heavy engine calls {@link #device(String, Monitor)} with the user's {@code device} option
 * ({@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}) and logs the returned choice.
 */
public final class Engines {

	/** System property that, when "false", lets DJL download native libraries (off by default). */
	public static final String OFFLINE = "ai.djl.offline";

	private Engines() {}

	/** The PyTorch engine, its CPU arithmetic checked (see {@link Numerics}). */
	public static synchronized Engine pytorch() {
		// before libtorch's first CPU allocation, which is when it reads the variable
		if (hugePages == null) hugePages = configureHugePages(System.getProperty(HUGE_PAGES, "on"));
		Engine engine;
		try {
			engine = Engine.getEngine("PyTorch");
		} catch (RuntimeException | UnsatisfiedLinkError e) {
			throw new ExplorerException("The PyTorch engine could not start: " + e.getMessage()
				+ ". On a CPU machine keep pytorch-native-cpu on the classpath; on a GPU machine see README section 'GPU'.", e);
		}
		if (nnpack == null) nnpack = NativeSwitches.setNnpackEnabled(false) ? "off (a kernel the numerics check never runs; on unsupported CPUs every try printed a warning)"
			: "left as libtorch has it (the switch could not be reached)";
		Numerics.ensure(); // before anything else can run a convolution in this process
		if (allocator == null) allocator = configureAllocator(System.getProperty(MALLOC, "keep"));
		return engine;
	}

	/**
	 * {@code -Dctlatent.malloc=keep|default}: whether the C allocator keeps freed tensor memory for reuse
	 * ({@link NativeSwitches#keepFreedMemory}; the default) or returns it to the system as glibc does by default.
	 * Alternating on the Zen 5 machine, the 64² VAE iteration was faster with it in three of three pairs (+5%, +58%,
	 * +47%) and the 64² GAN in two of three (docs/performance.md, "Allocator"); the price is that memory once used by
	 * training stays with the process (Fiji's RSS does not shrink when a training ends).
	 */
	public static final String MALLOC = "ctlatent.malloc";

	/** What the allocator setting did, for System Info (null until the engine starts). */
	private static volatile String allocator;

	/** Applies allocator setting {@code value} (see {@link #MALLOC}) and says what it did. */
	static String configureAllocator(String value) {
		String mode = value.trim().toLowerCase(java.util.Locale.ROOT);
		if (mode.equals("default")) return "glibc default (-D" + MALLOC + "=default)";
		if (!mode.equals("keep")) throw new ExplorerException("-D" + MALLOC + "=" + mode + " is not a setting: use keep (the default) or default.");
		return NativeSwitches.keepFreedMemory() ? "freed blocks up to " + (NativeSwitches.MMAP_THRESHOLD_MAX >> 20) + " MiB kept for reuse (-D" + MALLOC + "=default to return them)"
			: "system default (mallopt not available here)";
	}

	/**
	 * {@code -Dctlatent.hugepages=on|off}: whether libtorch puts tensors of 2 MiB or more in transparent huge pages
	 * ({@link NativeSwitches#HUGE_PAGE_VARIABLE}; on by default). A fresh tensor is fresh memory, and every 4 KiB page
	 * of it faults in on first touch; on virtual machines that hand freed memory back to the host that costs about
	 * 3 ms per MiB (measured on the Zen 5 machine: cloning a 64 MiB tensor 200 ms, 14 ms in huge pages), more than
	 * the arithmetic of most layers. Measured there, one thread: the Voynov–Babenko step on the paper generator
	 * 3.5–4.3 → 8.2–8.5 images/s, the 64² VAE iteration 109–139 → 160–171 (docs/performance.md, "Huge pages").
	 * Only where the kernel's mode is {@code madvise} does the setting decide anything ({@code always}: huge pages
	 * anyway; {@code never}: none). A value already in the environment is left as the user set it.
	 */
	public static final String HUGE_PAGES = "ctlatent.hugepages";

	/** What was done with libtorch's NNPACK, for System Info (null until the engine starts). */
	private static volatile String nnpack;

	/** What the huge-page setting did, for System Info (null until the engine starts). */
	private static volatile String hugePages;

	/** Applies huge-page setting {@code value} (see {@link #HUGE_PAGES}) and says what it did. */
	static String configureHugePages(String value) {
		String mode = value.trim().toLowerCase(Locale.ROOT);
		if (!mode.equals("on") && !mode.equals("off")) throw new ExplorerException("-D" + HUGE_PAGES + "=" + value + " is not a setting: use on (the default) or off.");
		String kernel = NativeSwitches.transparentHugePages().orElse(null);
		if (kernel == null) return "not available here (no transparent huge pages: Linux only)";
		String variable = NativeSwitches.HUGE_PAGE_VARIABLE;
		String given = NativeSwitches.getenv(variable).orElse(null);
		boolean on;
		if (given != null) on = !given.trim().equals("0");
		else on = mode.equals("on") && NativeSwitches.setenv(variable, "1");
		String how = given != null ? variable + "=" + given + " from the environment" : on ? variable + "=1; -D" + HUGE_PAGES + "=off for 4 KiB pages"
			: mode.equals("off") ? "-D" + HUGE_PAGES + "=off" : "cannot set " + variable + " in this process";
		if (kernel.equals("never")) return "4 KiB pages: the kernel's transparent huge pages are off (" + how + ")";
		if (kernel.equals("always")) return "huge pages for every large tensor: the kernel's mode is always (" + how + ")";
		return (on ? "tensors of 2 MiB or more in transparent huge pages (" : "4 KiB pages (") + how + "; kernel mode " + kernel + ")";
	}

	/**
	 * Creates something whose random initialisation comes from libtorch's global generator (DJL's initializers
	 * draw from it), seeded with {@code seed}, while no other thread can draw from it: two models built at the same
	 * time in one JVM (two trainings in Fiji) get the same weights as each built alone.
	 */
	public static <T> T seeded(long seed, java.util.function.Supplier<T> create) {
		synchronized (SEEDING) {
			seed(seed);
			return create.get();
		}
	}

	private static final Object SEEDING = new Object();

	/** Seeds DJL and libtorch so that a run is reproducible on CPU. */
	public static void seed(long seed) {
		pytorch().setRandomSeed((int) seed);
	}

	/** A chosen device and the reason it was chosen. */
	public record DeviceChoice(Device device, String reason) {
		@Override
		public String toString() {
			return device + " (" + reason + ")";
		}
	}

	/** Resolves the user's device option; throws a clear error for an unknown option or a missing GPU. */
	public static DeviceChoice choose(String option) {
		Engine engine = pytorch();
		String o = option == null ? "auto" : option.trim().toLowerCase(Locale.ROOT);
		int gpus = engine.getGpuCount();
		switch (o) {
			case "", "auto":
				return gpus > 0 ? new DeviceChoice(Device.gpu(), "auto: " + gpus + " CUDA device(s) visible")
					: new DeviceChoice(Device.cpu(), "auto: no CUDA device visible to libtorch " + engine.getVersion());
			case "cpu":
				return new DeviceChoice(Device.cpu(), "requested");
			default:
				if (o.equals("gpu") || o.startsWith("gpu:")) {
					int id = o.equals("gpu") ? 0 : parseIndex(o);
					if (id >= gpus) throw new ExplorerException("device=" + option + " asked for a GPU but libtorch sees "
						+ gpus + " CUDA device(s). Use device=cpu, or set up CUDA as in the README section 'GPU'.");
					return new DeviceChoice(Device.gpu(id), "requested");
				}
				throw new ExplorerException("Unknown device '" + option + "'. Use auto, cpu, gpu or gpu:N.");
		}
	}

	/** {@link #choose} and log the choice: the line every heavy command prints. */
	public static Device device(String option, Monitor monitor) {
		DeviceChoice c = choose(option);
		monitor.log("Device: " + c);
		if (!c.device().isGpu()) monitor.log("CPU numerics: " + Numerics.requireTrusted().summary());
		return c.device();
	}

	private static int parseIndex(String o) {
		try {
			int id = Integer.parseInt(o.substring(4));
			if (id < 0) throw new ExplorerException("device=" + o + " names no GPU: N in gpu:N counts from 0. Use auto, cpu, gpu or gpu:N.");
			return id;
		} catch (NumberFormatException e) {
			throw new ExplorerException("Unknown device '" + o + "'. Use auto, cpu, gpu or gpu:N.");
		}
	}

	/** Facts about the engine for the "System Info" command, in display order. */
	public static Map<String, String> systemInfo() {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
		m.put("cpu cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
		m.put("max heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
		Engine e = pytorch();
		m.put("DJL", Engine.getDjlVersion());
		m.put("engine", e.getEngineName() + " " + e.getVersion());
		m.put("native library flavor", String.valueOf(System.getProperty("PYTORCH_FLAVOR", System.getenv("PYTORCH_FLAVOR") == null ? "from classpath" : System.getenv("PYTORCH_FLAVOR"))));
		m.put("CUDA devices", String.valueOf(e.getGpuCount()));
		m.put("device (auto)", choose("auto").toString());
		Numerics.Verdict v = Numerics.ensure();
		m.put("CPU", v.cpu());
		m.put("numerics check", (v.passed() ? "passed" : "FAILED") + (v.passed() ? String.format(" (worst relative error %.1e, %.2f s, %s)", v.worstError(), v.checkSeconds(), v.decided()) : ": " + v.failures()));
		m.put("numerics config", v.config().key() + ": " + v.config().description());
		m.put("why", v.reason());
		m.put("numerics setting", "-D" + Numerics.SETTING + "=" + Numerics.forced().map(NumericsConfig::key).orElse("auto") + " (auto | " + NumericsConfig.keys() + "); cache " + Numerics.cacheFile());
		List<String> policy = NumericsPolicy.describe(NumericsConfig.active(), TransposedConvolutions.libtorchUnavailable());
		m.put("convolutions", policy.get(0));
		m.put("transposed conv", policy.get(1));
		m.put("optimizer arithmetic", FusedAdam.describe());
		m.put("allocator", allocator);
		m.put("huge pages", hugePages);
		m.put("NNPACK", nnpack);
		m.put("ATen kernels", atenKernels());
		m.put("oneDNN width", oneDnnWidth() + ": the per-layer rules of libtorch's default are that width's");
		m.put("intra-op threads", threads("ai.djl.pytorch.num_threads"));
		m.put("inter-op threads", threads("ai.djl.pytorch.num_interop_threads"));
		String offline = System.getProperty(OFFLINE);
		m.put("offline", offline == null ? "not set (DJL downloads only when no native library is on the class path; -D" + OFFLINE + "=true forbids it)"
			: offline + (Boolean.parseBoolean(offline) ? " (no downloads)" : " (DJL may download native libraries)"));
		m.put("DJL cache folder", Utils.getEngineCacheDir().toString());
		return m;
	}

	/** oneDNN's widest instruction set here (the CPU's, or a cap set before start), whose thresholds the per-layer rules use. */
	public static String oneDnnWidth() {
		String cap = System.getenv(NativeSwitches.ISA_VARIABLE);
		return CpuIdentity.oneDnnWidth() + (cap == null ? "" : " (" + NativeSwitches.ISA_VARIABLE + "=" + cap + " at start)");
	}

	/** ATen's vector instruction set, and the variable that lowered it if one did. */
	public static String atenKernels() {
		String given = NativeSwitches.getenv(NativeSwitches.ATEN_CAPABILITY_VARIABLE).orElse(null);
		return NativeSwitches.atenCpuCapability().orElse("unknown (not readable here)")
			+ (given == null ? "" : " (" + NativeSwitches.ATEN_CAPABILITY_VARIABLE + "=" + given + ")");
	}

	private static String threads(String property) {
		String v = System.getProperty(property);
		return v != null ? v + " (-D" + property + ")" : Runtime.getRuntime().availableProcessors() + " (default: core count)";
	}
}
