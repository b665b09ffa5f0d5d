package io.github.ctlatent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.TorchScriptSidecar.FirstLayer;

import java.nio.file.Path;

/**
 * The (features × d) matrix of a TorchScript generator's first layer, from the parameter its sidecar names.
 * A TorchScript module cannot tell us which operation consumes z first, so this is only ever built from an
 * explicit declaration (SeFa would silently find wrong directions from a guessed layer).
 */
final class TorchScriptFirstLayer {

	private TorchScriptFirstLayer() {}

	/** Null when the sidecar declares no first layer. */
	static float[][] linearMap(PtSymbolBlock block, TorchScriptSidecar sidecar, Path file) {
		FirstLayer f = sidecar.firstLayer();
		if (f == null) return null;
		Path json = TorchScriptSidecar.pathFor(file);
		NDArray w = TorchScriptGenerator.parameter(block, f.parameter());
		if (w == null) throw new ExplorerException("The sidecar " + json + " names \"first_layer\" parameter \"" + f.parameter()
			+ "\" but " + file + " has no such parameter (it has " + block.getDirectParameters().keys()
			+ "). Fix the name or remove \"first_layer\".");
		int d = sidecar.latentDim();
		Shape s = w.getShape();
		float[] v = w.toFloatArray();
		if (FirstLayer.CONV_TRANSPOSE2D.equals(f.layout()) && s.dimension() == 4 && s.get(0) == d) {
			// ConvTranspose2d on a 1×1 input, padding 0: out[c, i, j] = Σ_k W[k, c, i, j] z[k]
			int features = Math.toIntExact(s.size() / d);
			float[][] map = new float[features][d];
			for (int k = 0; k < d; k++)
				for (int r = 0; r < features; r++) map[r][k] = v[k * features + r];
			return map;
		}
		if (FirstLayer.LINEAR.equals(f.layout()) && s.dimension() == 2 && s.get(1) == d) {
			int features = Math.toIntExact(s.get(0));
			float[][] map = new float[features][];
			for (int r = 0; r < features; r++) map[r] = java.util.Arrays.copyOfRange(v, r * d, (r + 1) * d);
			return map;
		}
		throw new ExplorerException("The \"first_layer\" parameter \"" + f.parameter() + "\" of " + file + " has shape " + s
			+ ", which is not a " + f.layout() + " weight for latent size " + d + " (expected "
			+ (FirstLayer.LINEAR.equals(f.layout()) ? "(F, " + d + ")" : "(" + d + ", C, kh, kw)") + "). Fix or remove \"first_layer\" in " + json + ".");
	}
}
