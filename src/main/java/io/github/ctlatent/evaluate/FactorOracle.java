package io.github.ctlatent.evaluate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.github.ctlatent.model.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.ModelFiles;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.Params;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The factor oracle (EVALUATION.md §2): a small CNN that reads a slice's factors back — standardised values and,
 * per factor, whether the slice shows it at all. It is how directions are measured instead of judged by eye.
 * <p>
 * Network: [Conv3×3 → BatchNorm → ReLU → MaxPool2] while the side is above 4 (widths w, 2w, 4w, 4w, …), then
 * flatten → Linear(128) → ReLU → Linear(2F): F standardised values and F observability logits. Flattening (not
 * global pooling) keeps position, which rotation and {@code y_shift} are about.
 * <p>
 * Saved as a run folder like every model: {@code model.json} (kind {@value #KIND}, the {@link Config} with the
 * label statistics and held-out R²/MAE) and {@code oracle.params}.
 */
public final class FactorOracle implements AutoCloseable {

	public static final String KIND = "factor-oracle", WEIGHTS = "oracle.params";
	/** Only factors read this well are scored (EVALUATION.md §2); the others are "oracle-limited". */
	public static final double MIN_R2 = 0.9;

	/**
	 * Everything needed to rebuild and use an oracle.
	 *
	 * @param mean,std    label statistics of the training split (predictions are (value − mean) / std)
	 * @param min,max     label range of the training split (3D spans are fractions of it)
	 * @param r2          held-out R² per factor (NaN before evaluation)
	 * @param realRange   per factor, the 0.5 / 99.5 percentiles of the oracle's own predictions on held-out real
	 *                    slices: the realism guard's reference ({@link #inDistribution})
	 * @param imageStats  0.5 / 99.5 percentiles of real slices' mean and standard deviation {mean lo, mean hi, std lo, std hi}
	 */
	public record Config(int size, int width, List<String> factors, double[] mean, double[] std, double[] min, double[] max, double[] r2,
		double[] mae, double[][] realRange, double[] imageStats) {

		public int factorCount() {
			return factors.size();
		}

		public int indexOf(String factor) {
			return factors.indexOf(factor);
		}

		/** True when the oracle reads factor f well enough to score it. */
		public boolean scored(int f) {
			return r2 != null && r2[f] >= MIN_R2;
		}

		/** {@link #scored} of every factor, in order: the mask the scorer and the supervised ceiling work with. */
		public boolean[] scoredMask() {
			boolean[] m = new boolean[factorCount()];
			for (int f = 0; f < m.length; f++) m[f] = scored(f);
			return m;
		}

		Config withEvaluation(double[] r2, double[] mae, double[][] realRange, double[] imageStats) {
			return new Config(size, width, factors, mean, std, min, max, r2, mae, realRange, imageStats);
		}
	}

	/** Oracle readings of a batch of images: standardised values and observability, per image and factor. */
	public record Reading(double[][] values, boolean[][] observable) {}

	private Config config;
	/** The folder it was loaded from (null for a new one): identifies the oracle in {@link Evaluation}'s cache. */
	private Path source;
	/** What the oracle charges a perfect direction, measured on known answers; null when not measured. */
	private OracleFloor floor;
	private final NDManager manager;
	private final SequentialBlock net;

	private FactorOracle(Config config, Device device) {
		this.config = config;
		this.manager = Engines.pytorch().newBaseManager(device);
		this.net = network(config);
		net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, config.size(), config.size()));
	}

	/** A new, untrained oracle (weights from the engine's seeded initialisers). */
	public static FactorOracle create(Config config, Device device) {
		if (config.size() < 8) throw new ExplorerException("The factor oracle needs images of at least 8×8, got " + config.size() + ".");
		return new FactorOracle(config, device);
	}

	/** Loads an oracle run folder written by {@link #save} ("Train Factor Oracle"). */
	public static FactorOracle load(Path folder, Device device) {
		if (!Files.isDirectory(folder))
			throw new ExplorerException("No factor oracle at " + folder + ": give the folder written by 'Train Factor Oracle' (e.g. models/phantom-oracle).");
		ModelCard card = ModelCard.read(folder);
		if (!KIND.equals(card.kind))
			throw new ExplorerException(folder + " holds a '" + card.kind + "' model, not a factor oracle. Give a folder written by 'Train Factor Oracle'.");
		Config config = Models.config(card, Config.class);
		requireSaneStatistics(folder, config);
		Path w = folder.resolve(WEIGHTS);
		if (!Files.isRegularFile(w)) throw new ExplorerException("The oracle folder " + folder + " has no " + WEIGHTS + ": train it again.");
		FactorOracle o = new FactorOracle(config, device);
		o.source = folder.toAbsolutePath().normalize();
		try {
			ModelFiles.load(o.net, w, o.architecture());
			// the floor belongs to these weights: it names their fingerprint
			o.floor = OracleFloor.read(folder, config, o.fingerprint());
		} catch (RuntimeException e) {
			o.close();
			throw e;
		}
		return o;
	}

	/** The network as the weights file and the fingerprint describe it. */
	private String architecture() {
		return "factor oracle " + config.size() + "², width " + config.width() + ", factors " + config.factors();
	}

	/**
	 * SHA-256 over the architecture and every weight ({@link Params#sha256}, as generators are fingerprinted): the
	 * identity its measured floor is tied to.
	 */
	public String fingerprint() {
		return Params.sha256(architecture(), net);
	}

	private static SequentialBlock network(Config c) {
		SequentialBlock net = new SequentialBlock();
		int side = c.size(), filters = c.width();
		for (int stage = 0; side > 4 && side % 2 == 0; stage++, side /= 2) {
			net.add(Conv2d.of(filters, 3, 1, 1, false))
				.add(BatchNorm.builder().optMomentum(0.9f).build()).add(Activation.reluBlock())
				.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
			if (stage < 2) filters *= 2;
		}
		net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
			.add(Linear.builder().setUnits(2L * c.factorCount()).build());
		return net;
	}

	public Config config() {
		return config;
	}

	public Path source() {
		return source;
	}

	/** The oracle's measured leakage floor ({@value OracleFloor#FILE} beside it), or null. */
	public OracleFloor floor() {
		return floor;
	}

	/** After training: the same network with its held-out evaluation recorded. */
	void evaluated(double[] r2, double[] mae, double[][] realRange, double[] imageStats) {
		config = config.withEvaluation(r2, mae, realRange, imageStats);
	}

	SequentialBlock block() {
		return net;
	}

	NDManager manager() {
		return manager;
	}

	/** Forward pass on (B, 1, S, S) images: (B, 2F) = F values then F observability logits. */
	NDArray forward(ParameterStore ps, NDArray images, boolean training) {
		return net.forward(ps, new NDList(images), training).singletonOrThrow();
	}

	/** Reads every image ({@code size²} values in the model's [-1, 1] range), 256 at a time, eval mode. */
	public Reading read(float[][] images) {
		int n = images.length, s = config.size(), nf = config.factorCount();
		double[][] values = new double[n][nf];
		boolean[][] observable = new boolean[n][nf];
		ParameterStore ps = new ParameterStore(manager, false);
		for (int from = 0; from < n; from += 256) {
			int b = Math.min(256, n - from);
			float[] batch = new float[b * s * s];
			for (int i = 0; i < b; i++) {
				if (images[from + i].length != s * s)
					throw new ExplorerException("The factor oracle reads " + s + "×" + s + " images, got " + images[from + i].length
						+ " pixels. Use an oracle trained at the generator's image size.");
				System.arraycopy(images[from + i], 0, batch, i * s * s, s * s);
			}
			try (NDManager it = manager.newSubManager()) {
				float[] out = forward(ps, it.create(batch, new Shape(b, 1, s, s)), false).toFloatArray();
				for (int i = 0; i < b; i++)
					for (int f = 0; f < nf; f++) {
						values[from + i][f] = out[i * 2 * nf + f];
						observable[from + i][f] = out[i * 2 * nf + nf + f] > 0;
					}
			}
		}
		return new Reading(values, observable);
	}

	/**
	 * The realism guard (EVALUATION.md §3): an image is in distribution when every factor the oracle reads lies in
	 * the range its readings of real held-out slices span (widened by 0.25σ), and its mean and contrast lie in the
	 * range of real slices (widened by a quarter of that range). A walk that leaves the data manifold is not credited.
	 */
	public boolean inDistribution(float[] image, double[] values) {
		for (int f = 0; f < values.length; f++)
			if (values[f] < config.realRange()[f][0] - 0.25 || values[f] > config.realRange()[f][1] + 0.25) return false;
		double[] ms = meanAndStd(image);
		double[] r = config.imageStats();
		double mw = 0.25 * (r[1] - r[0]), sw = 0.25 * (r[3] - r[2]);
		return ms[0] >= r[0] - mw && ms[0] <= r[1] + mw && ms[1] >= r[2] - sw && ms[1] <= r[3] + sw;
	}

	static double[] meanAndStd(float[] image) {
		double sum = 0, sq = 0;
		for (float v : image) {
			sum += v;
			sq += (double) v * v;
		}
		double mean = sum / image.length;
		return new double[] {mean, Math.sqrt(Math.max(0, sq / image.length - mean * mean))};
	}

	/** A destandardised copy of factor f's readings (the label's own units). */
	public double destandardize(int f, double standardized) {
		return config.mean()[f] + standardized * config.std()[f];
	}

	/**
	 * Every reading is destandardised with the factor's mean and std and every score divides by the std: a std that
	 * is zero, negative or not finite (an edited or damaged card) would make every score NaN, so it is refused.
	 */
	private static void requireSaneStatistics(Path folder, Config c) {
		Path card = folder.resolve(ModelCard.FILE);
		if (c.factors() == null || c.factors().isEmpty() || c.mean() == null || c.std() == null || c.mean().length != c.factors().size()
			|| c.std().length != c.factors().size())
			throw new ExplorerException(card + ": the oracle's factors, mean and std do not match. The file is damaged; train the oracle again.");
		for (int f = 0; f < c.factors().size(); f++) {
			io.github.ctlatent.core.Checks.inRange(card, "mean of " + c.factors().get(f), c.mean()[f], -1e12, 1e12);
			io.github.ctlatent.core.Checks.inRange(card, "std of " + c.factors().get(f), c.std()[f], 1e-12, 1e12);
		}
	}

	/** Writes weights and card into {@code folder}. */
	void save(Path folder, ModelCard card) {
		ModelFiles.save(net, folder.resolve(WEIGHTS));
		card.kind = KIND;
		card.architecture.put("config", config);
		card.write(folder);
	}

	@Override
	public void close() {
		manager.close();
	}

	@Override
	public String toString() {
		return "factor oracle " + config.size() + "², factors " + config.factors() + ", R² " + Arrays.toString(config.r2());
	}
}
