package io.github.ctlatent.evaluate;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.data.phantom.PhantomFactors;
import io.github.ctlatent.data.phantom.PhantomFactors.Factor;
import io.github.ctlatent.data.phantom.PhantomGenerator;
import io.github.ctlatent.data.phantom.ThoraxPhantom;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Walks whose meaning is known because they are not generated but rendered: per patient, the thorax phantom drawn
 * again with only the chosen factors changed, frame by frame, everything else (the other factors, the slice
 * position, the noise stream) kept. A walk of {@code z} alone is the patient's own consecutive slices. Read by the
 * oracle, these walks are scored exactly like latent walks; they are the known answers the scorer must get right
 * ({@link KnownAnswers}).
 * <p>
 * The effect is given in the oracle's units (σ of the factor over its training labels): a walk of effect e moves a
 * factor of weight w by w·e·σ_f from its first frame to its last. Frames are rendered at 128² with 10 HU of noise
 * and preprocessed as the shipped slice sets were (CPU default window, 64²), the data the shipped models and the
 * oracle saw.
 */
public final class KnownAnswerWalks {

	/** The rendering the shipped slice sets used: 128² phantoms with 10 HU noise, 64 slices per volume. */
	static final int RENDER_SIZE = 128, VOLUME_SLICES = 64;
	static final double NOISE_HU = 10;
	/** Each patient's walk must show every walked factor on every frame; a slice position is drawn this often at most. */
	private static final int POSITION_TRIES = 40;

	private final FactorOracle oracle;
	private final Preprocessing preprocessing = Preprocessing.cpuDefault();
	private final double[] shifts;

	/** @param steps S: walks of 2S+1 frames, labelled with shifts −3…+3 like the scorer's default walks */
	public KnownAnswerWalks(FactorOracle oracle, int steps) {
		this.oracle = oracle;
		this.shifts = WalkReader.shifts(3, steps);
	}

	public double[] shifts() {
		return shifts.clone();
	}

	/**
	 * One "direction": on each of {@code patients} patients (phantom seed {@code seed}), the factors {@code walked}
	 * changed together, factor i by weights[i]·effect σ over the walk, from a random feasible start.
	 */
	public Walks walk(Factor[] walked, double[] weights, double effect, int patients, long seed, Monitor monitor) {
		return read(render(walked, weights, effect, patients, seed, monitor), patients);
	}

	/** The frames of {@link #walk}, patient after patient, before the oracle reads them. */
	float[][] render(Factor[] walked, double[] weights, double effect, int patients, long seed, Monitor monitor) {
		int nt = shifts.length;
		float[][] images = new float[patients * nt][];
		for (int b = 0; b < patients; b++) {
			monitor.checkCanceled();
			System.arraycopy(frames(walked, weights, effect, seed, b), 0, images, b * nt, nt);
			monitor.progress(b + 1, patients, "Rendering known-answer walks");
		}
		return images;
	}

	/** The nt frames of patient b's walk. */
	float[][] frames(Factor[] walked, double[] weights, double effect, long seed, int b) {
		int nt = shifts.length;
		long volumeSeed = PhantomGenerator.volumeSeed(seed, b);
		PhantomFactors patient = PhantomFactors.draw(volumeSeed);
		SplittableRandom r = new SplittableRandom(volumeSeed ^ 0x4B4E4F574EL);
		for (int attempt = 0; ; attempt++) {
			double[] zs = new double[nt];
			PhantomFactors[] frame = new PhantomFactors[nt];
			Arrays.fill(frame, patient);
			double zStart = 0.1 + 0.8 * r.nextDouble();
			Arrays.fill(zs, zStart);
			for (int i = 0; i < walked.length; i++) {
				Factor f = walked[i];
				double span = weights[i] * effect * sigma(f);
				if (Math.abs(span) > f.max - f.min) throw new IllegalArgumentException("An effect of " + effect + "σ does not fit the range of " + f.key);
				double lo = f.min + Math.max(0, -span), hi = f.max - Math.max(0, span);
				if (f == Factor.Z) {
					lo = Math.max(lo, 0.02);
					hi = Math.min(hi, 0.98);
				}
				double start = lo + (hi - lo) * r.nextDouble();
				for (int t = 0; t < nt; t++) {
					double v = start + span * t / (nt - 1);
					if (f == Factor.Z) zs[t] = v;
					else frame[t] = frame[t].with(f, v);
				}
			}
			ThoraxPhantom.Rendered[] rendered = new ThoraxPhantom.Rendered[nt];
			boolean shown = true;
			for (int t = 0; t < nt && shown; t++) {
				rendered[t] = renderFrame(b, frame[t], zs[t], volumeSeed, t);
				for (Factor f : walked) shown &= rendered[t].slices().get(0).observable(f);
			}
			if (!shown && attempt < POSITION_TRIES) continue;
			float[][] out = new float[nt][];
			for (int t = 0; t < nt; t++) {
				if (rendered[t] == null) rendered[t] = renderFrame(b, frame[t], zs[t], volumeSeed, t);
				out[t] = preprocessing.apply(rendered[t].volume().plane(0), RENDER_SIZE, RENDER_SIZE);
			}
			return out;
		}
	}

	/** Frame t of patient b: one slice at z, partial-volumed like the shipped 64-slice volumes. */
	private static ThoraxPhantom.Rendered renderFrame(int b, PhantomFactors factors, double z, long volumeSeed, int t) {
		return ThoraxPhantom.render(b, factors, RENDER_SIZE, new double[] {z}, ThoraxPhantom.LENGTH_MM / (VOLUME_SLICES - 1), NOISE_HU, noiseSeed(volumeSeed, t));
	}

	/** Every frame draws fresh noise, as every slice of a scan and every generated image has its own. */
	private static long noiseSeed(long volumeSeed, int t) {
		return (volumeSeed ^ 0x6E6F697365L) + 0x9E3779B97F4A7C15L * (t + 1);
	}

	/** σ of factor f in its own units, as the oracle standardises it. */
	double sigma(Factor f) {
		int i = oracle.config().indexOf(f.key);
		return i >= 0 ? oracle.config().std()[i] : f.std();
	}

	Walks read(float[][] images, int nb) {
		return read(oracle, shifts, images, nb);
	}

	/** The oracle's readings of {@code nb} walks of {@code shifts.length} frames each (walk after walk), as the walks of one direction. */
	public static Walks read(FactorOracle oracle, double[] shifts, float[][] images, int nb) {
		int nt = shifts.length;
		FactorOracle.Reading r = oracle.read(images);
		double[][][][] v = new double[1][nb][nt][];
		boolean[][][][] obs = new boolean[1][nb][nt][];
		boolean[][][] in = new boolean[1][nb][nt];
		for (int b = 0; b < nb; b++)
			for (int t = 0; t < nt; t++) {
				v[0][b][t] = r.values()[b * nt + t];
				obs[0][b][t] = r.observable()[b * nt + t];
				in[0][b][t] = oracle.inDistribution(images[b * nt + t], v[0][b][t]);
			}
		return new Walks(shifts.clone(), v, obs, in);
	}
}
