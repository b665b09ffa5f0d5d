package io.github.ctlatent.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two process-wide switches of libtorch's CPU arithmetic that {@link Numerics} needs, reached through JNA
 * because neither DJL nor the JVM exposes them:
 * <ul>
 * <li>oneDNN's instruction-set cap, {@code ONEDNN_MAX_CPU_ISA}. oneDNN reads the variable with the C library's
 * {@code getenv} once, when it creates its first primitive, so setting it in the process environment with
 * {@code setenv} before the first convolution still takes effect (the JVM's own copy of the environment is
 * read-only and invisible to native code).</li>
 * <li>libtorch's "use oneDNN" flag ({@code torch.backends.mkldnn.enabled} in Python):
 * {@code at::globalContext().setUserEnabledMkldnn(bool)}, an exported C++ member function; with it off,
 * convolutions run libtorch's own im2col + BLAS kernels. It can be flipped at any time.</li>
 * </ul>
 * Every method reports failure instead of throwing, so a libtorch without these symbols (another version, another
 * OS) only loses the corresponding configuration.
 */
final class NativeSwitches {

	static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

	private NativeSwitches() {}

	/** Sets a variable in the process environment that native code reads; false when not possible here. */
	static boolean setenv(String name, String value) {
		try {
			if (Platform.isWindows()) {
				return NativeLibrary.getInstance("msvcrt").getFunction("_putenv_s").invokeInt(new Object[] {name, value}) == 0;
			}
			return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv").invokeInt(new Object[] {name, value, 1}) == 0;
		} catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError (an old JNA in a Fiji): not available
			return false;
		}
	}

	/** The value native code sees, or empty. */
	static Optional<String> getenv(String name) {
		try {
			Pointer p = (Pointer) NativeLibrary.getInstance(Platform.isWindows() ? "msvcrt" : Platform.C_LIBRARY_NAME)
				.getFunction("getenv").invoke(Pointer.class, new Object[] {name});
			return p == null ? Optional.empty() : Optional.of(p.getString(0));
		} catch (Throwable e) {
			return Optional.ofNullable(System.getenv(name));
		}
	}

	/** Turns libtorch's use of oneDNN on or off; false when the symbol cannot be reached. */
	static boolean setOneDnnEnabled(boolean enabled) {
		return setContextFlag("Mkldnn", enabled);
	}

	/** libtorch's "use oneDNN" flag, or empty when it cannot be read. */
	static Optional<Boolean> oneDnnEnabled() {
		return contextFlag("Mkldnn");
	}

	/**
	 * Turns libtorch's use of NNPACK on or off ({@code torch.backends.nnpack.set_flags} in Python). libtorch tries
	 * NNPACK for small convolutions without gradients; on CPUs it does not support (AMD Zen 5) every try prints
	 * "Could not initialize NNPACK! Reason: Unsupported hardware." — 88 lines in one label-free evaluation — and where
	 * it does run, it is a kernel the numerics check never exercises. False when the symbol cannot be reached.
	 */
	static boolean setNnpackEnabled(boolean enabled) {
		return setContextFlag("NNPACK", enabled);
	}

	/** libtorch's "use NNPACK" flag, or empty when it cannot be read. */
	static Optional<Boolean> nnpackEnabled() {
		return contextFlag("NNPACK");
	}

	/** {@code at::globalContext().setUserEnabled<name>(enabled)}, read back; false when not possible. */
	private static boolean setContextFlag(String name, boolean enabled) {
		try {
			NativeLibrary torch = torchCpu();
			Pointer context = globalContext(torch);
			torch.getFunction("_ZN2at7Context" + (14 + name.length()) + "setUserEnabled" + name + "Eb").invokeVoid(new Object[] {context, enabled});
			return contextFlag(name).orElse(!enabled) == enabled;
		} catch (Throwable e) {
			return false;
		}
	}

	/** {@code at::globalContext().userEnabled<name>()}, or empty when it cannot be read. */
	private static Optional<Boolean> contextFlag(String name) {
		try {
			NativeLibrary torch = torchCpu();
			Pointer context = globalContext(torch);
			Function get = torch.getFunction("_ZNK2at7Context" + (11 + name.length()) + "userEnabled" + name + "Ev");
			return Optional.of((Boolean) get.invoke(Boolean.class, new Object[] {context}));
		} catch (Throwable e) {
			return Optional.empty();
		}
	}

	/** glibc's {@code mallopt} parameters (malloc.h): M_TRIM_THRESHOLD and M_MMAP_THRESHOLD. */
	private static final int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
	/** glibc's largest allowed mmap threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX). */
	static final int MMAP_THRESHOLD_MAX = 32 << 20;

	/**
	 * Tells the C allocator to keep freed blocks of up to 32 MiB for reuse instead of returning them to the system:
	 * {@code mallopt(M_MMAP_THRESHOLD, 32 MiB)} and a trim threshold of 2 GiB, what the environment variables
	 * {@code MALLOC_MMAP_THRESHOLD_}/{@code MALLOC_TRIM_THRESHOLD_} do at start-up. libtorch allocates every tensor
	 * anew from it; by default glibc maps large blocks fresh each time and unmaps them on free, so every training
	 * iteration page-faults its activations and gradients in again. False where not possible (no glibc).
	 */
	static boolean keepFreedMemory() {
		try {
			if (!Platform.isLinux()) return false;
			Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
			return mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX}) == 1
				&& mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1;
		} catch (Throwable e) {
			return false;
		}
	}

	/**
	 * libtorch's switch for transparent huge pages ({@code c10/core/impl/alloc_cpu.cpp}, PyTorch ≥ 2.1): with it at 1
	 * every CPU tensor of 2 MiB or more is aligned to 2 MiB and {@code madvise(MADV_HUGEPAGE)}d. Read with
	 * {@code getenv} once, at libtorch's first CPU allocation, so it must be set before the engine computes anything.
	 */
	static final String HUGE_PAGE_VARIABLE = "THP_MEM_ALLOC_ENABLE";

	/** The kernel's transparent-huge-page mode ({@code always}, {@code madvise} or {@code never}), or empty off Linux. */
	static Optional<String> transparentHugePages() {
		try {
			String line = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\w+)\\]").matcher(line);
			return m.find() ? Optional.of(m.group(1)) : Optional.empty();
		} catch (IOException | RuntimeException e) {
			return Optional.empty();
		}
	}

	/** Turns oneDNN's verbose log (one line per primitive, on the process's standard output) on or off. */
	static boolean setOneDnnVerbose(int level) {
		try {
			torchCpu().getFunction("_ZN5torch7verbose19_mkldnn_set_verboseEi").invokeInt(new Object[] {level});
			return true;
		} catch (Throwable e) {
			return false;
		}
	}

	/** The variable that lowers the instruction set of ATen's own kernels ("avx2", "default"); read once, at first use. */
	static final String ATEN_CAPABILITY_VARIABLE = "ATEN_CPU_CAPABILITY";

	/**
	 * The vector instruction set ATen's own kernels (element-wise work, batch norm, reductions, the optimizer's
	 * arithmetic) dispatch to: {@code at::get_cpu_capability()}, "AVX512", "AVX2" or "DEFAULT", or empty when the
	 * symbol cannot be reached. It returns a {@code std::string}, which the x86-64 C++ ABI hands back through a hidden
	 * first argument; the names are shorter than the library's 15-character inline buffer, so nothing is left to free.
	 */
	static Optional<String> atenCpuCapability() {
		try {
			if (!Platform.isLinux() || !Platform.is64Bit() || !Platform.isIntel()) return Optional.empty();
			Function get = torchCpu().getFunction("_ZN2at18get_cpu_capabilityB5cxx11Ev");
			com.sun.jna.Memory string = new com.sun.jna.Memory(32); // freed by the garbage collector (an old JNA in a Fiji has no close())
			get.invokeVoid(new Object[] {string});
			long length = string.getLong(8);
			if (length <= 0 || length > 15) return Optional.empty();
			return Optional.of(new String(string.getPointer(0).getByteArray(0, (int) length), java.nio.charset.StandardCharsets.US_ASCII));
		} catch (Throwable e) {
			return Optional.empty();
		}
	}

	/** {@code at::globalContext()}: libtorch's process-wide settings object. */
	private static Pointer globalContext(NativeLibrary torch) {
		return (Pointer) torch.getFunction("_ZN2at13globalContextEv").invoke(Pointer.class, new Object[0]);
	}

	/**
	 * libtorch's CPU library, which the PyTorch engine has already loaded. On Linux the mapped file is found in
	 * /proc/self/maps (DJL loads it from its cache folder by absolute path, so a plain name would not be found).
	 */
	private static NativeLibrary torchCpu() throws IOException {
		if (Platform.isLinux()) {
			for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
				int i = line.indexOf('/');
				if (i >= 0 && line.endsWith("/libtorch_cpu.so")) return NativeLibrary.getInstance(line.substring(i));
			}
		}
		return NativeLibrary.getInstance("torch_cpu");
	}
}
