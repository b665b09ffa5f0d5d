package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.Pace;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.traverse.Directions;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Scoring without a factor oracle, for any CT (docs/evaluation.md §7): what a real scan allows to measure about a
 * direction. Every direction is walked from M base codes over −T…+T in {@code frames3d} frames; every frame is
 * matched with its nearest real slice by NCC ({@link NearestSlice}). Per direction:
 * <ul>
 * <li><b>effect</b> E: mean absolute pixel change per unit shift along the walk (the summed mean |pixel change| of
 * consecutive frames over 2T), in the slice set's intensity units (HU for CT), median over the bases. Summed over
 * the steps rather than taken between the end frames, it does not saturate once the end frames no longer overlap;</li>
 * <li><b>realism</b> R: mean NCC of the frames with their nearest real slice, median over the bases;</li>
 * <li><b>scroll</b> Q: the label-free 3D reading's scroll score |ρ|·span / max(1, step CV) of the nearest slice's
 * position along its volume ({@link Structure3d}), 0 (no scroll) … 1 (a smooth walk through the whole body);</li>
 * <li><b>redundancy</b>: the largest |cosine| between this direction's image-difference fields (end frame minus
 * start frame, over all bases) and another direction's;</li>
 * <li><b>score</b> S = E · max(0, R) · (1 + Q): how much realistic change a unit step makes, doubled for a perfect
 * scroll along the body, so that directions changing anatomy within a slice still rank by their effect;</li>
 * <li><b>significance</b>: S above the 99th percentile of the same score over random orthonormal directions walked
 * from the same bases.</li>
 * </ul>
 * Uses the generator, the directions' shift geometry and real slices only: no labels, no oracle.
 */
public final class LabelFreeScores {

	/** |cos| of two directions' difference fields at or above which the lower-ranked one is called redundant. */
	public static final double REDUNDANT = 0.8;

	/**
	 * Frames rendered at once: well under a second on one busy CPU thread at 64², so a cancel is honoured promptly
	 * (fixed, not sized by time: a frame's last bits depend on the batch it is rendered in). At least one whole walk.
	 */
	private static final int BATCH_FRAMES = 128, NULL_FIELDS = 32;

	private LabelFreeScores() {}

	/** One direction's label-free figures (effect in intensity units per unit shift). */
	public record Entry(int direction, double effect, double realism, Structure3d.Track track, double score, double beats, boolean significant,
		int partner, double redundancy) {

		public double scroll() {
			return LabelFreeScores.scroll(track);
		}
	}

	/**
	 * The same figures over random orthonormal directions from the same bases.
	 *
	 * @param redundancy99 the 99th percentile of |cos| between the difference fields of pairs of random directions
	 */
	public record Null(int directions, double[] scores, double score99, double effect99, double realismMedian, Structure3d.Chance chance,
		double redundancy99) {

		public double beats(double score) {
			long below = Arrays.stream(scores).filter(s -> s < score).count();
			return below / (double) scores.length;
		}
	}

	/**
	 * @param entries   per direction, in direction order
	 * @param ranking   direction indices, best score first
	 * @param sliceStep median mean |pixel change| between adjacent real slices (the scan's own step), same units
	 * @param units     the effect's unit ("HU")
	 * @param redundancy [k][j] |cos| between the difference fields of directions k and j
	 * @param posteriorBases how many of the base codes are VAE posterior means of real slices
	 * @param shifts    the shift of every frame of a walk
	 * @param positions [k][b][t] the nearest real slice's position along its volume (0…1) per frame of every walk: where
	 *                  a walk moves evenly, pauses or jumps
	 */
	public record Result(String name, Evaluation.Settings settings, int posteriorBases, String reference, int referenceSlices, String units, double sliceStep, Entry[] entries,
		int[] ranking, Null nul, double[][] redundancy, java.util.Map<EvenWalks.Kind, Structure3d.Track> walks3d, double[] shifts, double[][][] positions) {

		/** Rank (1 = best) of direction k. */
		public int rank(int k) {
			for (int i = 0; i < ranking.length; i++) if (ranking[i] == k) return i + 1;
			throw new IllegalArgumentException("no direction " + k);
		}

		/** True when a higher-ranked direction does (nearly) the same thing as k. */
		public boolean redundant(int k) {
			Entry e = entries[k];
			return e.partner() >= 0 && e.redundancy() >= REDUNDANT && rank(e.partner()) < rank(k);
		}

		/** The direction with the highest scroll score, and the random directions' chance level beside it. */
		public Evaluation.Reading3d reading3d() {
			Structure3d.Track[] tracks = Arrays.stream(entries).map(Entry::track).toArray(Structure3d.Track[]::new);
			return new Evaluation.Reading3d("nearest slice", tracks, Structure3d.best(tracks), nul.chance(), shifts, positions);
		}
	}

