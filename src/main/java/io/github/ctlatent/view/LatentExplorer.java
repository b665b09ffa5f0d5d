package io.github.ctlatent.view;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.Checks;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.data.Volume;
import io.github.ctlatent.data.io.VolumeReaders;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.discover.SeFa;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.model.VaeEncoder;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The live explorer's headless engine: a generator, the directions shown as sliders, a base latent and one value
 * per slider. The current latent is base + Σ shift(k_j, v_j) (each direction with its method's own geometry) and
 * its image is rendered in HU (model units when the model carries no dataset card).
 * <p>
 * {@link #request()} renders on one background thread and coalesces: while a frame renders, newer requests
 * replace each other and only the latest is rendered next, so the picture is never more than one frame behind
 * the sliders and the caller (the event thread) never waits. {@link #render()} is the same, synchronous, for
 * scripts and tests. The explorer does not own the generator: close both.
 */
public final class LatentExplorer implements AutoCloseable {

	/** One rendered image: the state it shows and how long generation took. */
	public record Frame(long sequence, float[] latent, double[] values, float[] pixels, int size, long nanos) {}

	/** Slider order: the set's own order, or the largest SeFa eigenvalue / RCA / pixel change first. */
	public enum Ranking {
		INDEX, EIGENVALUE, RCA, PIXEL_CHANGE;

		public static Ranking parse(String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
			} catch (IllegalArgumentException e) {
				throw new ExplorerException("Unknown ranking '" + s + "'. Use index, eigenvalue (SeFa), rca (Voynov-Babenko) or pixel_change.");
			}
		}
	}

	private final Generator generator;
	private final DirectionSet set;
	private final int[] shown;
	private final DatasetCard data;
	private final double[] values;
	private volatile float[] base;
	private final AtomicLong sequence = new AtomicLong();
	private final AtomicLong rendered = new AtomicLong();
	private final AtomicReference<Object[]> pending = new AtomicReference<>(); // {latent, values} of the latest request
	private final AtomicBoolean scheduled = new AtomicBoolean();
	private final List<Consumer<Frame>> listeners = new CopyOnWriteArrayList<>();
	private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "latent-explorer-render");
		t.setDaemon(true);
		return t;
	});
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
		Generator g = Models.load(model, device);
		try {
			DirectionSet set = directions != null ? DirectionSet.load(directions) : SeFa.directions(g, Math.min(g.latentDim(), Math.max(n, 1)), true);
			monitor.log(directions != null ? "Directions: " + directions + " (" + set.method() + ", " + set.directionCount() + ")"
				: "Directions: SeFa of " + model + " computed now (" + set.directionCount() + ")");
			DatasetCard data = java.nio.file.Files.isDirectory(model) ? ModelCard.read(model).dataset : null;
			LatentExplorer e = new LatentExplorer(g, set, top(set, ranking, n), Traversal.seedLatent(g.latentDim(), seed), data);
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

	/** The first {@code n} directions of {@code set} under {@code ranking} (ties and missing figures keep set order). */
	public static int[] top(DirectionSet set, Ranking ranking, int n) {
		int k = set.directionCount();
		Integer[] order = new Integer[k];
		for (int i = 0; i < k; i++) order[i] = i;
		if (ranking != Ranking.INDEX) {
			double[] score = new double[k];
			for (DirectionSet.DirectionStat s : set.stats()) {
				Double v = switch (ranking) {
					case EIGENVALUE -> s.eigenvalue();
					case RCA -> s.rca();
					case PIXEL_CHANGE -> s.pixelChangePerUnit();
					default -> null;
				};
				if (s.index() >= 0 && s.index() < k) score[s.index()] = v == null || !Double.isFinite(v) ? Double.NEGATIVE_INFINITY : v;
			}
			boolean any = Arrays.stream(score).anyMatch(Double::isFinite);
			if (!any) throw new ExplorerException("The direction set (" + set.method() + ") has no " + ranking.name().toLowerCase(Locale.ROOT)
				+ " figures to rank by. Use ranking=index" + (set.method().equals("sefa") ? " or eigenvalue." : "."));
			Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
		}
		return Arrays.stream(order).limit(Math.max(1, Math.min(n, k))).mapToInt(Integer::intValue).toArray();
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
		listeners.add(listener);
	}

	/** Called on the render thread when a requested frame fails. */
	public void onError(Consumer<Throwable> listener) {
		errorListeners.add(listener);
	}

	/**
	 * Asks for the current state to be rendered in the background and returns at once. Requests made while a
	 * frame renders collapse into one: the latest state wins.
	 */
	public void request() {
		synchronized (this) {
			pending.set(new Object[] {latent(), values()});
		}
		if (scheduled.compareAndSet(false, true)) worker.execute(this::drain);
	}

	private void drain() {
		scheduled.set(false); // first: a request arriving during this render schedules exactly one more drain
		Object[] state = pending.getAndSet(null);
		if (state == null) return;
		try {
			Frame f = render((float[]) state[0], (double[]) state[1]);
			for (Consumer<Frame> l : listeners) l.accept(f);
		} catch (RuntimeException e) {
			for (Consumer<Throwable> l : errorListeners) l.accept(e);
		}
	}

	/** Waits until every request made so far has been rendered (tests, benchmarks). */
	public boolean awaitIdle(long timeoutMs) throws InterruptedException {
		long end = System.currentTimeMillis() + timeoutMs;
		while (System.currentTimeMillis() < end) {
			java.util.concurrent.Future<?> marker = worker.submit(() -> {});
			try {
				marker.get(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
			} catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
				return false;
			}
			if (!scheduled.get() && pending.get() == null) return true;
		}
		return false;
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
		imp.setProperty("Info", "Generator " + generator.fingerprint() + "\nlatent=[" + format(f.latent()) + "]");
		return imp;
	}

	/**
	 * The walk along slider j's direction from the current latent (the other sliders stay where they are), in HU
	 * when the model has a dataset card: what "make traversal volume" opens as a hyperstack or in BigDataViewer.
	 */
	public TraversalVolume traversal(int j, Traversal.Range range, Monitor monitor) {
		TraversalVolume v;
		synchronized (generator) {
			double keep = value(j);
			float[] from;
			synchronized (this) {
				values[j] = 0;
				from = latent();
				values[j] = keep;
			}
			Directions one = new Directions() {
				public int count() { return set.directionCount(); }
				public int latentDim() { return set.latentDim(); }
				public float[] shift(int k, float eps) { return set.shift(k, eps); }
				public String label(int k) { return LatentExplorer.this.label(j); }
			};
			v = Traversal.walk(generator, one, new int[] {shown[j]}, from, range, monitor);
		}
		return data == null ? v : v.toHounsfield(data.preprocessing, data.pixelSizeMm);
	}

	/** The slider showing direction {@code k}. */
	public int sliderOf(int k) {
		for (int j = 0; j < shown.length; j++) if (shown[j] == k) return j;
		throw new ExplorerException("Direction " + k + " is not among the explorer's directions " + Arrays.toString(shown) + ".");
	}

	/** Sets sliders from "direction:shift" pairs, e.g. {@code 0:2.5,3:-1} (what 'Render Latent' takes as values=). */
	public static void applyValues(LatentExplorer e, String pairs) {
		if (pairs == null || pairs.isBlank()) return;
		for (String p : pairs.split(",")) {
			String[] kv = p.trim().split(":");
			try {
				if (kv.length != 2) throw new NumberFormatException();
				e.setValue(e.sliderOf(Integer.parseInt(kv[0].trim())), Double.parseDouble(kv[1].trim()));
			} catch (NumberFormatException x) {
				throw new ExplorerException("values='" + pairs + "': '" + p.trim() + "' is not a direction:shift pair like 3:-1.5.");
			}
		}
	}

	/** The current latent as comma-separated floats (exact: each prints the shortest string that reads back the same). */
	public String latentString() {
		return format(latent());
	}

	static String format(float[] z) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < z.length; i++) sb.append(i == 0 ? "" : ",").append(z[i]);
		return sb.toString();
	}

	/** Reads a latent written by {@link #latentString()} (brackets and spaces allowed). */
	public static float[] parseLatent(String s, int d) {
		String t = s == null ? "" : s.trim().replace("[", "").replace("]", "");
		String[] parts = t.isEmpty() ? new String[0] : t.split("[,\\s]+");
		if (parts.length != d)
			throw new ExplorerException("The latent has " + parts.length + " values; this generator needs " + d
				+ ". Copy it with the explorer's 'Copy latent' button from a window showing the same model.");
		float[] z = new float[d];
		try {
			for (int i = 0; i < d; i++) z[i] = Float.parseFloat(parts[i]);
		} catch (NumberFormatException e) {
			throw new ExplorerException("The latent value '" + e.getMessage().replace("For input string: ", "") + "' is not a number.");
		}
		Checks.requireFinite("The latent", z);
		return z;
	}

	/** The model path given to {@link #open}, or null. */
	public Path model() { return model; }

	/** True for a VAE run folder: its encoder can turn a CT slice into a base latent. */
	public boolean canEncode() {
		return model != null && java.nio.file.Files.isDirectory(model) && "vae".equals(ModelCard.read(model).kind);
	}

	/** Sets the base to the VAE encoding of {@code imp}'s current slice (see {@link #encodeSlice}). */
	public void encodeBase(ImagePlus imp, Monitor monitor) {
		if (!canEncode()) throw new ExplorerException("Encoding a slice needs a VAE run folder as the model; " + model + " is not one. Open the explorer on a VAE.");
		setBase(encodeSlice(model, data, imp, generator.device(), monitor));
	}

	/** The macro call that renders the current image again ("Copy latent"). */
	public String macro() {
		return "run(\"Render Latent\", \"model=[" + (model == null ? "<model>" : model) + "] latent=[" + latentString() + "]\");";
	}

	/**
	 * The VAE posterior mean of {@code imp}'s current slice, preprocessed as the model's training data was: a base
	 * latent that starts the walk from a real patient's slice.
	 */
	public static float[] encodeSlice(Path vaeRun, DatasetCard data, ImagePlus imp, Device device, Monitor monitor) {
		if (data == null) throw new ExplorerException("Encoding a slice (base_image) needs a VAE run folder (its dataset card says how to preprocess the image).");
		Volume vol = VolumeReaders.fromImagePlus(imp);
		int z = Math.max(0, Math.min(vol.depth() - 1, imp.getCurrentSlice() - 1));
		float[] slice = data.preprocessing.apply(vol.plane(z), vol.width(), vol.height());
		try (VaeEncoder enc = VaeEncoder.load(vaeRun, device)) {
			monitor.log("Base latent: VAE encoding of slice " + (z + 1) + " of " + imp.getTitle());
			return enc.encode(new float[][] {slice})[0];
		}
	}

	/** Stops the render thread (the generator stays open: its owner closes it). */
	@Override
	public void close() {
		worker.shutdownNow();
		if (ownsGenerator) {
			try {
				worker.awaitTermination(10, TimeUnit.SECONDS); // a frame still rendering uses the weights
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			synchronized (generator) {
				generator.close();
			}
		}
	}
}
