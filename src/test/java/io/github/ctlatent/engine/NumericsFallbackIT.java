package io.github.ctlatent.engine;

import io.github.ctlatent.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The self-check and its fallback as an affected CPU would see them, on any CPU: fresh JVMs are told that some
 * configurations compute wrong numbers ({@link Numerics#FAULT}); they must notice, pick a correct configuration
 * before their first convolution (oneDNN's own verbose log shows the instruction set it was capped to), refuse
 * heavy work when nothing is correct, and train reproducibly on the fallback.
 */
class NumericsFallbackIT {

	@TempDir
	Path dir;

	@Test
	void wrongOneDnnKernelsAreCaughtAndTheOnlyCorrectConfigurationIsChosenAndCached() throws Exception {
		// on this simulated CPU only the project's BLAS lowering computes correctly; the AVX2 kernels crash the process
		List<String> faults = List.of("-D" + Numerics.FAULT + "=onednn,onednn-aligned,onednn-avx,crash:onednn-avx2,native");
		Result r = java(Map.of(), faults, Main.class, "Latent Explorer System Info");
		assertEquals(0, r.exit, r.out);
		assertTrue(r.out.matches("(?s).*numerics config: +gemm:.*"), r.out);
		assertTrue(r.out.contains("libtorch's default gave wrong numbers"), r.out);
		assertTrue(r.out.matches("(?s).*onednn wrong: .*NaN.*transposed conv [^,]*, weight gradient \\(relative error 0.90\\).*"), r.out);
		assertTrue(r.out.contains("onednn-avx2 wrong: the probe process died (exit 134)"), r.out);
		assertTrue(r.out.contains("onednn-aligned wrong: "), "a candidate, probed like the others: " + r.out);
		// the verdict is cached: a second start applies it without probing again
		Result again = java(Map.of(), faults, Main.class, "Latent Explorer System Info");
		assertTrue(again.out.contains("numerics config:       gemm"), again.out);
		assertTrue(again.seconds < r.seconds, again.seconds + " s vs " + r.seconds + " s");
	}

	@Test
	void aTorchScriptGeneratorTurnsOneDnnOffWhileItIsOpenWhenOnlyPaddingMadeItCorrect() throws Exception {
		// padding reaches only the project's convolutions, not a TorchScript module's (forced: any CPU)
		Result r = java(Map.of(), List.of("-D" + Numerics.SETTING + "=onednn-aligned", "-Dai.djl.pytorch.num_threads=1"), ForeignGenerator.class);
		assertEquals(0, r.exit, r.out);
		assertEquals(List.of("before onednn-aligned oneDNN true", "open native oneDNN false", "second native oneDNN false",
			"one closed native oneDNN false", "closed onednn-aligned oneDNN true"), r.lines("(before|open|second|one closed|closed) .*"), r.out);
		assertTrue(r.out.matches("(?s).*Numerics: the TorchScript generator generator.pt runs its own convolutions, which the check of onednn-aligned does not cover; "
			+ "computing with native \\(checked here in [0-9.]+ s\\) while a module like it is open.*"), r.out);
		List<String> diff = r.lines("max difference to PyTorch .*");
		assertEquals(1, diff.size(), r.out);
		assertTrue(Double.parseDouble(diff.get(0).substring(diff.get(0).lastIndexOf(' ') + 1)) < 1e-5, diff.get(0));
		// gemm's check never ran libtorch's kernel, so it is switched too (oneDNN stays off); native's covers it: left alone
		Result gemm = java(Map.of(), List.of("-D" + Numerics.SETTING + "=gemm", "-Dai.djl.pytorch.num_threads=1"), ForeignGenerator.class);
		assertEquals(List.of("before gemm oneDNN false", "open native oneDNN false", "closed gemm oneDNN false"), gemm.lines("(before|open|closed) .*"), gemm.out);
		Result plain = java(Map.of(), List.of("-D" + Numerics.SETTING + "=native", "-Dai.djl.pytorch.num_threads=1"), ForeignGenerator.class);
		assertTrue(plain.lines("(open|closed) .*").stream().allMatch(l -> l.contains("native oneDNN false")), plain.out);
		assertFalse(plain.out.contains("Numerics: the TorchScript"), plain.out);
	}

	@Test
	void aTorchScriptGeneratorIsRefusedWhenTheSafeConfigurationIsWrongHere() throws Exception {
		List<String> props = List.of("-D" + Numerics.SETTING + "=onednn-aligned", "-D" + Numerics.FAULT + "=native");
		Path png = dir.resolve("s.png");
		Result r = java(Map.of(), props, Main.class, "Generate Samples", "model=" + Path.of("src/test/resources/fixtures/torchscript/generator.pt").toAbsolutePath(),
			"count=2", "png=" + png);
		assertEquals(1, r.exit, r.out);
		assertTrue(r.out.contains("Cannot run the TorchScript generator generator.pt correctly on this CPU: the numerics configuration onednn-aligned is checked for the project's own convolutions only"), r.out);
		assertTrue(r.out.contains("libtorch's own kernels, which would compute it, fail the self-check here"), r.out);
		assertFalse(r.out.contains("Exception"), r.out);
		assertFalse(java.nio.file.Files.exists(png), "nothing written");
	}

	/** Loads the TorchScript fixture twice and reports the process's numerics before, while open and after. */
	public static final class ForeignGenerator {
		public static void main(String[] args) throws Exception {
			Engines.pytorch();
			Path fixture = Path.of("src/test/resources/fixtures/torchscript");
			com.google.gson.JsonObject ref = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(fixture.resolve("reference.json"))).getAsJsonObject();
			report("before");
			try (io.github.ctlatent.model.TorchScriptGenerator g = io.github.ctlatent.model.TorchScriptGenerator.load(fixture.resolve("generator.pt"), ai.djl.Device.cpu());
				ai.djl.ndarray.NDManager it = g.manager().newSubManager()) {
				report("open");
				try (io.github.ctlatent.model.TorchScriptGenerator second = io.github.ctlatent.model.TorchScriptGenerator.load(fixture.resolve("generator.pt"), ai.djl.Device.cpu())) {
					report("second");
				}
				report("one closed");
				float[] z = floats(ref, "latents"), expected = floats(ref, "eval_output");
				float[] y = g.generate(it.create(z, new ai.djl.ndarray.types.Shape(2, 8, 1, 1))).toFloatArray();
				double max = 0;
				for (int i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i] - expected[i]));
				System.out.println("max difference to PyTorch " + max);
			}
			report("closed");
			System.exit(0);
		}

		private static void report(String when) {
			System.out.println(when + " " + NumericsConfig.active().key() + " oneDNN " + NativeSwitches.oneDnnEnabled().orElse(null));
		}

		private static float[] floats(com.google.gson.JsonObject ref, String key) {
			com.google.gson.JsonArray a = ref.getAsJsonArray(key);
			float[] v = new float[a.size()];
			for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
			return v;
		}
	}

	@Test
	void anInstructionSetCapIsAppliedBeforeTheFirstConvolution() throws Exception {
		// forced, so the cap is applied whether or not this CPU computes correctly under it (on Zen 5 it does not)
		Result r = java(Map.of("ONEDNN_VERBOSE", "1"), List.of("-D" + Numerics.SETTING + "=onednn-avx"), Main.class, "Latent Explorer System Info");
		assertEquals(0, r.exit, r.out);
		assertTrue(r.out.matches("(?s).*numerics config: +onednn-avx.*"), r.out);
		List<String> isa = r.lines("onednn_verbose,.*info,cpu,isa:.*");
		assertEquals(1, isa.size(), "this process's oneDNN starts once, capped: " + isa);
		assertTrue(isa.get(0).endsWith("isa:Intel AVX"), isa.get(0));
	}

	@Test
	void aRankingMeasuredOnABusyMachineIsMeasuredAgainAndAQuietRoundSettlesIt() throws Exception {
		String cache = "-D" + Numerics.CACHE + "=" + dir.resolve("rounds.json");
		List<String> busy = List.of(cache, "-D" + Numerics.FAULT + "=onednn", "-D" + Numerics.DISTURBANCE + "=1.4");
		Result first = java(Map.of(), busy, Main.class, "Latent Explorer System Info");
		assertEquals(0, first.exit, first.out);
		assertTrue(first.out.contains("ranking from round 1, disturbance 1.40 (provisional: measured again by the next process)"), first.out);

		List<String> quiet = List.of(cache, "-D" + Numerics.FAULT + "=onednn", "-D" + Numerics.DISTURBANCE + "=0.1");
		Result second = java(Map.of(), quiet, Main.class, "Latent Explorer System Info");
		assertTrue(second.out.contains("Timing libtorch's numerics configurations again: the last ranking was measured on a busy machine"), second.out);
		List<String> why = second.lines("why: .*");
		assertEquals(1, why.size(), second.out);
		assertTrue(why.get(0).endsWith("ranking from round 2, disturbance 0.10"), why.get(0));

		Result third = java(Map.of(), quiet, Main.class, "Latent Explorer System Info");
		assertFalse(third.out.contains("Timing libtorch's"), "settled: applied from the cache\n" + third.out);
		assertTrue(third.out.contains("ranking from round 2, disturbance 0.10"), third.out);
		assertTrue(third.seconds < second.seconds, third.seconds + " s vs " + second.seconds + " s");
	}

	@Test
	void nothingCorrectMeansHeavyWorkIsRefusedWithTheCpuNamed() throws Exception {
		List<String> allWrong = List.of("-D" + Numerics.FAULT + "=all");
		Result info = java(Map.of(), allWrong, Main.class, "Latent Explorer System Info");
		assertEquals(0, info.exit, info.out);
		assertTrue(info.out.contains("numerics check:        FAILED"), info.out);
		Result samples = java(Map.of(), allWrong, Main.class, "Generate Samples", "model=" + Path.of("models/phantom-gan").toAbsolutePath(),
			"count=2", "png=" + dir.resolve("s.png"));
		assertEquals(1, samples.exit, samples.out);
		assertTrue(samples.out.contains("libtorch computes wrong numbers on this CPU (" + CpuIdentity.describe()), samples.out);
		assertFalse(samples.out.contains("Exception"), samples.out);
	}

	@ParameterizedTest
	@ValueSource(strings = {"gemm", "native"})
	void theForcedFallbacksTrainFiniteAndReproduciblyWithoutOneDnn(String config) throws Exception {
		List<String> forced = List.of("-D" + Numerics.SETTING + "=" + config, "-Dai.djl.pytorch.num_threads=1");
		Result first = java(Map.of("ONEDNN_VERBOSE", "1"), forced, ThreeGanSteps.class), second = java(Map.of(), forced, ThreeGanSteps.class);
		assertEquals(0, first.exit, first.out);
		List<String> losses = first.lines("losses .*");
		assertEquals(3, losses.size(), first.out);
		assertFalse(losses.toString().contains("NaN"), losses.toString());
		assertEquals(losses, second.lines("losses .*"), "same seed, same numbers");
		assertTrue(first.lines("onednn_verbose.*convolution.*").isEmpty(), "oneDNN ran a convolution: " + first.out);
	}

	/** Three CPU-preset GAN iterations on a fixed batch, through the training task users run. */
	public static final class ThreeGanSteps {
		public static void main(String[] args) {
			Engines.pytorch();
			try (io.github.ctlatent.train.GanTask task = new io.github.ctlatent.train.GanTask(io.github.ctlatent.model.DcganConfig.cpuDefault(), ai.djl.Device.cpu(), 7);
				ai.djl.ndarray.NDManager m = Engines.pytorch().newBaseManager(ai.djl.Device.cpu())) {
				ai.djl.ndarray.NDArray x = m.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(8, 1, 64, 64));
				java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
				for (int i = 0; i < 3; i++)
					try (ai.djl.ndarray.NDManager it = m.newSubManager()) {
						System.out.println("losses " + task.step(it, x, rng));
					}
			}
			System.exit(0);
		}
	}

	private record Result(int exit, String out, double seconds) {
		List<String> lines(String regex) {
			List<String> l = new ArrayList<>();
			for (String s : out.split("\n")) if (s.matches(regex)) l.add(s);
			return l;
		}
	}

	/** A fresh JVM on this test's class path with its own numerics cache (unless {@code props} names one). */
	private Result java(Map<String, String> env, List<String> props, Class<?> main, String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
			"-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Dslf4j.internal.verbosity=ERROR"));
		if (props.stream().noneMatch(p -> p.startsWith("-D" + Numerics.CACHE + "=")))
			cmd.add("-D" + Numerics.CACHE + "=" + dir.resolve("numerics-" + String.join("", props).hashCode() + ".json"));
		cmd.addAll(props);
		cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().remove("ONEDNN_MAX_CPU_ISA");
		pb.environment().putAll(env);
		long t0 = System.nanoTime();
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(300, TimeUnit.SECONDS));
		return new Result(p.exitValue(), out, (System.nanoTime() - t0) / 1e9);
	}
}