	/** Q of a nearest-slice track: its scroll score, 0 when the position never moves (step CV undefined). */
	public static double scroll(Structure3d.Track t) {
		double q = t.scrollScore();
		return Double.isNaN(q) ? 0 : q;
	}

	/** The score of one direction from its three measurements: S = E · max(0, R) · (1 + Q). */
	public static double score(double effect, double realism, double scroll) {
		if (Double.isNaN(effect) || Double.isNaN(realism) || Double.isNaN(scroll)) return 0;
		return effect * Math.max(0, realism) * (1 + scroll);
	}

	/**
	 * Scores {@code dirs} of {@code g} against the real slices of {@code reference}.
	 *
	 * @param posterior for a VAE, posterior means of real held-out slices replacing the last half of the base codes, or null
	 * @param s         uses bases, radius, frames3d (frames of every walk), random3d (random directions of the null),
	 *                  referenceSlices and seed
	 */
	public static Result score(Generator g, Directions dirs, String name, SliceSet reference, float[][] posterior, Evaluation.Settings s, Monitor monitor) {
		if (reference == null) throw new ExplorerException("Scoring without an oracle needs real slices: give reference=<slice set>.");
		if (reference.size() != g.imageSize())
			throw new ExplorerException("The reference slices are " + reference.size() + "² but the generator makes " + g.imageSize()
				+ "² images. Prepare the reference at the model's size.");
		long t0 = System.nanoTime();
		float[][] bases = WalkReader.bases(g.latentDim(), s.bases(), s.seed());
		int fromPosterior = posterior == null ? 0 : Math.min(posterior.length, s.bases() / 2);
		for (int b = 0; b < fromPosterior; b++) bases[s.bases() - 1 - b] = posterior[b];
		double[] shifts = WalkReader.shifts(s.radius(), s.frames3d() / 2);
		DatasetCard card = reference.card();
		double perUnit = card.preprocessing.toHounsfield(1) - card.preprocessing.toHounsfield(0);
		monitor.log(String.format(Locale.ROOT, "Label-free evaluation of %s: %d directions, %d bases (%d posterior means of real slices), %d frames over ±%.1f, "
			+ "null %d random directions, against %s", name, dirs.count(), bases.length, fromPosterior, shifts.length, s.radius(), s.random3d(), reference.folder()));
		Evaluation.requireSize(dirs.count(), g, 0, s, true, monitor);
		double sliceStep = sliceStep(reference, perUnit);

		Walked set = walk(g, dirs, bases, shifts, reference, s, perUnit, dirs.count(), "walking the directions", monitor);
		String key = g.fingerprint() == null ? null : g.fingerprint() + "|" + reference.folder().toAbsolutePath().normalize() + "|" + s + "|"
			+ s.referenceSlices() + "|" + (fromPosterior > 0 ? Arrays.deepHashCode(posterior) : "-");
		Null nul = key == null ? null : CACHE.get(key);
		if (nul == null) {
			Directions random = Directions.of(WalkReader.randomOrthonormal(g.latentDim(), s.random3d(), s.seed() + 505));
			Walked r = walk(g, random, bases, shifts, reference, s, perUnit, Math.min(NULL_FIELDS, s.random3d()), "walking random directions", monitor);
			double[] scores = new double[r.count()], effects = new double[r.count()], realism = new double[r.count()];
			for (int k = 0; k < r.count(); k++) {
				effects[k] = r.effect[k];
				realism[k] = r.tracks[k].match();
				scores[k] = score(effects[k], realism[k], scroll(r.tracks[k]));
			}
			double[][] cos = cosines(r.fields);
			double[] pairs = new double[cos.length * (cos.length - 1) / 2];
			for (int i = 0, n = 0; i < cos.length; i++) for (int j = i + 1; j < cos.length; j++) pairs[n++] = cos[i][j];
			nul = new Null(r.count(), scores, Stats.percentile(scores, 99), Stats.percentile(effects, 99), Stats.median(realism),
				Structure3d.Chance.of(r.tracks), pairs.length == 0 ? Double.NaN : Stats.percentile(pairs, 99));
			if (key != null) CACHE.put(key, nul);
		} else monitor.log("The label-free null of this generator, reference and settings was scored before in this session: reused");

		double[][] cos = cosines(set.fields);
		Entry[] entries = new Entry[set.count()];
		for (int k = 0; k < entries.length; k++) {
			int partner = -1;
			for (int j = 0; j < entries.length; j++) if (j != k && (partner < 0 || cos[k][j] > cos[k][partner])) partner = j;
			double sc = score(set.effect[k], set.tracks[k].match(), scroll(set.tracks[k]));
			entries[k] = new Entry(k, set.effect[k], set.tracks[k].match(), set.tracks[k], sc, nul.beats(sc), sc > nul.score99(), partner,
				partner < 0 ? Double.NaN : cos[k][partner]);
		}
		int[] ranking = IntStream.range(0, entries.length).boxed()
			.sorted(Comparator.comparingDouble((Integer k) -> -entries[k].score()).thenComparingInt(k -> k)).mapToInt(Integer::intValue).toArray();
		int scrolls = Structure3d.best(set.tracks).direction();
		monitor.log("3D with even steps (spacing=even)" + (s.curvedWalks() ? ", a curved path (path=curved) and both" : "") + ": direction " + scrolls + " walked again from the same bases");
		java.util.Map<EvenWalks.Kind, Structure3d.Track> walks3d = new java.util.EnumMap<>(EvenWalks.Kind.class);
		EvenWalks.read(g, null, dirs, scrolls, bases, shifts, -1, reference, s, EvenWalks.kinds(s.curvedWalks()), monitor).forEach((q, t) -> walks3d.put(q, t.slices()));
		monitor.log(String.format(Locale.ROOT, "Label-free evaluation done: %.1f s", (System.nanoTime() - t0) / 1e9));
		return new Result(name, s, fromPosterior, reference.folder().toString(), set.referenceSlices, card.preprocessing != null ? "HU" : "units", sliceStep, entries, ranking,
			nul, cos, walks3d, shifts, set.positions);
	}

