package io.github.ctlatent.model;

import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.Pace;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.engine.Engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The model stage's entry point: images from a run folder or a TorchScript generator, one latent z ~ N(0, I) per
 * seed (seed, seed + 1, …), in Hounsfield units when the model's card says how its slices were scaled.
 * <pre>
 * Sampling.Samples s = Sampling.of(Path.of("models/phantom-gan")).count(16).seed(1).sample(Monitor.NONE);
 * </pre>
 */
public final class Sampling {

	/**
	 * What a model drew: {@code modelUnits} are the generator's [−1, 1] planes (size² each), {@code data} the card of
	 * the slices it was trained on (null for a TorchScript file).
	 */
	public record Samples(float[][] modelUnits, int size, long firstSeed, DatasetCard data) {

		/** The planes in HU when the data are known, else the model units (copies either way). */
		public float[][] values() {
			float[][] out = new float[modelUnits.length][];
			for (int i = 0; i < out.length; i++) {
				out[i] = modelUnits[i].clone();
				if (data != null) for (int k = 0; k < out[i].length; k++) out[i][k] = (float) data.preprocessing.toHounsfield(out[i][k]);
			}
			return out;
		}

		public String valueUnit() {
			return data == null ? "model units" : "HU";
		}
	}

	private final Path model;
	private int count = 16;
	private long seed = 1;
	private String device = "auto";

	private Sampling(Path model) {
		this.model = model;
	}

	/** Latents per forward pass: small enough that a cancel waits at most a fraction of a second. */
	static final int CHUNK = 64;

	/** Samples of the run folder or TorchScript .pt at {@code model}. */
	public static Sampling of(Path model) {
		return new Sampling(model);
	}

	public Sampling count(int n) { count = n; return this; }

	/** The first latent's seed; image i uses seed + i. */
	public Sampling seed(long s) { seed = s; return this; }

	/** auto, cpu, gpu or gpu:N. */
	public Sampling device(String d) { device = d; return this; }

	public Samples sample(Monitor monitor) {
		try (Generator g = Models.load(model, Engines.device(device, monitor), monitor)) {
			int d = g.latentDim(), s = g.imageSize();
			// sizes known up front: the planes, the HU stack and the picture of all samples are held at once
			double bytes = 3.0 * count * s * s * 4;
			Checks.requireMemory(count + " samples of " + s + "²", bytes, "Ask for fewer samples (count=).");
			if (count > CHUNK) monitor.log(count + " samples of " + s + "² need about " + Checks.size(bytes) + " of memory");
			Pace pace = new Pace(monitor, "Sampling", count, "images");
			// in chunks, so a cancel (Ctrl-C, SIGTERM, Fiji's Esc) is honoured within one chunk, not after all of them
			float[][] planes = new float[count][];
			for (int from = 0; from < count; from += CHUNK) {
				monitor.checkCanceled();
				monitor.progress(from, count, "sampling");
				int n = Math.min(CHUNK, count - from);
				float[] z = new float[n * d];
				for (int i = 0; i < n; i++) System.arraycopy(latent(d, seed + from + i), 0, z, i * d, d);
				System.arraycopy(g.images(z), 0, planes, from, n);
				pace.done(n);
			}
			monitor.checkCanceled();
			Checks.requireFinite("The samples of " + model, planes);
			if (count > 1 && Checks.isConstant(planes))
				monitor.log("WARNING: all " + count + " samples are the same flat image: the model " + model + " generates nothing (untrained or collapsed).");
			monitor.log("Generated " + count + " samples of " + s + "² from " + model);
			return new Samples(planes, s, seed, Files.isDirectory(model) ? ModelCard.read(model).dataset : null);
		}
	}

	/** A latent z ~ N(0, I) from a seed: the same seed gives the same latent in every stage. */
	public static float[] latent(int d, long seed) {
		Random r = new Random(seed);
		float[] z = new float[d];
		for (int i = 0; i < d; i++) z[i] = (float) r.nextGaussian();
		return z;
	}
}
