package io.github.ctlatent.bench;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.data.phantom.PhantomGenerator.Format;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Phantom rendering in memory (128×128×96) and writing throughput per format. */
@Plugin(type = Benchmark.class, name = "phantom-render", description = "thorax phantom: render 128x128x96 volumes, write DICOM/NIfTI/TIFF")
public class PhantomBenchmark implements Benchmark {

	static final int SIZE = 128, SLICES = 96;

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		String threads = Runtime.getRuntime().availableProcessors() + " threads";
		List<Measurement> out = new ArrayList<>();
		for (int i = 0; i < 3; i++) PhantomGenerator.render(7, i, SIZE, SLICES, 10); // warm-up
		int n = 20;
		long t0 = System.nanoTime(), c0 = cpuNanos();
		for (int i = 0; i < n; i++) PhantomGenerator.render(1, i, SIZE, SLICES, 10);
		double s = (System.nanoTime() - t0) / 1e9, cpu = (cpuNanos() - c0) / 1e9;
		out.add(new Measurement("render 128x128x96 (noise 10 HU)", n / s, "volumes/s", threads));
		out.add(new Measurement("render 128x128x96 (noise 10 HU)", n * SLICES / s, "slices/s", threads));
		out.add(new Measurement("render 100 volumes 128x128x96", 100 * s / n, "s", threads + ", wall clock"));
		// the wall clock suffers when other processes share the cores; CPU time does not
		out.add(new Measurement("render CPU time per volume", cpu / n, "s", "all threads, process CPU"));
		Path dir = Files.createTempDirectory("phantom-bench");
		try {
			for (Format f : Format.values()) {
				monitor.checkCanceled();
				Path sub = dir.resolve(f.name());
				int count = 4;
				long w0 = System.nanoTime();
				PhantomGenerator.generate(count, SIZE, SLICES, 3, f, sub, 10, Monitor.NONE);
				double ws = (System.nanoTime() - w0) / 1e9;
				long bytes;
				try (Stream<Path> files = Files.walk(sub)) {
					bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
				}
				out.add(new Measurement("render+write " + f.name().toLowerCase() + " 128x128x96", count / ws, "volumes/s",
					String.format("%.1f MB/s on disk", bytes / ws / 1e6)));
			}
		} finally {
			AtomicFiles.deleteQuietly(dir);
		}
		return out;
	}

	/** CPU time of this whole process (all threads), or wall time where the JVM cannot tell. */
	static long cpuNanos() {
		if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
			return os.getProcessCpuTime();
		return System.nanoTime();
	}
}
