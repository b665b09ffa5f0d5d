package io.github.ctlatent.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one declaration of each user-settable number's range: commands check their keys against it before anything
 * runs ({@code ExplorerCommand}), and the engines' settings check the same ranges when called from Java or Jython.
 * A range is keyed by the macro key; a command whose key means something else ("steps" of a walk versus of an
 * optimisation) has its own entry, {@code <CommandClass>.<key>}. Every numeric key of every command has its range
 * here; a command's dialog bounds ({@code @Parameter(min, max)}) repeat it, and a test keeps the two equal. Counts that
 * a user can raise have an upper bound, so a size that cannot finish is refused up front with a clear message (the
 * limit, and what to do) instead of running unbounded; the engines' memory estimates refuse what the heap cannot hold.
 */
public final class Limits {

	private Limits() {}

	/** A closed range [min, max] of finite values; {@code why} tells the user what the bound protects. */
	public record Range(String key, double min, double max, String why) {

		/** The value, or one clear message naming the key and the range. */
		public double check(double v) {
			if (!Double.isFinite(v)) throw new ExplorerException(key + "=" + v + " is not a finite number (" + shown() + ").");
			if (v < min || v > max)
				throw new ExplorerException(key + "=" + format(v) + " is out of range: it must be " + shown() + (why.isEmpty() ? "." : " (" + why + ")."));
			return v;
		}

		public int check(int v) {
			check((double) v);
			return v;
		}

		public long check(long v) {
			check((double) v);
			return v;
		}

		String shown() {
			return "from " + format(min) + " to " + format(max);
		}
	}

	private static final Map<String, Range> RANGES = new LinkedHashMap<>();

	private static Range declare(String key, double min, double max, String why) {
		Range r = new Range(key.substring(key.indexOf('.') + 1), min, max, why);
		RANGES.put(key, r);
		return r;
	}

	private static final double MAX_INT = Integer.MAX_VALUE;

