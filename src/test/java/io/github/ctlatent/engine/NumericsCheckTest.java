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

	/** A tailed case of the check: its name and output channels. */
	private record TailCase(String name, long out) {}

	@Test
	void channelTailsAreCheckedAndRunOnlyWhereTheConfigurationSendsThem() {
		// the check has the shapes AMD Zen 5's oneDNN got wrong while every other case passed: channel tails
		NumericsCheck.Result r = NumericsCheck.run(false);
		java.util.List<String> names = r.comparisons().stream().map(NumericsCheck.Comparison::what).toList();
		for (TailCase t : java.util.List.of(new TailCase("conv 3x3 12->12 (channel tails)", 12),
			new TailCase("conv 3x3 8->8 (half-register channels)", 8), new TailCase("conv 3x3 16->1 (output layer)", 1))) {
			java.util.List<String> backends = NumericsPolicy.backendsFor(NumericsConfig.active(), t.out()).stream()
				.map(b -> b.name().toLowerCase(java.util.Locale.ROOT)).toList();
			for (String b : backends) assertTrue(names.contains(t.name() + " [" + b + "], input gradient"), t.name() + " [" + b + "]: " + names);
			// and on no other backend (for onednn-aligned: a tail meets oneDNN only padded); 2 runs × 3 results each
			assertEquals(backends.size() * 2 * 3, names.stream().filter(n -> n.startsWith(t.name() + " [")).count(), t.name() + ": " + names);
		}
	}

	@Test
	void aSumThatCancelledIsJudgedAgainstTheSizeOfItsTermsButAWrongOneIsStillCaught() {
		// given a bias gradient of one channel whose 2048 terms of size 1 summed to 0.01, computed with float rounding
		double[] reference = {0.01};
		float[] rounded = {(float) (0.01 + 2e-6)}, wrong = {(float) (0.01 + 0.05)};
		// when judged against itself the rounding looks like a 2e-4 error; against the terms' size (√2048 ≈ 45) it is none
		assertTrue(NumericsCheck.relativeError(rounded, reference) > NumericsCheck.TOLERANCE);
		assertTrue(NumericsCheck.relativeError(rounded, reference, Math.sqrt(2048)) < 1e-7);
		// and a kernel that gets the sum wrong by a twentieth of a term still fails
		assertTrue(NumericsCheck.relativeError(wrong, reference, Math.sqrt(2048)) > NumericsCheck.TOLERANCE);
		// while a NaN always fails
		assertTrue(Double.isNaN(NumericsCheck.relativeError(new float[] {Float.NaN}, reference, Math.sqrt(2048))));
	}

	@Test
	void anInjectedWrongGradientAndNaNAreCaught() {
		NumericsCheck.Result r = NumericsCheck.run(true);
		assertFalse(r.passed());
		java.util.List<String> failed = r.comparisons().stream().filter(c -> !c.passed()).map(NumericsCheck.Comparison::what).toList();
		// every path the configuration in use can take is checked, and each corrupted result fails: a NaN in the plain
		// convolution's second forward run on every backend in use, a weight gradient 10× too small in every transposed
		// convolution with every method in use. Which backends those are depends on the configuration this process chose
		// (the fastest correct one, timed on this machine: a loaded machine may pick the pure-GEMM one, without libtorch).
		java.util.List<String> backends = NumericsPolicy.backendsFor(NumericsConfig.active(), 32).stream().map(b -> b.name().toLowerCase(java.util.Locale.ROOT)).toList();
		java.util.List<String> methods = TransposedConvolutions.methodsInUse().stream().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).toList();
		assertFalse(backends.isEmpty() || methods.isEmpty(), backends + " " + methods);
		for (String b : backends) assertTrue(failed.contains("conv 3x3 32->32 [" + b + "], forward (run 2)"), b + ": " + failed);
		for (String t : methods)
			for (String layer : new String[] {"transposed conv 4->3 5x5", "transposed conv 64->32 4x4", "transposed conv 16->1 16x16 (last layer)"}) {
				assertTrue(failed.contains(layer + " [" + t + "], weight gradient"), t + ": " + failed);
				assertTrue(failed.contains(layer + " [" + t + "], weight gradient (run 2)"), t + ": " + failed);
			}
		int expected = backends.size() + 6 * methods.size();
		assertEquals(expected, failed.size(), "only the corrupted results fail: " + failed);
		assertTrue(r.failures().startsWith("conv 3x3 32->32 [" + backends.get(0) + "], forward (run 2) (relative error NaN)"), "worst first: " + r.failures());
		assertTrue(r.failures().endsWith("; " + (expected - 3) + " more"), r.failures());
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
