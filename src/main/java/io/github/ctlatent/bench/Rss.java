package io.github.ctlatent.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process (Linux), for native-memory flatness checks. */
public final class Rss {

	private Rss() {}

	/** VmRSS in MiB, or −1 where /proc is not available. */
	public static double mib() {
		try {
			for (String l : Files.readAllLines(Path.of("/proc/self/status")))
				if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0;
		} catch (Exception ignored) {
			// not Linux
		}
		return -1;
	}
}
