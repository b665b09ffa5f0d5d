package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Convolutions;
import io.github.ctlatent.engine.NumericsConfig;
import io.github.ctlatent.engine.NumericsPolicy;
import io.github.ctlatent.engine.NumericsPolicy.ConvBackend;
import io.github.ctlatent.engine.NumericsPolicy.TransposedMethod;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvolutionsTest {

	/** Every shape the models use: 4×4 s2 p1, 3×3 s1 p1, the phase 2×2 p1, the heads 4×4 s1 p0 and 4×4 s4 p0. */
	private static final int[][] SHAPES = { // n, cin, h, w, cout, k, stride, pad
		{3, 5, 8, 8, 7, 4, 2, 1}, {2, 4, 9, 7, 6, 3, 1, 1}, {2, 6, 5, 5, 12, 2, 1, 1}, {2, 8, 4, 4, 1, 4, 1, 0}, {2, 3, 8, 8, 5, 4, 4, 0}};

	@Test
	void theBlasLoweringComputesWhatLibtorchComputesForwardAndBackward() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			for (int[] c : SHAPES) {
				// given one input, weight, bias and output gradient
				NDArray x = m.randomNormal(new Shape(c[0], c[1], c[2], c[3]));
				NDArray w = m.randomNormal(new Shape(c[4], c[1], c[5], c[5]));
				NDArray b = m.randomNormal(new Shape(c[4]));
				// libtorch's kernel as this process's configuration gives it this layer (padded where it pads output tails:
				// unpadded, AMD Zen 5's full-width oneDNN gets these tailed layers wrong, docs/numerics.md)
				ConvBackend reference = NumericsPolicy.backendsFor(NumericsConfig.active(), c[4]).contains(ConvBackend.LIBTORCH_PADDED)
					? ConvBackend.LIBTORCH_PADDED : ConvBackend.LIBTORCH;
				NDArray[] lib = run(x, w, b, c[6], c[7], reference);
				for (ConvBackend lowering : new ConvBackend[] {ConvBackend.GEMM, ConvBackend.GEMM_ROWS, ConvBackend.LIBTORCH_PADDED}) {
					// when the same convolution is lowered to a gather and a matrix product (columns or rows)
					NDArray[] gemm = run(x, w, b, c[6], c[7], lowering);
					// then output and all three gradients agree to float precision
					assertEquals(lib[0].getShape(), gemm[0].getShape());
					for (int i = 0; i < lib.length; i++) {
						double err = gemm[i].sub(lib[i]).abs().max().getFloat() / lib[i].abs().max().getFloat();
						assertTrue(err < 1e-5, lowering + " " + java.util.Arrays.toString(c) + " result " + i + ": relative error " + err);
					}
				}
			}
		}
	}

	@Test
	void oneOutputChannelOnFourByFourBlocksIsTheSameConvolution() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			// the VAE's output layer (8 -> 1, 3x3), a non-square image, a 5x5 and a 1x1 kernel, and two outputs
			for (int[] c : new int[][] {{2, 8, 8, 12, 1, 3, 1}, {3, 3, 4, 8, 1, 5, 2}, {2, 5, 8, 4, 1, 1, 0}, {2, 4, 8, 8, 2, 3, 1}}) { // n, cin, h, w, cout, k, pad
				// given an input, weight and bias
				NDArray x = m.randomNormal(new Shape(c[0], c[1], c[2], c[3]));
				NDArray w = m.randomNormal(new Shape(c[4], c[1], c[5], c[5]));
				NDArray b = m.randomNormal(new Shape(c[4]));
				// when the convolution runs on blocks and as the BLAS lowering
				NDArray[] blocks = run(x, w, b, (xx, ww, bb) -> Convolutions.blocked(xx, ww, bb, c[6]));
				NDArray[] gemm = run(x, w, b, 1, c[6], ConvBackend.GEMM);
				// then output and all three gradients agree to float precision
				assertEquals(gemm[0].getShape(), blocks[0].getShape());
				for (int i = 0; i < gemm.length; i++) {
					double err = blocks[i].sub(gemm[i]).abs().max().getFloat() / gemm[i].abs().max().getFloat();
					assertTrue(err < 1e-5, java.util.Arrays.toString(c) + " result " + i + ": relative error " + err);
				}
			}
			// and sizes blocks cannot take (stride 2, a side not a multiple of 4) are refused, so the backend pads instead
			assertTrue(!Convolutions.blockable(new Shape(2, 8, 8, 8), new Shape(1, 8, 3, 3), 2, 1));
			assertTrue(!Convolutions.blockable(new Shape(2, 8, 9, 8), new Shape(1, 8, 3, 3), 1, 1));
			assertTrue(Convolutions.blockable(new Shape(2, 8, 64, 64), new Shape(1, 8, 3, 3), 1, 1));
		}
	}

	@Test
	void theVaeUpBlocksFoldedConvolutionIsTheConvolutionOfTheUpsampledImage() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			for (int[] c : new int[][] {{2, 3, 1, 1, 4}, {2, 5, 4, 3, 6}, {1, 8, 7, 7, 8}}) { // n, cin, h, w, cout (1 px: the decoder's first block)
				// given an input, a 3x3 weight and a bias
				NDArray x = m.randomNormal(new Shape(c[0], c[1], c[2], c[3]));
				NDArray w = m.randomNormal(new Shape(c[4], c[1], 3, 3));
				NDArray b = m.randomNormal(new Shape(c[4]));
				// when the up block's convolution is computed on x (folded 2x2 phase kernels) and the textbook way
				NDArray[] textbook = run(x, w, b, (xx, ww, bb) -> Convolutions.conv2d(ResidualBlock.upsampleNearest(xx), ww, bb, 1, 1));
				// (by the phases, and by libtorch's transposed convolution with the taps folded into its layout)
				for (TransposedMethod method : TransposedMethod.values()) {
					NDArray[] folded = run(x, w, b, (xx, ww, bb) -> ResidualBlock.convOfUpsampled(xx, ww, bb, method));
					// then output and gradients agree
					assertEquals(textbook[0].getShape(), folded[0].getShape());
					for (int i = 0; i < folded.length; i++) {
						double err = folded[i].sub(textbook[i]).abs().max().getFloat() / textbook[i].abs().max().getFloat();
						assertTrue(err < 1e-5, method + " " + java.util.Arrays.toString(c) + " result " + i + ": relative error " + err);
					}
				}
			}
		}
	}

	/**
	 * Regression (issue 24's NaN runs): the fold matrix was made from a Java array, which libtorch uses in place, and
	 * closed after the forward pass while the autograd graph still read it in the backward pass: once the garbage
	 * collector had freed the array's memory, the weight gradients were whatever that memory held next, and VAE
	 * training went NaN at a random iteration. A collection between forward and backward must change nothing.
	 */
	@Test
	void theFoldedWeightGradientSurvivesAGarbageCollectionBetweenForwardAndBackward() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			// given an up block's input, 3x3 weight and bias, and its gradients computed without a collection in between
			NDArray x = m.randomNormal(new Shape(2, 3, 4, 4));
			NDArray w = m.randomNormal(new Shape(4, 3, 3, 3));
			NDArray b = m.randomNormal(new Shape(4));
			for (TransposedMethod method : TransposedMethod.values()) {
				NDArray[] quiet = run(x, w, b, (xx, ww, bb) -> ResidualBlock.convOfUpsampled(xx, ww, bb, method), () -> {});
				// when the JVM collects garbage (and frees unreachable native buffers) between forward and backward
				NDArray[] collected = run(x, w, b, (xx, ww, bb) -> ResidualBlock.convOfUpsampled(xx, ww, bb, method), GraphConstantsTest::collectGarbage);
				// then output and gradients are the same numbers
				for (int i = 0; i < quiet.length; i++)
					assertEquals(0f, collected[i].sub(quiet[i]).abs().max().getFloat(), method + " result " + i + " changed after a garbage collection");
			}
		}
	}

	interface Op {
		NDArray apply(NDArray x, NDArray w, NDArray b);
	}

	private static NDArray[] run(NDArray x0, NDArray w0, NDArray b0, int stride, int pad, ConvBackend backend) {
		return run(x0, w0, b0, (x, w, b) -> Convolutions.conv2d(x, w, b, stride, pad, backend));
	}

	/** Output, then the gradients of Σ out·g with respect to x, w and b. */
	private static NDArray[] run(NDArray x0, NDArray w0, NDArray b0, Op op) {
		return run(x0, w0, b0, op, () -> {});
	}

	/** As above, with {@code betweenForwardAndBackward} run after the forward pass. */
	private static NDArray[] run(NDArray x0, NDArray w0, NDArray b0, Op op, Runnable betweenForwardAndBackward) {
		NDArray x = x0.duplicate(), w = w0.duplicate(), b = b0.duplicate();
		for (NDArray a : new NDArray[] {x, w, b}) a.setRequiresGradient(true);
		NDArray out;
		try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
			out = op.apply(x, w, b);
			betweenForwardAndBackward.run();
			gc.backward(out.mul(out.onesLike().cumSum(3)).sum()); // a non-uniform output gradient
		}
		return new NDArray[] {out.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()};
	}
}
