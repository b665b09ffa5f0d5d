package io.github.ctlatent.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.data.SliceSet;
import io.github.ctlatent.engine.Scalars;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeConfig;
import io.github.ctlatent.model.VaeEncoder;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * A VAE teacher for a GAN's latent axes ({@code teacher=}, {@code teacher_weight=}): the information term of ID-GAN
 * (Lee et al., "High-Fidelity Synthesis with Disentangled Representation", ECCV 2020). A trained VAE's encoder, frozen,
 * reads each generated image; on every dimension d it uses, the code it reads must be the one the generator was given
 * on its own axis d. The GAN thereby inherits the teacher's factorisation — whatever the VAE's training made of its
 * axes (slice order, known geometric axes) — while its adversarial loss keeps the pictures a GAN's.
 *
 * <p>Why a teacher: the DCGAN's latent entangles the factors (supervised ceiling D 0.39), and neither a latent
 * regulariser (OroJaR) nor pixel-space warps made any of its axes clean (docs/results-evaluation.md). A GAN has no
 * encoder to tell it what an axis means; a VAE's encoder does, for images of any origin.
 *
 * <p>Units ({@link Units}): what GAN code z_d on a taught axis asks the teacher to read, as m_d + c_d · z_d, where m_d
 * and s_d are the mean and spread of the teacher's mean code over real slices.
 * <ul>
 * <li>{@link Units#DATA}: c_d = s_d, so GAN code ±1 stands for ±1 spread of what the teacher reads on real slices;
 * a VAE trained with slice order spreads a scan over several prior units of its position axis, and its GAN then
 * covers the body at N(0, 1). A walk of ±3 then reaches ±3 spreads: past the body's ends where s_d is large.</li>
 * <li>{@link Units#TEACHER}: c_d = min(s_d, 1), ID-GAN's own choice (the teacher's prior units) wherever the data
 * spread at least one unit: a GAN walk of ±3 along axis d then walks what the teacher's decoder walks along its axis d,
 * and the evaluator's walks compare like with like; on axes of smaller spread it asks no more than the data show.</li>
 * </ul>
 * Only the dimensions the teacher uses are taught — those whose mean code varies over real slices by more than
 * {@link #ACTIVE_SD} (Burda et al.'s active units); the GAN's other axes stay free.
 *
 * <p>The penalty is the mean over codes and taught axes of λ_d · (μ_d(G(z)) − m_d − c_d · z_d)² in the teacher's units,
 * λ_d = min(1, 1 / s_d²) for {@code DATA} (the standardised gap where s_d ≥ 1, the teacher's own units below: a teacher
 * trained at a low KL weight uses many dimensions a little, s 0.2–0.3, and amplified 1/s_d times their readings of an
 * imperfect drawing swamped the term — measured in docs/results-evaluation.md), 1 for {@code TEACHER}. It is computed on
 * the judged fake batch and trains the generator only (the encoder's weights are frozen and it runs in eval mode).
 */
public final class TeacherAxes implements AutoCloseable {

	/** Off: the paper's training. */
	public static final TeacherAxes OFF = new TeacherAxes(null, null, 0, Units.DATA, null, null, null, null);

	/** A dimension is taught when its mean code's standard deviation over real slices exceeds this (variance 0.01). */
	public static final double ACTIVE_SD = 0.1;

	/** Real training slices the spread is measured on (evenly spaced over the training split). */
	public static final int STATISTICS_SLICES = 1024;

	/** The scale of the GAN's taught axes (see the class comment). */
	public enum Units {
		DATA("data"), TEACHER("teacher");

		public final String key;

		Units(String key) {
			this.key = key;
		}

		public static Units of(String key) {
			for (Units u : values()) if (u.key.equals(key)) return u;
			throw new ExplorerException("Unknown teacher_units='" + key + "'. Use data (GAN code 1 = one spread of the teacher's codes over real slices) "
				+ "or teacher (the teacher's own units, at most one spread).");
		}

		/** c_d: teacher units per GAN unit. */
		double scale(double spread) {
			return this == DATA ? spread : Math.min(spread, 1);
		}

		/** λ_d: the weight of a squared gap in teacher units. */
		double weight(double spread) {
			return this == DATA ? Math.min(1, 1 / (spread * spread)) : 1;
		}
	}

	private final Path folder;
	private final VaeEncoder encoder;
	private final float weight;
	private final Units units;
	/** Per teacher dimension: m_d, c_d (0 when untaught), λ_d (0 when untaught), s_d. */
	private final float[] mean, scale, lambda, spread;
	/** The taught dimensions (λ_d above 0), ascending. */
	private final int[] taught;

	private TeacherAxes(Path folder, VaeEncoder encoder, float weight, Units units, float[] mean, float[] scale, float[] lambda, float[] spread) {
		this.folder = folder;
		this.encoder = encoder;
		this.weight = weight;
		this.units = units;
		this.mean = mean;
		this.scale = scale;
		this.lambda = lambda;
		this.spread = spread;
		this.taught = java.util.stream.IntStream.range(0, lambda == null ? 0 : lambda.length).filter(j -> lambda[j] > 0).toArray();
	}

	/**
	 * Checks, without loading weights, that {@code folder} holds a VAE that can teach a DCGAN of {@code latentDim}
	 * axes drawing {@code imageSize}² images of {@code channels} channels; refuses with what to do otherwise.
	 */
	public static void requireFits(Path folder, int latentDim, int imageSize, int channels) {
		if (!java.nio.file.Files.isDirectory(folder))
			throw new ExplorerException("teacher=" + folder + " is not a run folder: give the folder of a trained VAE (with model.json and encoder.params).");
		ModelCard card = Models.card(folder);
		if (!"vae".equals(card.kind))
			throw new ExplorerException("teacher=" + folder + " holds a " + card.kind + " model; a teacher must be a VAE run folder (made by Train VAE), whose encoder reads the GAN's images.");
		VaeConfig c = Models.config(card, VaeConfig.class);
		if (c.imageSize() != imageSize || c.channels() != channels)
			throw new ExplorerException("teacher=" + folder + " reads " + c.imageSize() + "² images of " + c.channels() + " channel(s) but this GAN draws "
				+ imageSize + "² images of " + channels + ": train the teacher on a slice set of the GAN's size.");
		if (c.latentDim() > latentDim)
			throw new ExplorerException("teacher=" + folder + " has " + c.latentDim() + " latent dimensions, the GAN only " + latentDim
				+ ": each teacher dimension needs a GAN axis of the same index; use latent_dim=" + c.latentDim() + " or more.");
	}

	/**
	 * Loads the teacher's encoder on {@code device} and measures the spread of its mean codes over up to
	 * {@link #STATISTICS_SLICES} training slices of {@code slices} (evenly spaced); refuses a teacher that uses no dimension.
	 */
	public static TeacherAxes load(Path folder, float weight, Units units, SliceSet slices, Device device) {
		int[] train = slices.indices(SliceSet.Split.TRAIN);
		if (train.length == 0) train = slices.indices(SliceSet.Split.ALL);
		return load(folder, weight, units, slices.spread(train, STATISTICS_SLICES), device);
	}

	/** As above, the spread measured over {@code images} (size² values each, model units). */
	public static TeacherAxes load(Path folder, float weight, Units units, float[][] images, Device device) {
		if (!(weight > 0) || Float.isInfinite(weight)) throw new IllegalArgumentException("the teacher's weight must be above 0, finite: " + weight);
		VaeEncoder encoder = VaeEncoder.load(folder, device);
		try {
			float[][] mu = encoder.encode(images);
			int d = encoder.latentDim(), n = mu.length;
			float[] mean = new float[d], scale = new float[d], lambda = new float[d], spread = new float[d];
			for (int j = 0; j < d; j++) {
				double s = 0, ss = 0;
				for (float[] m : mu) { s += m[j]; ss += (double) m[j] * m[j]; }
				double m = s / n, sd = Math.sqrt(Math.max(0, ss / n - m * m));
				mean[j] = (float) m;
				boolean active = sd > ACTIVE_SD;
				scale[j] = active ? (float) units.scale(sd) : 0f;
				lambda[j] = active ? (float) units.weight(sd) : 0f;
				spread[j] = (float) sd;
			}
			TeacherAxes t = new TeacherAxes(folder, encoder, weight, units, mean, scale, lambda, spread);
			if (t.taught.length == 0)
				throw new ExplorerException("teacher=" + folder + ": its encoder's mean codes vary by at most " + ACTIVE_SD + " over the slices, so it "
					+ "reads nothing it could teach (posterior collapse?). Use a VAE whose reconstructions follow the slices.");
			return t;
		} catch (RuntimeException e) {
			encoder.close();
			throw e;
		}
	}

	public boolean on() {
		return encoder != null;
	}

	public float weight() {
		return weight;
	}

	/** The latent axes it teaches (the teacher's active dimensions), ascending. */
	public int[] taught() {
		return taught.clone();
	}

	/**
	 * The unweighted penalty for generated {@code images} (B, c, S, S), gradient-carrying, drawn from codes {@code z}
	 * (B, d, 1, 1): mean over codes and taught axes of λ_d · (μ_d − m_d − c_d · z_d)².
	 */
	NDArray penalty(NDArray images, NDArray z) {
		long b = images.getShape().get(0);
		int d = mean.length;
		Shape row = new Shape(1, d);
		var m = images.getManager();
		NDArray asked = z.stopGradient().reshape(b, -1).get(":, 0:" + d).mul(m.create(scale, row)).add(m.create(mean, row));
		NDArray gap = encoder.means(images).sub(asked);
		// the mean over the taught entries only: the weighed sum of squares over b × taught
		return Scalars.div(gap.square().mul(m.create(lambda, row)).sum(), (float) (b * taught.length));
	}

	/** Prior codes the fit is measured on, and their seed (fixed, so fits of one run compare across iterations). */
	public static final int FIT_CODES = 256;
	static final long FIT_SEED = 4242;

	/**
	 * How well {@code g} has learnt its taught axes: per taught axis d (in {@link #taught()} order), Pearson's r between
	 * the GAN code z_d and what the teacher reads on axis d of G(z), over {@link #FIT_CODES} prior codes. 1: the
	 * teacher reads exactly what the code asks (up to scale); 0: the axis means nothing to the teacher (also where the
	 * readings do not vary beyond {@link #SAME_READING} of the real slices' spread). This is what the penalty trains, as a number a user can read without labels.
	 */
	public double[] fit(Generator g) {
		if (!on()) return new double[0];
		int gd = g.latentDim(), n = FIT_CODES;
		SplittableRandom r = new SplittableRandom(FIT_SEED);
		float[] z = new float[n * gd];
		for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
		float[][] read = encoder.encode(g.images(z));
		double[] fit = new double[taught.length];
		for (int k = 0; k < taught.length; k++) {
			int j = taught[k];
			double[] x = new double[n], y = new double[n];
			for (int i = 0; i < n; i++) {
				x[i] = z[i * gd + j];
				y[i] = read[i][j];
			}
			fit[k] = pearson(x, y, SAME_READING * spread[j]);
		}
		return fit;
	}

	/**
	 * The figures a run logs at its sample points: the median and the smallest {@link #fit} over the taught axes
	 * ({@code teacher_fit}, {@code teacher_fit_min}).
	 */
	public Map<String, Double> fitFigures(Generator g) {
		double[] sorted = fit(g);
		Arrays.sort(sorted);
		int n = sorted.length;
		Map<String, Double> m = new LinkedHashMap<>();
		m.put("teacher_fit", n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
		m.put("teacher_fit_min", sorted[0]);
		return m;
	}

	/**
	 * Readings that vary by less than this share of the teacher's spread over real slices count as one reading: the
	 * same image read in two places of a batch differs in the last bits (the encoder's kernels block rows differently),
	 * and r of that noise is any number.
	 */
	static final double SAME_READING = 1e-4;

	/** Pearson's r of x and y; 0 where y's standard deviation is at most {@code still} (or x does not vary). */
	static double pearson(double[] x, double[] y, double still) {
		int n = x.length;
		double mx = 0, my = 0;
		for (int i = 0; i < n; i++) { mx += x[i] / n; my += y[i] / n; }
		double sxy = 0, sxx = 0, syy = 0;
		for (int i = 0; i < n; i++) {
			sxy += (x[i] - mx) * (y[i] - my);
			sxx += (x[i] - mx) * (x[i] - mx);
			syy += (y[i] - my) * (y[i] - my);
		}
		return sxx > 0 && Math.sqrt(syy / n) > still ? sxy / Math.sqrt(sxx * syy) : 0;
	}

	/** The card's words for it (null when off). */
	String describe() {
		if (!on()) return null;
		StringJoiner axes = new StringJoiner(", ");
		for (int j : taught) axes.add(j + String.format(Locale.ROOT, " (m %.3f, s %.3f)", mean[j], spread[j]));
		return weight + " * ID-GAN information term from the VAE teacher " + folder + ": its frozen encoder's mean code mu on each taught axis "
			+ "must read m + c z for the GAN's code z on that axis, m and s the mean and spread of mu over " + STATISTICS_SLICES + " real training "
			+ "slices at most; units " + units.key + (units == Units.DATA ? ": c = s, squared gap weighed min(1, 1/s^2)" : ": c = min(s, 1), squared gap in the teacher's units")
			+ "; taught axes (s > " + ACTIVE_SD + "): " + axes;
	}

	@Override
	public void close() {
		if (encoder != null) encoder.close();
	}
}
