package io.github.ctlatent.evaluate;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.CurvedPath;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.WalkPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The measurement behind docs/results-evaluation.md "Curved walks": for the prior SeFa and Voynov–Babenko seed-1 sets
 * in {@code -Dbars.dir} (both shipped models), the directions their default-settings reports highlight in 3D (oracle ẑ
 * and nearest slice), walked as the evaluation walks them (M = 8 base codes of seed 1, for the VAE the last 4 posterior
 * means of held-out reference slices; 17 frames over ±3) four ways: plain ({@link WalkReader}), even steps, curved path,
 * curved path with even steps ({@link EvenWalks}). Also how far the curved paths turn. {@code -Dbars.sets=sefa,voynov-1}
 * chooses the sets, {@code -Dbars.path=curved|projected} the curved kind, {@code -Dbars.rank=} how many local singular vectors the curved paths may follow (default 8). Slow-tagged (tens of minutes on one loaded core).
 */
@Tag("slow")
class CurvedWalksBarsTest {

	static final Path BARS = EvenStepsBarsTest.BARS;

	@Test
	void plainEvenCurvedAndCurvedEvenWalksOfTheHighlightedDirections() throws Exception {
		Evaluation.Settings s = Evaluation.Settings.defaults();
		int rank = Integer.getInteger("bars.rank", WalkPath.DEFAULT_RANK); // local singular vectors a curved path may follow
		WalkPath path = WalkPath.parse(System.getProperty("bars.path", "curved"), rank);
		SliceSet ref = SliceSet.open(BARS.resolve("slices64"));
		Map<String, String> reports = Map.of("sefa", "sefa--", "pca", "pca--", "voynov-1", "voynov_proj_K8-1", "voynov-2", "voynov_proj_K8-2", "voynov-3", "voynov_proj_K8-3");
		StringBuilder md = new StringBuilder("| model | set | reading | direction | plain: \\|ρ\\|, step CV, span | even steps | curved | curved + even steps | meets bar (oracle ẑ) | "
			+ "curved turn °, +/− half, base 1 | seconds |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (String m : System.getProperty("bars.models", "gan,vae").split(",")) {
			float[][] bases = WalkReader.bases(32, s.bases(), s.seed());
			try (Generator g = Models.load(Path.of("models/phantom-" + m), Device.cpu()); FactorOracle o = FactorOracle.load(Path.of("models/phantom-oracle"), Device.cpu())) {
				float[][] post = EvaluationBarsTest.posterior(m, ref, s);
				if (post != null) for (int b = 0; b < post.length; b++) bases[s.bases() - 1 - b] = post[b];
				int z = o.config().indexOf("z");
				double[] shifts = WalkReader.shifts(s.radius(), s.frames3d() / 2);
				for (String set : System.getProperty("bars.sets", "sefa,voynov-1").split(",")) {
					DirectionSet ds = DirectionSet.load(BARS.resolve(m + "-" + set).resolve("directions.json"));
					ds.requireGenerator(g);
					Directions dirs = Directions.of(ds);
					String summary = Files.readString(BARS.resolve("reports").resolve(m + "-" + reports.get(set)).resolve(EvaluationReport.SUMMARY));
					int kz = EvenStepsBarsTest.highlighted(summary, "oracle z"), kn = EvenStepsBarsTest.highlighted(summary, "nearest slice");
					// the bar is on the oracle's ẑ: by default only its direction is walked (-Dbars.nearest=true adds the nearest-slice one)
					Set<Integer> ks = new LinkedHashSet<>(Boolean.getBoolean("bars.nearest") ? List.of(kz, kn) : List.of(kz));
					for (int k : ks) {
						long t0 = System.nanoTime();
						Structure3d.Track plainZ, plainN;
						try (NearestSlice near = new NearestSlice(ref, s.referenceSlices(), 1, bases.length, shifts.length)) {
							Walks w = WalkReader.read(g, o, single(dirs, k), bases, shifts, near, Monitor.NONE);
							plainZ = Structure3d.tracks(shifts, Structure3d.oraclePosition(w, o.config(), z), null)[0];
							plainN = Structure3d.tracks(shifts, near.positions(), near.correlations())[0];
						}
						Map<EvenWalks.Kind, EvenWalks.Tracks> other = EvenWalks.read(g, o, dirs, k, bases, shifts, z, ref, s, List.of(EvenWalks.Kind.values()), path, Monitor.NONE);
						double[] turn = turns(g, dirs, k, bases, s.radius(), path);
						double seconds = (System.nanoTime() - t0) / 1e9;
						for (boolean oracleReading : new boolean[] {true, false}) {
							if (oracleReading ? k != kz : k != kn) continue;
							Structure3d.Track plain = oracleReading ? plainZ : plainN;
							List<Structure3d.Track> row = new ArrayList<>(List.of(plain));
							for (EvenWalks.Kind q : EvenWalks.Kind.values()) row.add(oracleReading ? other.get(q).oracle() : other.get(q).slices());
							StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %s | d%d", m.toUpperCase(Locale.ROOT), set, oracleReading ? "oracle ẑ" : "nearest slice", k));
							StringBuilder bar = new StringBuilder();
							for (int i = 0; i < row.size(); i++) {
								Structure3d.Track t = row.get(i);
								line.append(String.format(Locale.ROOT, " | %.2f, %.2f, %.0f%%", t.absRho(), t.stepCv(), 100 * t.span()));
								Structure3d.Bar even = Structure3d.Bar.EVEN; // the column asks for its figures, not for chance (no random walks here)
								if (oracleReading && t.absRho() >= even.minRho && t.stepCv() <= even.maxStepCv && t.span() >= even.minSpan) bar.append(bar.isEmpty() ? "" : ", ").append(i == 0 ? "plain" : EvenWalks.Kind.values()[i - 1].label);
								assertEquals(i == 0 ? 0 : k, t.direction(), "plain tracks are numbered in the one-direction set walked");
								assertTrue(t.span() >= 0 && t.span() <= 1 && t.absRho() <= 1);
							}
							line.append(String.format(Locale.ROOT, " | %s | %.0f/%.0f | %.0f |%n", oracleReading ? (bar.isEmpty() ? "no" : bar) : "–", turn[0], turn[1], seconds));
							System.out.print(line);
							md.append(line);
						}
					}
				}
			}
		}
		Files.writeString(Path.of("target/curved-walks-bars-" + path.key() + "-rank" + rank + ".md"), md.toString());
		System.out.println(md);
	}

	/** How far each half of the curved path from the first base turns from the straight direction (degrees): one base, as every path costs 48 local bases. */
	private static double[] turns(Generator g, Directions dirs, int k, float[][] bases, double radius, WalkPath path) {
		CurvedPath c = CurvedPath.follow(g, dirs, k, bases[0], radius, path, Monitor.NONE);
		return new double[] {c.turn(0), c.turn(1)};
	}

	private static Directions single(Directions dirs, int k) {
		return new Directions() {
			public int count() { return 1; }
			public int latentDim() { return dirs.latentDim(); }
			public float[] shift(int i, float eps) { return dirs.shift(k, eps); }
		};
	}
}
