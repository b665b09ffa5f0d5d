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