	// training and oracle
	public static final Range ITERATIONS = declare("iterations", 1, 10_000_000, "iterations of one run; a longer one continues with resume=true");
	public static final Range LEARNING_RATE = declare("learning_rate", 0, 1, "a step size of an optimiser; 0 is the preset's");
	public static final Range ORACLE_LEARNING_RATE = declare("TrainFactorOracleCommand.learning_rate", 1e-12, 1, "a step size of an optimiser");
	public static final Range DIRECTION_LEARNING_RATE = declare("direction_learning_rate", 0, 1, "the directions' step size; 0 is the method's");
	public static final Range LR_GAMMA = declare("lr_gamma", 1e-6, 10, "a decay factor; above 10 the learning rate explodes");
	public static final Range BATCH = declare("batch_size", 0, 4096, "slices per step, 0 is the preset's; larger batches do not fit memory");
	public static final Range ORACLE_BATCH = declare("TrainFactorOracleCommand.batch_size", 2, 4096, "slices per step; larger batches do not fit memory");
	public static final Range DISCOVER_BATCH = declare("DiscoverDirectionsCommand.batch_size", 2, 4096, "latent codes per step; larger batches do not fit memory");
	public static final Range ORACLE_WIDTH = declare("TrainFactorOracleCommand.width", 1, 256, "filters of the first convolution");
	public static final Range ORACLE_BLUR = declare("TrainFactorOracleCommand.blur", 0, 8, "the training blur's largest σ in pixels; wider blurs erase the slice");
	public static final Range NGF = declare("ngf", 0, 256, "0 is the preset's; wider generators do not fit memory");
	public static final Range NDF = declare("ndf", 0, 256, "0 is the preset's; wider discriminators do not fit memory");
	public static final Range VAE_CH = declare("ch", 0, 512, "0 is the preset's; else a multiple of 8 from 8");
	public static final Range LATENT_DIM = declare("latent_dim", 0, 4096, "latent dimensions, 0 is the preset's");
	public static final Range KL_WEIGHT = declare("kl_weight", -1, 1000, "the weight of the VAE's KL term, -1 is the preset's");
	public static final Range PATIENCE = declare("patience", -1, 10_000_000, "iterations without a better held-out error, 0 never stops, -1 is the preset's");
	public static final Range TC_BETA = declare("tc_beta", 1, 100, "beta-TCVAE's weight of the total correlation (1: the plain VAE)");
	public static final Range ORDER_WEIGHT = declare("order_weight", 0, 100, "the weight of the slice-order hinge on latent axis 0 (0: off)");
	public static final Range ORDER_SPAN = declare("order_span", 3, 100, "prior units a whole volume spans on the position axis (the order hinge's band is ±1 around it)");
	public static final Range INVARIANCE_WEIGHT = declare("invariance_weight", 0, 100, "the weight of the pull keeping a slice pair's codes together beyond axis 0 (0: off)");
	public static final Range CYCLE_WEIGHT = declare("cycle_weight", 0, 100, "the weight of the traversal cycle: a walk along one latent axis, decoded and encoded again, must not move the other axes (0: off)");
	public static final Range WARP_WEIGHT = declare("warp_weight", 0, 10_000, "the weight of the known warp axes: a step along latent axis 1-4 must rotate, shift or scale the drawn image (0: off)");
	public static final Range TEACHER_WEIGHT = declare("teacher_weight", 0, 1000, "the weight of a VAE teacher's information term on the GAN's latent axes (with teacher=)");
	public static final Range PAIR_GAP = declare("pair_gap", 1, 64, "the largest distance in slices between a slice pair's two slices (1: neighbours)");
	public static final Range REGULARISER_WEIGHT = declare("regulariser_weight", 0, 1e6, "the weight of the GAN's latent regulariser");
	public static final Range LOCAL_RANK = declare("local_rank", 1, 4096, "local singular vectors a curved walk may follow (at most the latent size is used)");
	public static final Range REGULARISER_EVERY = declare("regulariser_every", 1, MAX_INT, "iterations between applications of the latent regulariser");
	// intervals: a value beyond the run's length only means "at the end"
	public static final Range CHECKPOINT_EVERY = declare("checkpoint_every", 1, MAX_INT, "iterations between checkpoints");
	public static final Range SAMPLE_EVERY = declare("sample_every", 1, MAX_INT, "iterations between sample grids");
	public static final Range HEALTH_WARMUP = declare("health_warmup", 0, MAX_INT, "iterations before the health checks start");
	// discovery
	public static final Range DISCOVER_DIRECTIONS = declare("DiscoverDirectionsCommand.directions", 0, 1024, "directions of one set, 0 is the latent size");
	public static final Range DISCOVER_STEPS = declare("DiscoverDirectionsCommand.steps", 0, 10_000_000, "optimisation steps of one run");
	public static final Range DISCOVER_SAMPLES = declare("DiscoverDirectionsCommand.samples", 2, 200_000, "codes (PCA) or generated images (ICA) analysed at once; all are held in memory");
	public static final Range DISCOVER_BASES = declare("DiscoverDirectionsCommand.bases", 2, 100_000, "base codes the Jacobian metric averages over");
	public static final Range DISCOVER_PROBES = declare("DiscoverDirectionsCommand.probes", 1, 4096, "vector-Jacobian products per base code");
	public static final Range SHIFT_WEIGHT = declare("shift_weight", 0, 1000, "the weight of the shift term");
	// data
	public static final Range PHANTOM_COUNT = declare("GeneratePhantomCommand.count", 1, 100_000, "volumes of one data set; make several sets for more");
	public static final Range PHANTOM_SIZE = declare("GeneratePhantomCommand.size", 16, 4096, "pixels per side");
	public static final Range PHANTOM_SLICES = declare("GeneratePhantomCommand.slices", 2, 4096, "slices per volume");
	public static final Range NOISE = declare("noise", 0, 10_000, "HU of noise");
	public static final Range SLICE_SIZE = declare("PrepareSliceSetCommand.size", 8, 2048, "pixels per side of a slice");
	public static final Range TEST_FRACTION = declare("test_fraction", 0, 0.9, "the share of patients held out");
	public static final Range HU = declare("hu", -10_000, 100_000, "Hounsfield units");
	public static final Range HU_MIN = declare("hu_min", HU.min, HU.max, "Hounsfield units");
	public static final Range HU_MAX = declare("hu_max", HU.min, HU.max, "Hounsfield units");
	/** The narrowest HU window that still maps to more than a handful of grey levels. */
	public static final double HU_MIN_WIDTH = 1;
	// sampling, walks and evaluation
	public static final Range SAMPLE_COUNT = declare("GenerateSamplesCommand.count", 1, 100_000, "images of one call; draw more in several calls with other seeds");
	public static final Range FRAMES = declare("frames", 2, 100_000, "frames of one walk");
	public static final Range RADIUS = declare("radius", 0, 1000, "shifts from -radius to +radius; N(0, I) codes lie within ±10");
	public static final Range EXPLORER_RADIUS = declare("LatentExplorerCommand.radius", 0.1, 1000, "the sliders' range");
	public static final Range SLIDERS = declare("sliders", 1, 64, "sliders of one window");
	public static final Range WALK = declare("walk", -1, 100_000, "the direction walked, -1 for none");
	public static final Range FRAME_MS = declare("frame_ms", 10, 60_000, "milliseconds per GIF frame");
	public static final Range EVAL_BASES = declare("EvaluateDirectionsCommand.bases", 1, 10_000, "base codes per direction");
	public static final Range EVAL_STEPS = declare("EvaluateDirectionsCommand.steps", 1, 1000, "walks have 2S+1 frames");
	public static final Range EVAL_RADIUS = declare("EvaluateDirectionsCommand.radius", 1e-3, 100, "shifts beyond ±100 leave every generator's range");
	public static final Range EVAL_RANDOM = declare("EvaluateDirectionsCommand.random", 1, 100_000, "random directions of the null");
	public static final Range EVAL_RANDOM_3D = declare("EvaluateDirectionsCommand.random_3d", 1, 100_000, "random directions of the 3D chance level");
	public static final Range EVAL_FRAMES_3D = declare("EvaluateDirectionsCommand.frames_3d", 3, 1025, "frames of a 3D walk");
	public static final Range SEEDS = declare("seeds", 1, 10_000, "base latents of one call; walk more in several calls");
	public static final Range LATENT_LINES = declare("latents", 1, 10_000, "lines of a latents file; split a longer file over several calls");
	// projection of slices into a latent space
	public static final Range PROJECT_STEPS = declare("ProjectSliceCommand.steps", 1, 100_000, "Adam steps of one projection");
	public static final Range PROJECT_LEARNING_RATE = declare("ProjectSliceCommand.learning_rate", 1e-6, 10, "Adam's step size in latent units");
	public static final Range PROJECT_RESTARTS = declare("restarts", 1, 1024, "starting codes per slice");
	public static final Range PRIOR_WEIGHT = declare("prior_weight", 0, 1000, "the weight of the pull towards N(0, I) codes");
	public static final Range RANDOM_DRAWS = declare("random_draws", 0, 100_000, "random codes of the baseline, 0 is the restarts'");
	/** The largest magnitude of one latent coordinate: N(0, 1) codes stay within ±10, so ±1000 is far outside already. */
	public static final Range LATENT_VALUE = declare("latent", -1000, 1000, "latent coordinates; N(0, I) codes lie within ±10");

