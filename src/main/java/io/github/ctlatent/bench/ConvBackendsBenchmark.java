package io.github.ctlatent.bench;

import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Numerics;
import io.github.ctlatent.engine.Convolutions;
import io.github.ctlatent.engine.NumericsConfig;
import io.github.ctlatent.engine.NumericsPolicy;
import io.github.ctlatent.engine.NumericsPolicy.ConvBackend;
import org.scijava.plugin.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Forward + backward time of every convolution shape of the paper models with libtorch's kernel and with the
 * project's two BLAS lowerings (columns, rows), side by side, and which one the per-layer rule of the configuration
 * in force picks (the figure: the faster lowering's time over libtorch's) —
 * the measurement behind {@code NumericsPolicy}'s ratios. Run it with {@code -Dctlatent.numerics=onednn-avx}
 * (and so on) to see a capped configuration. Batch: -Dbench.batch (default 8, the paper presets' batch);
 * layers: -Dbench.layers=paper (default), vae (the paper VAE's own shapes), cpu-gan or cpu-vae (with -Dbench.batch=64).
 */
@Plugin(type = Benchmark.class, name = "conv-backends", description = "libtorch vs BLAS-lowered convolution per paper layer (fwd+bwd) and the rule's pick")
public class ConvBackendsBenchmark implements Benchmark {

	/** C_in, C_out, H, kernel, stride, pad: the paper discriminator, the generator's phase convolutions, VAE 3×3 layers. */
	static final int[][] LAYERS = {
		{1, 128, 128, 4, 2, 1}, {128, 256, 64, 4, 2, 1}, {256, 512, 32, 4, 2, 1}, {512, 1024, 16, 4, 2, 1}, {1024, 2048, 8, 4, 2, 1},
		{2048, 4096, 4, 2, 1, 1}, {1024, 2048, 8, 2, 1, 1}, {512, 1024, 16, 2, 1, 1}, {256, 512, 32, 2, 1, 1}, {128, 4, 64, 2, 1, 1},
		{64, 64, 64, 3, 1, 1}, {128, 128, 32, 3, 1, 1}, {256, 256, 16, 3, 1, 1}, {512, 512, 8, 3, 1, 1}};

	/** The same for the CPU-preset DCGAN (64², widths 32–256; run it with -Dbench.batch=64, that preset's batch). */
	static final int[][] CPU_GAN_LAYERS = {
		{1, 32, 64, 4, 2, 1}, {32, 64, 32, 4, 2, 1}, {64, 128, 16, 4, 2, 1}, {128, 256, 8, 4, 2, 1},
		{256, 512, 4, 2, 1, 1}, {128, 256, 8, 2, 1, 1}, {64, 128, 16, 2, 1, 1}, {32, 4, 32, 2, 1, 1}};

	/** The paper VAE's convolutions that libtorch computes at full width (3×3 and the up blocks' folded 2×2, pad 1). */
	static final int[][] VAE_LAYERS = {
		{1, 32, 128, 3, 1, 1}, {32, 1, 128, 3, 1, 1}, {32, 64, 64, 3, 1, 1}, {1, 64, 64, 3, 1, 1}, {64, 64, 64, 3, 1, 1},
		{64, 16, 64, 3, 1, 1}, {16, 128, 64, 2, 1, 1}, {64, 128, 64, 2, 1, 1}, {64, 128, 32, 3, 1, 1}, {128, 128, 32, 3, 1, 1},
		{128, 32, 32, 3, 1, 1}, {32, 256, 32, 2, 1, 1}, {128, 256, 32, 2, 1, 1}, {128, 256, 16, 3, 1, 1}, {256, 256, 16, 3, 1, 1},
		{256, 64, 16, 3, 1, 1}, {64, 512, 16, 2, 1, 1}, {256, 512, 16, 2, 1, 1}, {256, 512, 8, 3, 1, 1}, {512, 256, 8, 3, 1, 1},
		{512, 128, 8, 3, 1, 1}, {128, 1024, 8, 2, 1, 1}, {512, 1024, 8, 2, 1, 1}};

	/**
	 * The CPU-preset VAE's (64², ch 16) convolutions on images of 16² and more, where libtorch's kernel is the
	 * candidate (run with -Dbench.batch=64): the encoder's first block, the decoder's last two, the 8→1 output layer.
	 */
	static final int[][] CPU_VAE_LAYERS = {
		{1, 8, 64, 3, 1, 1}, {1, 16, 32, 3, 1, 1}, {8, 16, 32, 3, 1, 1}, {16, 16, 32, 3, 1, 1}, {16, 32, 16, 3, 1, 1},
		{32, 8, 16, 3, 1, 1}, {16, 4, 32, 3, 1, 1}, {4, 32, 32, 2, 1, 1}, {16, 32, 32, 2, 1, 1}, {8, 64, 16, 2, 1, 1},
		{32, 64, 16, 2, 1, 1}, {8, 1, 64, 3, 1, 1}};

	@Override
	public List<Measurement> run(Monitor monitor) {
		Engines.pytorch();
		int batch = Integer.getInteger("bench.batch", 8);
		double ratio = NumericsPolicy.ratio(NumericsConfig.active(), 3);
		List<Measurement> out = new ArrayList<>();
		for (int[] l : Benchmarks.layerSet(LAYERS, CPU_GAN_LAYERS, VAE_LAYERS, CPU_VAE_LAYERS)) {
			monitor.checkCanceled();
			int cin = l[0], cout = l[1], h = l[2], k = l[3], s = l[4], p = l[5];
			List<ConvTransposeBenchmark.Variant> variants = new ArrayList<>();
			for (ConvBackend b : ConvBackend.values())
				variants.add(new ConvTransposeBenchmark.Variant(new Shape(cout, cin, k, k), (x, w) -> Convolutions.conv2d(x, w, null, s, p, b)));
			double[] best = ConvTransposeBenchmark.time(batch, cin, h, variants);
			long ho = (h + 2L * p - k) / s + 1;
			double flops = 3 * 2.0 * batch * cin * cout * k * k * ho * ho;
			ConvBackend pick = Convolutions.backendFor(new Shape(batch, cin, h, h), new Shape(cout, cin, k, k), s, p);
			StringBuilder note = new StringBuilder();
			for (ConvBackend b : ConvBackend.values())
				note.append(String.format(Locale.ROOT, "%s %.1f ms (%.0f GFLOP/s), ", b.name().toLowerCase(Locale.ROOT), best[b.ordinal()] * 1e3, flops / best[b.ordinal()] / 1e9));
			note.append(String.format(Locale.ROOT, "C*k^2/(H'W') = %.3g; rule picks %s", (double) cin * k * k / (ho * ho), pick));
			double bestLowered = java.util.Arrays.stream(best, 1, best.length).min().orElseThrow();
			out.add(new Measurement(String.format(Locale.ROOT, "%d->%d @%d k%d s%d", cin, cout, h, k, s), bestLowered / best[0], "x libtorch time", note.toString()));
		}
		out.add(new Measurement("threshold in force", ratio, "", "numerics " + Numerics.ensure().config().key() + ", batch " + batch
			+ ", 2x2 kernels " + NumericsPolicy.ratio(NumericsConfig.active(), 2)));
		return out;
	}
}