	/** What the walks of a set of directions give: effect per direction, nearest-slice tracks, difference fields. */
	private record Walked(double[] effect, Structure3d.Track[] tracks, float[][][] fields, int referenceSlices, double[][][] positions) {
		int count() {
			return effect.length;
		}
	}

	/**
	 * Renders every walk in chunks (bounded memory, progress, cancel), matches every frame with its nearest real
	 * slice and keeps the end-frame difference fields of the first {@code keepFields} directions.
	 */
	private static Walked walk(Generator g, Directions dirs, float[][] bases, double[] shifts, SliceSet reference, Evaluation.Settings s, double perUnit,
		int keepFields, String what, Monitor monitor) {
		int nk = dirs.count(), nb = bases.length, nt = shifts.length, d = g.latentDim(), pixels = g.imageSize() * g.imageSize();
		double[][] effect = new double[nk][nb];
		float[][][] fields = new float[keepFields][nb][];
		double span = shifts[nt - 1] - shifts[0];
		try (NearestSlice near = new NearestSlice(reference, s.referenceSlices(), nk, nb, nt)) {
			// in batches of whole walks (direction k, base b) of about BATCH_FRAMES frames: bounded memory, and a cancel
			// waits for one batch; walk w is direction w / nb, base w mod nb
			int perBatch = Math.max(1, BATCH_FRAMES / nt);
			long walks = (long) nk * nb;
			Pace pace = new Pace(monitor, what, walks * nt, "frames");
			for (long w0 = 0; w0 < walks; w0 += perBatch) {
				monitor.checkCanceled();
				monitor.progress(w0, walks, what);
				int n = (int) Math.min(perBatch, walks - w0);
				float[] latents = new float[n * nt * d];
				for (int i = 0; i < n; i++) {
					int k = (int) ((w0 + i) / nb), b = (int) ((w0 + i) % nb);
					for (int t = 0; t < nt; t++) {
						float[] sh = dirs.shift(k, (float) shifts[t]);
						for (int c = 0; c < d; c++) latents[(i * nt + t) * d + c] = bases[b][c] + sh[c];
					}
				}
				float[][] images = g.images(latents);
				for (int j = 0; j < n; j++) {
					int k = (int) ((w0 + j) / nb), b = (int) ((w0 + j) % nb), i = j * nt;
					for (int t = 0; t < nt; t++) near.accept(k, b, t, images[i + t]);
					double sum = 0;
					for (int t = 0; t + 1 < nt; t++) {
						float[] x = images[i + t], y = images[i + t + 1];
						for (int p = 0; p < pixels; p++) sum += Math.abs(y[p] - x[p]);
					}
					effect[k][b] = sum / pixels * Math.abs(perUnit) / span;
					if (k < keepFields) {
						float[] first = images[i], last = images[i + nt - 1], field = new float[pixels];
						for (int p = 0; p < pixels; p++) field[p] = last[p] - first[p];
						fields[k][b] = field;
					}
				}
				pace.done((long) n * nt);
			}
			monitor.checkCanceled();
			monitor.progress(walks, walks, what);
			double[][][] positions = near.positions();
			Structure3d.Track[] tracks = Structure3d.tracks(shifts, positions, near.correlations());
			return new Walked(Arrays.stream(effect).mapToDouble(Stats::median).toArray(), tracks, fields, near.referenceSlices(), positions);
		}
	}

