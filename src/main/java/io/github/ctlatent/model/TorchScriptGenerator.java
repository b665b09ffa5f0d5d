package io.github.ctlatent.model;

import io.github.ctlatent.engine.Scalars;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.ForeignModules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A generator trained elsewhere: a TorchScript module ({@code torch.jit.script(G).save("gen.pt")}) plus the
 * sidecar {@code gen.json} described in {@link TorchScriptSidecar}. Its weights are frozen; {@link #generate}
 * runs the module in eval mode (BatchNorm uses its running statistics) and keeps the autograd graph, so
 * discovery can optimise directions through it.
 * <p>
 * Pixels are returned in [-1, 1] like every {@link Generator}: a module whose sidecar declares another
 * {@code output_range} [lo, hi] is rescaled linearly, {@code 2 (y - lo) / (hi - lo) - 1} (no clipping).
 * <p>
 * Java:
 * <pre>{@code
 * try (Generator g = TorchScriptGenerator.load(Path.of("gen.pt"), Device.cpu());
 *      NDManager it = g.manager().newSubManager()) {
 *     NDArray images = g.generate(it.randomNormal(new Shape(4, g.latentDim(), 1, 1)));
 * }
 * }</pre>
 * Jython (Fiji script editor):
 * <pre>
 * from java.nio.file import Paths
 * from ai.djl import Device
 * from ai.djl.ndarray.types import Shape
 * from io.github.ctlatent.model import TorchScriptGenerator
 * g = TorchScriptGenerator.load(Paths.get("/data/gen.pt"), Device.cpu())
 * it = g.manager().newSubManager()
 * images = g.generate(it.randomNormal(Shape([4, g.latentDim(), 1, 1])))
 * print(images.getShape())
 * it.close(); g.close()
 * </pre>
 *
 * <h2>Why it is loaded and called the way it is (DJL 0.36, PyTorch engine)</h2>
 * <ul>
 * <li>Loaded with {@code trainParam=true}: the default loads the module under {@code c10::InferenceMode},
 * whose tensors can never join an autograd graph, so no gradient would reach z. We then freeze the weights
 * ourselves ({@code requires_grad=false} on the module's own parameter tensors).</li>
 * <li>Called through {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)} with {@code isTrain=true},
 * not through {@code PtSymbolBlock.forward}: for the native side the flag only decides whether the call runs
 * under {@code InferenceMode} (false: no graph, so no gradient to z). {@code PtSymbolBlock.forward} also
 * calls {@code module.train()} whenever the flag differs from the one it last saw, and one train-mode
 * forward both switches BatchNorm to batch statistics and overwrites its running statistics for good
 * ({@code module.eval()} afterwards restores the mode, not the statistics). Bypassing it, the module's mode is
 * only what we set: eval, once, at load ({@link JniUtils#enableInferenceMode}).</li>
 * </ul>
 * Prefer {@code torch.jit.script} to {@code torch.jit.trace}: a trace records BatchNorm's mode at tracing time
 * as a constant, so a module traced in train mode would use batch statistics whatever we do.
 */
public final class TorchScriptGenerator implements Generator {

	private final Path file;
	private final TorchScriptSidecar sidecar;
	private final Model model;
	private final PtSymbolBlock block;
	private final String fingerprint;
	private final float[][] firstLayer;
	/** Its convolutions are libtorch's, out of reach of the project's numerics rules (see {@link ForeignModules}). */
	private final ForeignModules.Lease numerics;

	private TorchScriptGenerator(Path file, TorchScriptSidecar sidecar, Model model, String fingerprint, ForeignModules.Lease numerics) {
		this.numerics = numerics;
		this.file = file;
		this.sidecar = sidecar;
		this.model = model;
		this.block = (PtSymbolBlock) model.getBlock();
		this.fingerprint = fingerprint;
		block.freezeParameters(true);
		JniUtils.enableInferenceMode(block); // module.eval(); DJL's loader does it too, but that is its detail
		checkShapes();
		this.firstLayer = TorchScriptFirstLayer.linearMap(block, sidecar, file);
	}

	/**
	 * Loads {@code pt} and its sidecar ({@code <name>.json} next to it) onto {@code device}. Checks that the
	 * module accepts the declared latent shape and returns (B, 1, image_size, image_size); any problem is one
	 * {@link ExplorerException} naming the file and the fix.
	 */
	public static TorchScriptGenerator load(Path pt, Device device) {
		Path file = pt.toAbsolutePath().normalize();
		if (!Files.isRegularFile(file)) throw new ExplorerException("Missing TorchScript generator " + file
			+ ". Choose the .pt file written by torch.jit.save (e.g. torch.jit.script(G.eval()).save(\"gen.pt\")).");
		TorchScriptSidecar sidecar = TorchScriptSidecar.readFor(file);
		String fingerprint = fingerprint(file, sidecar);
		Engines.pytorch();
		ForeignModules.Lease numerics = ForeignModules.open("the TorchScript generator " + file.getFileName());
		Model model = null;
		try {
			model = Model.newInstance(sidecar.name(), device, "PyTorch");
			try {
				model.load(file.getParent(), file.getFileName().toString(), Map.of("trainParam", "true"));
			} catch (IOException | MalformedModelException | RuntimeException e) {
				throw new ExplorerException("Could not load " + file + " as a TorchScript module (" + engineReason(e)
					+ "). The file is truncated or is not a TorchScript archive: re-export it in Python with "
					+ "torch.jit.script(G.eval()).save(path) or torch.jit.trace(...).save(path); a torch.save state_dict is not enough.", e);
			}
			return new TorchScriptGenerator(file, sidecar, model, fingerprint, numerics);
		} catch (RuntimeException e) {
			if (model != null) model.close();
			numerics.close();
			throw e;
		}
	}

	/** One forward of zeros: the declared latent shape must be accepted and the output must be (B, 1, S, S). */
	private void checkShapes() {
		int size = sidecar.imageSize();
		try (NDManager probe = manager().newSubManager()) {
			NDArray z = probe.zeros(new Shape(2, latentDim(), 1, 1));
			NDList out;
			try {
				out = forward(z);
			} catch (RuntimeException e) {
				throw new ExplorerException("The TorchScript generator " + file + " rejects latents of shape "
					+ inputShape(2) + " (latent_shape " + new Shape(sidecar.latentShape()) + " in " + TorchScriptSidecar.pathFor(file)
					+ "): " + engineReason(e) + ". Set \"latent_shape\" to the shape of one latent as the module's forward() takes it.", e);
			}
			Shape expected = new Shape(2, 1, size, size);
			if (out.size() != 1 || !out.get(0).getShape().equals(expected))
				throw new ExplorerException("The TorchScript generator " + file + " returns " + describe(out) + " for 2 latents, expected "
					+ expected + " (one-channel " + size + "×" + size + " images, \"image_size\": " + size + " in "
					+ TorchScriptSidecar.pathFor(file) + "). Fix \"image_size\", or export a module whose forward() returns one (B, 1, S, S) tensor.");
		}
	}

	@Override
	public NDArray generate(NDArray z) {
		Shape s = z.getShape();
		if (s.dimension() != 4 || s.get(1) != latentDim() || s.get(2) != 1 || s.get(3) != 1)
			throw new IllegalArgumentException("Latents must be (B, " + latentDim() + ", 1, 1), got " + s);
		NDArray y = forward(z).singletonOrThrow();
		if (sidecar.isTanhRange()) return y;
		double lo = sidecar.outputRange()[0], hi = sidecar.outputRange()[1];
		return Scalars.mul(y.sub((float) lo), (float) (2 / (hi - lo))).sub(1f);
	}

	/** isTrain=true keeps the graph; the module stays in eval mode (see the class comment). */
	private NDList forward(NDArray z) {
		NDArray in = z.reshape(inputShape(z.getShape().get(0)));
		return IValueUtils.forward(block, new NDList(in), true);
	}

	private Shape inputShape(long batch) {
		return new Shape(batch).addAll(new Shape(sidecar.latentShape()));
	}

	@Override
	public int latentDim() {
		return sidecar.latentDim();
	}

	@Override
	public int imageSize() {
		return sidecar.imageSize();
	}

	@Override
	public Device device() {
		return model.getNDManager().getDevice();
	}

	@Override
	public NDManager manager() {
		return model.getNDManager();
	}

	/**
	 * SHA-256 of the .pt bytes followed by the sidecar fields that change the images (latent shape, image size,
	 * output range, first layer); renaming the model or reformatting its sidecar keeps its direction sets valid.
	 */
	@Override
	public String fingerprint() {
		return fingerprint;
	}

	/** From the sidecar's optional {@code first_layer} declaration; null when the module does not declare one. */
	@Override
	public float[][] firstLayerLinearMap() {
		if (firstLayer == null) return null;
		float[][] copy = new float[firstLayer.length][];
		for (int i = 0; i < copy.length; i++) copy[i] = firstLayer[i].clone();
		return copy;
	}

	/** The sidecar as read (name, shapes, range). */
	public TorchScriptSidecar sidecar() {
		return sidecar;
	}

	/** The module file. */
	public Path file() {
		return file;
	}

	@Override
	public void close() {
		model.close();
		numerics.close();
	}

	static String fingerprint(Path pt, TorchScriptSidecar sidecar) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(Files.readAllBytes(pt));
			sha.update(Json.toJson(new TorchScriptSidecar(null, sidecar.latentShape(), sidecar.imageSize(), sidecar.outputRange(),
				sidecar.firstLayer(), null)).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(sha.digest());
		} catch (IOException e) {
			throw new ExplorerException("Could not read " + pt + ": " + e + ". Check the file permissions.", e);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String describe(NDList out) {
		return out.size() == 1 ? out.get(0).getShape().toString() : out.size() + " tensors " + java.util.Arrays.toString(out.getShapes());
	}

	/**
	 * The useful line of a libtorch error: TorchScript wraps the cause ("RuntimeError: ...") in a generic
	 * headline and a C++/TorchScript backtrace; users need the cause only.
	 */
	static String engineReason(Throwable e) {
		String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
		for (String line : m.split("\n")) {
			int at = line.indexOf("Error: ");
			if (at >= 0 && line.substring(0, at).matches("\\w*")) return withoutFinalPeriod(line.substring(at + 7));
		}
		int nl = m.indexOf('\n');
		return withoutFinalPeriod(nl < 0 ? m : m.substring(0, nl));
	}

	private static String withoutFinalPeriod(String s) {
		String t = s.strip();
		return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
	}

	/** The module's parameter with this name, or null. */
	static NDArray parameter(PtSymbolBlock block, String name) {
		Parameter p = block.getDirectParameters().get(name);
		return p == null ? null : p.getArray();
	}
}
