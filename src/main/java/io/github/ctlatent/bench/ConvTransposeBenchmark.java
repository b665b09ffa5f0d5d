package io.github.ctlatent.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import io.github.ctlatent.engine.TransposedConvolutions;
import org.scijava.plugin.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Forward + backward time of the phase-decomposed transposed convolution at the paper generator's layer shapes,
 * against a plain conv2d doing exactly the same multiply-adds (C_in → C_out, 4×4 kernel, pad 2: (H+1)² outputs
 * per channel, like the phase conv), against the phase conv alone (the cost of depth-to-space and crop) and
 * against libtorch's own transposed convolution (with the stored phase weight rearranged per call, as the generators
 * would run it, and with a weight in its own layout, as the VAE's up blocks fold theirs; which method the numerics
 * configuration in force picks is printed) and against the textbook zero-insertion construction.
 * Batch: -Dbench.batch (default 16); layers: -Dbench.layers=paper (default), cpu-gan, vae or cpu-vae.
 */
@Plugin(type = Benchmark.class, name = "conv-transpose", description = "phase transposed conv vs libtorch's vs equal-MAC conv2d vs zero insertion (fwd+bwd)")
public class ConvTransposeBenchmark implements Benchmark {

	static final int[][] LAYERS = {{2048, 1024, 4}, {1024, 512, 8}, {512, 256, 16}, {256, 128, 32}, {128, 1, 64}};
	/** The CPU-preset generator's layers (run with -Dbench.batch=64, that preset's batch). */
	static final int[][] CPU_GAN_LAYERS = {{256, 128, 4}, {128, 64, 8}, {64, 32, 16}, {32, 1, 32}};
	/** The paper VAE's up blocks (nearest ×2 + 3×3, folded into this layer's arrangement): C_in → C_out at the input size. */
	static final int[][] VAE_LAYERS = {{16, 32, 64}, {64, 32, 64}, {32, 64, 32}, {128, 64, 32}, {64, 128, 16}, {256, 128, 16}, {128, 256, 8}, {512, 256, 8}};
	/** The CPU-preset VAE's up blocks from 8² on (run with -Dbench.batch=64). */
	static final int[][] CPU_VAE_LAYERS = {{4, 8, 32}, {16, 8, 32}, {8, 16, 16}, {32, 16, 16}, {16, 32, 8}, {64, 32, 8}};

	@Override
	public List<Measurement> run(Monitor monitor) {
		Engines.pytorch();
		int batch = Integer.getInteger("bench.batch", 16);
		double ceiling = Benchmarks.matmulCeiling();
		List<Measurement> out = new ArrayList<>();
		for (int[] l : Benchmarks.layerSet(LAYERS, CPU_GAN_LAYERS, VAE_LAYERS, CPU_VAE_LAYERS)) {
			monitor.checkCanceled();
			int cin = l[0], cout = l[1], h = l[2];
			String shape = cin + "->" + cout + " @" + h + "^2";
			List<Variant> variants = List.of(
				new Variant(new Shape(4L * cout, cin, 2, 2), (x, w) -> TransposedConvolutions.apply(x, w, TransposedMethod.PHASES)),
				new Variant(new Shape(4L * cout, cin, 2, 2), (x, w) -> TransposedConvolutions.apply(x, w, TransposedMethod.LIBTORCH)),
				new Variant(new Shape(cin, cout, 4, 4), TransposedConvolutions::libtorch),
				new Variant(new Shape(cout, cin, 4, 4), (x, w) -> Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(2, 2)).singletonOrThrow()),
				new Variant(new Shape(4L * cout, cin, 2, 2), (x, w) -> Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow()),
				new Variant(new Shape(cin, cout, 4, 4), TransposedConvolutions::zeroInsertionReference));
			double[] best = time(batch, cin, h, variants);
			double phase = best[0], libtorch = best[1], ownLayout = best[2], conv = best[3], bare = best[4], zeros = best[5];
			double flops = 3 * 2.0 * batch * cin * cout * 16 * (h + 1.0) * (h + 1); // fwd + 2 bwd products
			out.add(new Measurement("phase " + shape, phase * 1e3, "ms", String.format(
				"%.2fx equal-MAC conv2d 4x4 (%.1f ms); %.2fx its own conv without depth-to-space; %.0f%% of matmul ceiling",
				phase / conv, conv * 1e3, phase / bare, 100 * flops / phase / ceiling)));
			Shape xs = new Shape(batch, cin, h, h), ws = new Shape(4L * cout, cin, 2, 2);
			out.add(new Measurement("libtorch " + shape, libtorch * 1e3, "ms", String.format("%.2fx the phases (stored weight rearranged per call, the generators); this configuration picks %s",
				libtorch / phase, TransposedConvolutions.methodFor(xs, ws, false))));
			out.add(new Measurement("libtorch, weight in its layout " + shape, ownLayout * 1e3, "ms", String.format("%.2fx the phases (as the VAE's up blocks fold it); this configuration picks %s",
				ownLayout / phase, TransposedConvolutions.methodFor(xs, ws, true))));
			out.add(new Measurement("zero insertion " + shape, zeros * 1e3, "ms", String.format("%.2fx equal-MAC conv2d", zeros / conv)));
		}
		return out;
	}

	/** An implementation to time: weight shape and the operation. */
	record Variant(Shape weightShape, BiFunction<NDArray, NDArray, NDArray> op) {}

	/**
	 * Best forward+backward time (seconds) of each variant over 3 rounds after a warm-up round; the variants
	 * alternate within a round so that load from other processes hits them alike. Input and weight need gradients.
	 */
	static double[] time(int batch, int cin, int h, List<Variant> variants) {
		double[] best = new double[variants.size()];
		java.util.Arrays.fill(best, Double.MAX_VALUE);
		try (NDManager m = NDManager.newBaseManager()) {
			List<NDArray> weights = new ArrayList<>();
			for (Variant v : variants) {
				NDArray w = m.randomNormal(0f, 0.02f, v.weightShape(), ai.djl.ndarray.types.DataType.FLOAT32);
				w.setRequiresGradient(true);
				weights.add(w);
			}
			for (int round = 0; round < 4; round++) {
				for (int i = 0; i < variants.size(); i++) {
					try (NDManager it = m.newSubManager()) {
						NDArray x = it.randomNormal(new Shape(batch, cin, h, h));
						x.setRequiresGradient(true);
						long t0 = System.nanoTime();
						try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
							gc.backward(variants.get(i).op().apply(x, weights.get(i)).sum());
						}
						try (NDArray g = x.getGradient()) {
							g.getFloat(0, 0, 0, 0); // forces completion
						}
						if (round > 0) best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e9);
					}
				}
			}
		}
		return best;
	}
}
