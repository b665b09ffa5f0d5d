package io.github.ctlatent.engine;

import io.github.ctlatent.engine.ReferenceOps.Dims;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NumericsCheckTest {

	@Test
	void referenceConvolutionIsTheDefinition() {
		// given a 1×1×3×3 image 1..9 and a 2×2 kernel [[1, 0], [0, −1]], stride 1, no padding
		double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w = {1, 0, 0, -1};
		Dims xd = new Dims(1, 1, 3, 3), wd = new Dims(1, 1, 2, 2);
		// then every output is x[i][j] − x[i+1][j+1] = −4
		assertArrayEquals(new double[] {-4, -4, -4, -4}, ReferenceOps.conv2d(x, xd, w, wd, 1, 0));
		// and with padding 1 and stride 2 the first row and column see only the −1 tap: −x[0][0], −x[0][2], −x[2][0]
		assertArrayEquals(new double[] {-1, -3, -7, -4}, ReferenceOps.conv2d(x, xd, w, wd, 2, 1));
	}

	@Test
	void referenceGradientsAreAdjoints() {
		// <conv(x), g> = <x, dL/dx> = <w, dL/dw> for any x, w, g: the three readings of one sum agree
		java.util.Random r = new java.util.Random(3);
		Dims xd = new Dims(2, 3, 7, 6), wd = new Dims(4, 3, 4, 4);
		double[] x = r.doubles(xd.size()).toArray(), w = r.doubles(wd.size()).toArray();
		Dims od = ReferenceOps.outDims(xd, wd, 2, 1);
		double[] g = r.doubles(od.size()).toArray();
		double viaOut = dot(ReferenceOps.conv2d(x, xd, w, wd, 2, 1), g);
		assertEquals(viaOut, dot(ReferenceOps.conv2dInputGrad(g, xd, w, wd, 2, 1), x), 1e-9 * viaOut);
		assertEquals(viaOut, dot(ReferenceOps.conv2dWeightGrad(g, x, xd, wd, 2, 1), w), 1e-9 * viaOut);
	}

	@Test
	void thisProcessComputesCorrectlyAndSaysHow() {
		NumericsCheck.Result r = NumericsCheck.run(false);
		assertTrue(r.passed(), r.failures());
		assertTrue(r.worstError() < 1e-5, "worst " + r.worstError());
		assertTrue(r.comparisons().size() >= 50, "compared " + r.comparisons().size());
		assertTrue(r.comparisons().stream().anyMatch(c -> c.what().startsWith("transposed conv") && c.what().contains("weight gradient")));
		Numerics.Verdict v = Numerics.ensure();
		assertTrue(v.passed(), v.summary());
	}

	@Test
	void anInjectedWrongGradientAndNaNAreCaught() {
		NumericsCheck.Result r = NumericsCheck.run(true);
		assertFalse(r.passed());
		java.util.List<String> failed = r.comparisons().stream().filter(c -> !c.passed()).map(NumericsCheck.Comparison::what).toList();
		// the transposed convolutions are checked with both methods the default configuration uses
		assertTrue(failed.contains("transposed conv 4->3 5x5 [phases], weight gradient"), failed.toString());
		assertTrue(failed.contains("transposed conv 4->3 5x5 [libtorch], weight gradient (run 2)"), failed.toString());
		// the plain convolutions are checked with both backends the default configuration uses
		assertTrue(failed.contains("conv 3x3 32->32 [libtorch], forward (run 2)"), failed.toString());
		assertTrue(failed.contains("conv 3x3 32->32 [gemm], forward (run 2)"), failed.toString());
		assertTrue(failed.contains("conv 3x3 32->32 [gemm_rows], forward (run 2)"), failed.toString());
		assertEquals(15, failed.size(), "only the corrupted results fail: " + failed);
		assertTrue(r.failures().startsWith("conv 3x3 32->32 [libtorch], forward (run 2) (relative error NaN)"), "worst first: " + r.failures());
		assertTrue(r.failures().endsWith("; 12 more"), r.failures());
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