	/** The range of {@code key} as {@code command} uses it (its own entry first, then the shared one). */
	public static Optional<Range> of(Class<?> command, String key) {
		for (Class<?> c = command; c != null; c = c.getSuperclass()) {
			Range r = RANGES.get(c.getSimpleName() + "." + key);
			if (r != null) return Optional.of(r);
		}
		return Optional.ofNullable(RANGES.get(key));
	}

	/** hu_min &lt; hu_max, both in range, at least {@link #HU_MIN_WIDTH} apart (else every pixel is NaN or the same). */
	public static void checkHuWindow(double huMin, double huMax) {
		HU_MIN.check(huMin);
		HU_MAX.check(huMax);
		if (!(huMax - huMin >= HU_MIN_WIDTH))
			throw new ExplorerException("hu_min=" + format(huMin) + " and hu_max=" + format(huMax) + " do not make a window: hu_max must exceed hu_min by at least "
				+ format(HU_MIN_WIDTH) + " HU (the paper uses -1000 to 2000).");
	}

	/** A count against a limit: {@code what} is how the user raises it. */
	public static void checkCount(String what, long n, long max, String advice) {
		if (n > max) throw new ExplorerException(what + " = " + n + " is more than the " + max + " one call handles. " + advice);
	}

	static String format(double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
	}
}
