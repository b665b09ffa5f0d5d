package io.github.ctlatent.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which CPU this is, as far as numerics go: the model name for people, vendor/family/model/stepping/flags for the cache. */
final class CpuIdentity {

	private CpuIdentity() {}

	/** e.g. "AMD EPYC (AuthenticAMD family 26 model 2 stepping 1), 2 cores". */
	static String describe() {
		Map<String, String> i = cpuinfo();
		String name = i.getOrDefault("model name", System.getProperty("os.arch"));
		String id = i.containsKey("cpu family") ? " (" + i.getOrDefault("vendor_id", "?") + " family " + i.get("cpu family")
			+ " model " + i.getOrDefault("model", "?") + " stepping " + i.getOrDefault("stepping", "?") + ")" : "";
		return name + id + ", " + Runtime.getRuntime().availableProcessors() + " cores";
	}

	/** What identifies the CPU's arithmetic: describe() plus a hash of its feature flags (a VM may hide some). */
	static String fingerprint() {
		return describe() + ", flags " + Integer.toHexString(cpuinfo().getOrDefault("flags", "").hashCode());
	}

	/**
	 * The widest vector instruction set oneDNN can use here: the CPU's (AVX-512 needs F, BW, VL and DQ, oneDNN's
	 * "avx512_core"; AVX2 needs FMA too), lowered by an {@code ONEDNN_MAX_CPU_ISA} set before the process started.
	 * Where the flags cannot be read (not Linux, not x86), AVX-512: the rules as they were before widths.
	 */
	static OneDnnWidth oneDnnWidth() {
		String flags = cpuinfo().get("flags");
		OneDnnWidth cpu = flags == null ? OneDnnWidth.AVX512 : OneDnnWidth.of(java.util.Set.of(flags.split("\\s+")));
		return cpu.capped(System.getenv(NativeSwitches.ISA_VARIABLE));
	}

	/** oneDNN's widest kernels, as far as {@link NumericsPolicy} tells them apart. */
	enum OneDnnWidth {
		AVX, AVX2, AVX512;

		static OneDnnWidth of(java.util.Set<String> flags) {
			if (flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) return AVX512;
			return flags.containsAll(List.of("avx2", "fma")) ? AVX2 : AVX;
		}

		/** This width under a cap's value ("AVX2", "AVX512_CORE", …; null or unknown: no cap). */
		OneDnnWidth capped(String cap) {
			if (cap == null) return this;
			String c = cap.trim().toUpperCase(java.util.Locale.ROOT);
			OneDnnWidth limit = c.startsWith("AVX512") || c.startsWith("AVX10") || c.startsWith("ALL") || c.isEmpty() ? AVX512
				: c.startsWith("AVX2") ? AVX2 : c.startsWith("AVX") || c.startsWith("SSE") ? AVX : AVX512;
			return limit.ordinal() < ordinal() ? limit : this;
		}
	}

	private static Map<String, String> cpuinfo() {
		Map<String, String> m = new LinkedHashMap<>();
		try {
			List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
			for (String l : lines) {
				if (l.isBlank()) break; // the first processor is enough
				int c = l.indexOf(':');
				if (c > 0) m.put(l.substring(0, c).trim(), l.substring(c + 1).trim());
			}
		} catch (Exception e) {
			String id = System.getenv("PROCESSOR_IDENTIFIER"); // Windows
			if (id != null) m.put("model name", id);
		}
		return m;
	}
}
