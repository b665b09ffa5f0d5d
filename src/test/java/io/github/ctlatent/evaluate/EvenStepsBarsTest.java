package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.EvenSteps;
import io.github.ctlatent.traverse.Traversal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The measurement behind docs/results-evaluation.md "Even steps": for each prior direction set in {@code -Dbars.dir}
 * (gan-sefa, gan-pca, gan-voynov-1…3 and the same for the VAE), the direction its default-settings report
 * highlights in 3D (oracle ẑ and nearest slice) is walked as the evaluation walks it — M = 8 base codes of seed 1
 * (for the VAE the last 4 are posterior means of held-out reference slices), 17 frames over ±3 — with equal shift
 * steps ({@link WalkReader}, as {@link Evaluation} does) and with frames at equal image change ({@link EvenWalks}).
 * Slow-tagged (a minute or two on one core).
 */
@Tag("slow")
class EvenStepsBarsTest {

	static final Path BARS = Path.of(System.getProperty("bars.dir", "target/bars"));

	@Test
	void plainAndEvenStepsOfTheHighlightedDirections() throws Exception {
		Evaluation.Settings s = Evaluation.Settings.defaults();
		SliceSet ref = SliceSet.open(BARS.resolve("slices64"));
		StringBuilder md = new StringBuilder("| model | set | reading | direction | plain: \\|ρ\\|, step CV, span | even steps: \\|ρ\\|, step CV, span | plain walk's image-change step CV | largest frame move (shift units) |\n|---|---|---|---|---|---|---|---|\n");
		for (String m : new String[] {"gan", "vae"}) {
			float[][] bases = WalkReader.bases(32, s.bases(), s.seed());
			try (Generator g = Models.load(Path.of("models/phantom-" + m), Device.cpu()); FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
				if (m.equals("vae")) {
					float[][] post = EvaluationBarsTest.posterior("vae", ref, s);
					for (int b = 0; b < post.length; b++) bases[s.bases() - 1 - b] = post[b];
				}
				int z = o.config().indexOf("z");
				double[] shifts = WalkReader.shifts(s.radius(), s.frames3d() / 2);
				for (String[] set : new String[][] {{"sefa", "sefa--"}, {"pca", "pca--"}, {"voynov-1", "voynov_proj_K8-1"}, {"voynov-2", "voynov_proj_K8-2"},
					{"voynov-3", "voynov_proj_K8-3"}}) {
					DirectionSet ds = DirectionSet.load(BARS.resolve(m + "-" + set[0]).resolve("directions.json"));
					ds.requireGenerator(g);
					Directions dirs = Directions.of(ds);
					String summary = Files.readString(BARS.resolve("reports").resolve(m + "-" + set[1]).resolve(EvaluationReport.SUMMARY));
					int kz = highlighted(summary, "oracle z"), kn = highlighted(summary, "nearest slice");
					for (int[] which : new int[][] {{kz, 0}, {kn, 1}}) {
						int k = which[0];
						boolean oracleReading = which[1] == 0;
						Directions one = single(dirs, k);
						Structure3d.Track plain;
						try (NearestSlice near = new NearestSlice(ref, s.referenceSlices(), 1, bases.length, shifts.length)) {
							Walks w = WalkReader.read(g, o, one, bases, shifts, near, Monitor.NONE);
							plain = oracleReading ? Structure3d.tracks(shifts, Structure3d.oraclePosition(w, o.config(), z), null)[0]
								: Structure3d.tracks(shifts, near.positions(), near.correlations())[0];
						}
						EvenWalks.Tracks even = EvenWalks.read(g, o, dirs, k, bases, shifts, oracleReading ? z : -1, oracleReading ? null : ref, s, Monitor.NONE);
						Structure3d.Track e = oracleReading ? even.oracle() : even.slices();
						double[] pace = pace(g, dirs, k, bases, shifts);
						String line = String.format(Locale.ROOT, "| %s | %s | %s | d%d | %.2f, %.2f, %.0f%% | %.2f, %.2f, %.0f%% | %.2f | %.2f |%n", m.toUpperCase(Locale.ROOT), set[0],
							oracleReading ? "oracle ẑ" : "nearest slice", k, plain.absRho(), plain.stepCv(), 100 * plain.span(), e.absRho(), e.stepCv(), 100 * e.span(),
							pace[0], pace[1]);
						System.out.print(line);
						md.append(line);
						assertEquals(k, e.direction());
						assertTrue(e.span() >= 0 && e.span() <= 1 && e.absRho() <= 1);
					}
				}
			}
		}
		Files.writeString(Path.of("target/even-steps-bars.md"), md.toString());
		System.out.println(md);
	}

	/**
	 * How uneven the plain walk's pace is, medians over the bases: the step CV of the image change (RMS pixel
	 * difference) between its frames, and the largest distance of an even frame from its linear place (shift units).
	 */
	private static double[] pace(Generator g, Directions dirs, int k, float[][] bases, double[] shifts) {
		Traversal.Range range = new Traversal.Range(-shifts[0], shifts.length);
		double[] fine = EvenSteps.fineShifts(range), cv = new double[bases.length], move = new double[bases.length];
		for (int b = 0; b < bases.length; b++) {
			double[] cum = EvenSteps.arcLength(g, dirs, k, bases[b], fine, Monitor.NONE);
			double[] atFrames = new double[shifts.length];
			for (int t = 0; t < shifts.length; t++) atFrames[t] = cum[t * EvenSteps.OVERSAMPLING];
			cv[b] = Stats.stepCv(atFrames);
			double[] even = EvenSteps.place(fine, cum, shifts.length);
			for (int t = 0; t < shifts.length; t++) move[b] = Math.max(move[b], Math.abs(even[t] - shifts[t]));
		}
		return new double[] {Stats.median(cv), Stats.median(move)};
	}

	/** The direction a report's 3D line for {@code reading} highlights. */
	static int highlighted(String summary, String reading) {
		Matcher m = Pattern.compile("3D \\(" + Pattern.quote(reading) + "\\): direction (\\d+):").matcher(summary);
		assertTrue(m.find(), "no 3D line for " + reading);
		return Integer.parseInt(m.group(1));
	}

	private static Directions single(Directions dirs, int k) {
		return new Directions() {
			public int count() { return 1; }
			public int latentDim() { return dirs.latentDim(); }
			public float[] shift(int i, float eps) { return dirs.shift(k, eps); }
		};
	}
}