	/** [k][j] |cos| between the difference fields of k and j, summed over the bases (1 on the diagonal). */
	static double[][] cosines(float[][][] fields) {
		int n = fields.length;
		double[][] dot = new double[n][n];
		for (int i = 0; i < n; i++)
			for (int j = i; j < n; j++) {
				double s = 0;
				for (int b = 0; b < fields[i].length; b++) {
					float[] x = fields[i][b], y = fields[j][b];
					for (int p = 0; p < x.length; p++) s += (double) x[p] * y[p];
				}
				dot[i][j] = dot[j][i] = s;
			}
		double[][] cos = new double[n][n];
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				double norm = Math.sqrt(dot[i][i] * dot[j][j]);
				cos[i][j] = norm > 0 ? Math.abs(dot[i][j]) / norm : 0;
			}
		return cos;
	}

	/** The scan's own step: median over adjacent slices of a volume of their mean |pixel difference|, in intensity units. */
	static double sliceStep(SliceSet set, double perUnit) {
		DatasetCard card = set.card();
		int pixels = set.size() * set.size(), pairs = 0;
		for (DatasetCard.VolumeEntry v : card.volumes) pairs += Math.max(0, v.slices() - 1);
		int stride = Math.max(1, (int) Math.ceil(pairs / 1024.0));
		java.util.List<Double> steps = new java.util.ArrayList<>();
		float[] a = new float[pixels], b = new float[pixels];
		int n = 0;
		for (DatasetCard.VolumeEntry v : card.volumes)
			for (int i = 0; i + 1 < v.slices(); i++, n++) {
				if (n % stride != 0) continue;
				set.read(v.firstSlice() + i, a, 0);
				set.read(v.firstSlice() + i + 1, b, 0);
				double sum = 0;
				for (int p = 0; p < pixels; p++) sum += Math.abs(b[p] - a[p]);
				steps.add(sum / pixels * Math.abs(perUnit));
			}
		return steps.isEmpty() ? Double.NaN : Stats.median(steps.stream().mapToDouble(Double::doubleValue).toArray());
	}

	/** The null depends only on generator, reference and settings: computed once per session. */
	private static final java.util.Map<String, Null> CACHE = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(java.util.Map.Entry<String, Null> eldest) {
			return size() > 8;
		}
	});
}
