package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.discover.SeFa;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Bases;
import io.github.ctlatent.traverse.Projection;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live explorer's headless engine: a generator, the directions shown as sliders, a base latent and one value
 * per slider. The current latent is base + Σ shift(k_j, v_j) (each direction with its method's own geometry) and
 * its image is rendered in HU (model units when the model carries no dataset card).
 * <p>
 * {@link #request()} renders on one background thread, latest request wins ({@link LatestWins}), so the picture
 * is never more than one frame behind the sliders and the caller (the event thread) never waits. {@link #render()} is the same, synchronous, for
 * scripts and tests. The explorer does not own the generator: close both.
 */
public final class LatentExplorer implements AutoCloseable {

	/** One rendered image: the state it shows and how long generation took. */
	public record Frame(long sequence, float[] latent, double[] values, float[] pixels, int size, long nanos) {}

	private final Generator generator;
	private final DirectionSet set;
	private final int[] shown;
	private final DatasetCard data;
	private final double[] values;
	private volatile float[] base;
	private final AtomicLong sequence = new AtomicLong();
	private final AtomicLong rendered = new AtomicLong();
	/** A requested state: the latent and the slider values it came from. */
	private record State(float[] latent, double[] values) {}
	private final LatestWins<State, Frame> renderer = new LatestWins<>("latent-explorer-render", st -> render(st.latent(), st.values()));
	private volatile Frame latest;
	private Path model;
	private boolean ownsGenerator;
	private volatile Map<Integer, String> labels = Map.of();

	/**
	 * @param shown the direction indices to offer as sliders, in slider order
	 * @param data  the model's dataset card (HU mapping, pixel size), or null to stay in model units
	 */
	public LatentExplorer(Generator generator, DirectionSet set, int[] shown, float[] base, DatasetCard data) {
		set.requireGenerator(generator);
		if (shown.length == 0) throw new ExplorerException("The explorer needs at least one direction to show.");
		for (int k : shown)
			if (k < 0 || k >= set.directionCount())
				throw new ExplorerException("Direction " + k + " does not exist: the set has directions 0…" + (set.directionCount() - 1) + ".");
		this.generator = generator;
		this.set = set;
		this.shown = shown.clone();
		this.data = data;
		this.values = new double[shown.length];
		setBase(base);
	}

	/**
	 * Loads a generator (run folder or TorchScript file) and its direction set, or computes the generator's SeFa
	 * directions when {@code directions} is null (seconds for the project's models), and shows the top {@code n}
	 * by {@code ranking} from the base latent of {@code seed}. The returned explorer owns the generator.
	 */
	public static LatentExplorer open(Path model, Path directions, Ranking ranking, int n, long seed, Device device, Monitor monitor) {
		Generator g = Models.load(model, device, monitor);
		try {
			DirectionSet set = directions != null ? DirectionSet.load(directions) : SeFa.directions(g, Math.min(g.latentDim(), Math.max(n, 1)), true);
			monitor.log(directions != null ? "Directions: " + directions + " (" + set.method() + ", " + set.directionCount() + ")"
				: "Directions: SeFa of " + model + " computed now (" + set.directionCount() + ")");
			DatasetCard data = java.nio.file.Files.isDirectory(model) ? ModelCard.read(model).dataset : null;
			LatentExplorer e = new LatentExplorer(g, set, ranking.top(set, n), Traversal.seedLatent(g.latentDim(), seed), data);
			e.model = model;
			e.ownsGenerator = true;
			return e;
		} catch (RuntimeException e) {
			g.close();
			throw e;
		}
	}

	/** The shipped 64² GAN ({@code models/phantom-gan} under the project folder, {@code ctlatent.home}). */
	public static Path shippedModel() {
		return Path.of(System.getProperty("ctlatent.home", "."), "models", "phantom-gan").toAbsolutePath().normalize();
	}

	public Generator generator() { return generator; }
	public DirectionSet directionSet() { return set; }
	/** Direction index behind slider j. */
	public int direction(int j) { return shown[j]; }
	public int sliders() { return shown.length; }
	/** "direction k", with the evaluation report's name for it when one was given ({@link #useLabels}). */
	public String label(int j) { return DirectionLabels.name(shown[j], labels); }

	/** Names directions after an evaluation report's labels (see {@link DirectionLabels#fromReport}). */
	public void useLabels(Map<Integer, String> directionLabels) {
		labels = Map.copyOf(directionLabels);
	}
	public int imageSize() { return generator.imageSize(); }
	/** "HU" when the model carries a dataset card, else model units. */
	public String valueUnit() { return data == null ? "model units [-1, 1]" : "HU"; }
	public double pixelSizeMm() { return data == null ? 1 : data.pixelSizeMm; }
	public synchronized double value(int j) { return values[j]; }
	public synchronized double[] values() { return values.clone(); }
	public float[] base() { return base.clone(); }
	/** Frames rendered so far (requests coalesced away are not counted). */
	public long renderedFrames() { return rendered.get(); }
	/** The last rendered frame, or null. */
	public Frame latest() { return latest; }

	public synchronized void setValue(int j, double v) {
		if (!Double.isFinite(v) || Math.abs(v) > Traversal.Range.MAX_RADIUS)
			throw new ExplorerException("Slider value " + v + " for " + label(j) + " is not a finite shift within ±" + (int) Traversal.Range.MAX_RADIUS + ".");
		values[j] = v;
	}

	/** All sliders back to 0: the image is the base latent's again. */
	public synchronized void reset() {
		Arrays.fill(values, 0);
	}

	public void setBase(float[] z) {
		if (z.length != generator.latentDim())
			throw new ExplorerException("The base latent has " + z.length + " values; the generator needs " + generator.latentDim() + ".");
		Checks.requireFinite("The base latent", z);
		base = z.clone();
	}

	/** A new base z ~ N(0, I) from {@code seed} (the same seed as Traverse Directions' gives the same base). */
	public void randomBase(long seed) {
		setBase(Traversal.seedLatent(generator.latentDim(), seed));
	}

	/** The current latent: base + Σ_j shift(k_j, v_j); a slider at 0 adds nothing (also for linear deformators' bias). */
	public synchronized float[] latent() {
		float[] z = base.clone();
		for (int j = 0; j < shown.length; j++) {
			if (values[j] == 0) continue;
			float[] s = set.shift(shown[j], (float) values[j]);
			for (int i = 0; i < z.length; i++) z[i] += s[i];
		}
		return z;
	}

	/** Renders the current state now, on the calling thread (scripts, tests, snapshots). */
	public Frame render() {
		float[] z;
		double[] v;
		synchronized (this) {
			z = latent();
			v = values();
		}
		return render(z, v);
	}

	private Frame render(float[] z, double[] v) {
		long t0 = System.nanoTime(), seq = sequence.incrementAndGet();
		int d = generator.latentDim();
		float[] px;
		synchronized (generator) { // one generation at a time: the worker and a synchronous caller share the weights
			try (NDManager m = generator.manager().newSubManager()) {
				px = generator.generate(m.create(z, new Shape(1, d, 1, 1))).toFloatArray();
			}
		}
		if (data != null) for (int i = 0; i < px.length; i++) px[i] = (float) data.preprocessing.toHounsfield(px[i]);
		Frame f = new Frame(seq, z, v, px, generator.imageSize(), System.nanoTime() - t0);
		latest = f;
		rendered.incrementAndGet();
		return f;
	}

	/** Called on the render thread with each frame {@link #request()} produced. */
	public void onFrame(Consumer<Frame> listener) {
		renderer.onResult(listener);
	}

	/** Called on the render thread when a requested frame fails. */
	public void onError(Consumer<Throwable> listener) {
		renderer.onError(listener);
	}

	/**
	 * Asks for the current state to be rendered in the background and returns at once. Requests made while a
	 * frame renders collapse into one: the latest state wins ({@link LatestWins}).
	 */
	public void request() {
		State st;
		synchronized (this) {
			st = new State(latent(), values());
		}
		renderer.request(st);
	}

	/** Waits until every request made so far has been rendered (tests, benchmarks). */
	public boolean awaitIdle(long timeoutMs) throws InterruptedException {
		return renderer.awaitIdle(timeoutMs);
	}

	/** The current image as a calibrated ImagePlus in HU (or model units), display range from {@code window}. */
	public ImagePlus snapshot(Window window) {
		return image(render(), "latent " + latentString().hashCode(), window);
	}

	/** A frame as a calibrated ImagePlus, with its latent in the image info. */
	public ImagePlus image(Frame f, String title, Window window) {
		ImagePlus imp = new ImagePlus(title, new FloatProcessor(f.size(), f.size(), f.pixels().clone()));
		imp.getCalibration().pixelWidth = imp.getCalibration().pixelHeight = pixelSizeMm();
		imp.getCalibration().setUnit("mm");
		imp.getCalibration().setValueUnit(valueUnit());
		double[] r = data == null ? new double[] {-1, 1} : new double[] {window.min(), window.max()};
		imp.setDisplayRange(r[0], r[1]);
		imp.setProperty("Info", "Generator " + generator.fingerprint() + "\nlatent=[" + LatentText.format(f.latent()) + "]");
		return imp;
	}

	/**
	 * The walk along slider j's direction from the current latent (the other sliders stay where they are), in HU
	 * when the model has a dataset card: what "make traversal volume" opens as a hyperstack or in BigDataViewer.
	 */
	public TraversalVolume traversal(int j, Traversal.Range range, Monitor monitor) {
		return traversal(j, range, io.github.ctlatent.traverse.Spacing.LINEAR, monitor);
	}

	/** The same walk with frames placed by {@code spacing} (equal shift steps, or equal image change). */
	public TraversalVolume traversal(int j, Traversal.Range range, io.github.ctlatent.traverse.Spacing spacing, Monitor monitor) {
		TraversalVolume v;
		synchronized (generator) {
			double keep = value(j);
			float[] from;
			synchronized (this) {
				values[j] = 0;
				from = latent();
				values[j] = keep;
			}
			Directions named = Directions.of(set).labelled(k -> label(j));
			v = Traversal.walk(generator, named, new int[] {shown[j]}, from, range, spacing, monitor);
		}
		return data == null ? v : v.toHounsfield(data.preprocessing, data.pixelSizeMm);
	}

	/** The slider showing direction {@code k}. */
	public int sliderOf(int k) {
		for (int j = 0; j < shown.length; j++) if (shown[j] == k) return j;
		throw new ExplorerException("Direction " + k + " is not among the explorer's directions " + Arrays.toString(shown) + ".");
	}

	/** The current latent as comma-separated floats ({@link LatentText#format}). */
	public String latentString() {
		return LatentText.format(latent());
	}

	/** The model path given to {@link #open}, or null. */
	public Path model() { return model; }

	/**
	 * True for a run folder with a dataset card (GAN or VAE): a CT slice can then be windowed as the training data was
	 * and turned into a base latent ({@link #encodeBase}).
	 */
	public boolean canEncode() {
		return model != null && java.nio.file.Files.isDirectory(model) && data != null;
	}

	private boolean isVae() {
		return "vae".equals(ModelCard.read(model).kind);
	}

	/**
	 * Sets the base to the latent of {@code imp}'s current slice, preprocessed as the model's training data was: a VAE's
	 * posterior mean (instant), or any other generator's projection ({@link Projection}, seconds; progress and cancel
	 * through {@code monitor}; rendering waits meanwhile). Returns what the base now is, for a status line.
	 */
	public String encodeBase(ImagePlus imp, Monitor monitor) {
		return encodeBase(imp, Projection.Settings.defaults(), monitor);
	}

	/** {@link #encodeBase(ImagePlus, Monitor)} with the projection's settings (scripts, tests). */
	public String encodeBase(ImagePlus imp, Projection.Settings settings, Monitor monitor) {
		if (!canEncode())
			throw new ExplorerException("Encoding a slice needs a run folder with a dataset card (Train GAN / Train VAE) as the model; " + model
				+ " is not one. Open the explorer on a trained model, or use 'Project Slice to Latent' with reference=<its slice set>.");
		String where = "slice " + imp.getCurrentSlice() + " of " + imp.getTitle();
		if (isVae()) {
			setBase(Bases.imageSlices(imp, "", data, model, generator.device(), monitor).get(0).z());
			return "VAE encoding of " + where;
		}
		List<String> names = new ArrayList<>();
		List<float[]> images = new ArrayList<>();
		Bases.imagePlanes(imp, "", data, "slice", names, images);
		Projection.Result r;
		synchronized (generator) { // the render thread shares the weights
			r = Projection.project(generator, images.toArray(new float[0][]), null, settings, monitor).get(0);
		}
		setBase(r.z());
		return String.format(java.util.Locale.ROOT, "projection of %s (MSE %.4f; best random code %.4f)", where, r.mse(), r.randomMse());
	}

	/** The macro call that renders the current image again ("Copy latent"). */
	public String macro() {
		return "run(\"Render Latent\", \"model=[" + (model == null ? "<model>" : model) + "] latent=[" + latentString() + "]\");";
	}

	/** Stops the render thread (the generator stays open: its owner closes it). */
	@Override
	public void close() {
		try {
			renderer.stop(ownsGenerator ? 10_000 : 0); // a frame still rendering uses the weights
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		if (ownsGenerator) {
			synchronized (generator) {
				generator.close();
			}
		}
	}
}
