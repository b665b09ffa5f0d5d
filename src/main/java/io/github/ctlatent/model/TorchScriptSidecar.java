package io.github.ctlatent.model;

import com.google.gson.annotations.SerializedName;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The JSON file next to an external TorchScript generator ({@code gen.pt} → {@code gen.json}) that says what
 * the module cannot: how its latent is shaped, how large its images are, and in which range its pixels lie.
 * <pre>
 * {
 *   "name": "my-ct-gan",                  (optional; default: the file name without .pt)
 *   "latent_shape": [128, 1, 1],          (the shape of ONE latent as forward() takes it; [128] also works)
 *   "image_size": 64,                     (forward() returns (B, 1, 64, 64))
 *   "output_range": [-1, 1],              (e.g. [0, 1] for a sigmoid output; rescaled to [-1, 1])
 *   "first_layer": {"parameter": "0.weight", "layout": "conv_transpose2d"}   (optional, enables SeFa)
 * }
 * </pre>
 * {@code first_layer} declares that forward() begins with a bias-free linear map of z held in the named
 * parameter: {@code conv_transpose2d} (weight (d, C, kh, kw) applied to a 1×1 latent, as in DCGAN) or
 * {@code linear} (weight (F, d)). Only declare it when it is true: SeFa trusts it.
 */
public record TorchScriptSidecar(
	String name,
	@SerializedName("latent_shape") long[] latentShape,
	@SerializedName("image_size") Integer imageSize,
	@SerializedName("output_range") double[] outputRange,
	@SerializedName("first_layer") FirstLayer firstLayer,
	String description) {

	/** Where the latent enters a linear first layer (see the class comment). */
	public record FirstLayer(String parameter, String layout) {
		public static final String CONV_TRANSPOSE2D = "conv_transpose2d", LINEAR = "linear";
	}

	static final String EXAMPLE = "{\"latent_shape\": [128, 1, 1], \"image_size\": 64, \"output_range\": [-1, 1]}";

	/** The sidecar path for a module file: same folder, same name, {@code .json} instead of {@code .pt}. */
	public static Path pathFor(Path moduleFile) {
		String file = moduleFile.getFileName().toString();
		String stem = file.toLowerCase().endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
		return moduleFile.resolveSibling(stem + ".json");
	}

	/** Reads and checks the sidecar of {@code moduleFile}; every problem is one ExplorerException saying what to do. */
	public static TorchScriptSidecar readFor(Path moduleFile) {
		Path file = pathFor(moduleFile);
		if (!Files.isRegularFile(file)) throw new ExplorerException("Missing sidecar " + file + " for the TorchScript generator "
			+ moduleFile + ". Create it next to the .pt file, e.g. " + EXAMPLE + " (see TorchScriptSidecar).");
		TorchScriptSidecar s = Json.read(file, TorchScriptSidecar.class);
		String fix = " in " + file + ". Example of a valid sidecar: " + EXAMPLE + ".";
		if (s.latentShape == null || s.latentShape.length == 0 || Arrays.stream(s.latentShape).anyMatch(v -> v <= 0))
			throw new ExplorerException("Missing or invalid \"latent_shape\" (positive sizes of one latent, e.g. [128, 1, 1])" + fix);
		if (s.imageSize == null || s.imageSize <= 0)
			throw new ExplorerException("Missing or invalid \"image_size\" (side of the square output image)" + fix);
		double[] r = s.outputRange;
		if (r == null || r.length != 2 || !Double.isFinite(r[0]) || !Double.isFinite(r[1]) || r[0] >= r[1])
			throw new ExplorerException("Missing or invalid \"output_range\" ([low, high] of the output pixels, e.g. [-1, 1] for tanh)" + fix);
		FirstLayer f = s.firstLayer;
		if (f != null && (f.parameter() == null || !(FirstLayer.CONV_TRANSPOSE2D.equals(f.layout()) || FirstLayer.LINEAR.equals(f.layout()))))
			throw new ExplorerException("Invalid \"first_layer\": it needs \"parameter\" (a parameter name of the module) and \"layout\" ("
				+ FirstLayer.CONV_TRANSPOSE2D + " or " + FirstLayer.LINEAR + "); remove it if unsure" + fix);
		String name = s.name == null || s.name.isBlank() ? pathFor(moduleFile).getFileName().toString().replaceFirst("\\.json$", "") : s.name;
		return new TorchScriptSidecar(name, s.latentShape, s.imageSize, s.outputRange, f, s.description);
	}

	/** Latent size d: the product of {@link #latentShape}. */
	public int latentDim() {
		return Math.toIntExact(Arrays.stream(latentShape).reduce(1, Math::multiplyExact));
	}

	/** True when pixels are already in [-1, 1] and need no rescaling. */
	public boolean isTanhRange() {
		return outputRange[0] == -1 && outputRange[1] == 1;
	}
}
