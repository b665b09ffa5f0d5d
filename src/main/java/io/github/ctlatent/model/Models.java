package io.github.ctlatent.model;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model stage's entry point for exploration: a generator by path. A run folder written by "Train GAN" /
 * "Train VAE" (its {@code model.json} names the architecture) or a TorchScript {@code .pt} file with its JSON
 * sidecar.
 * <pre>
 * try (Generator g = Models.load(Path.of("models/phantom-gan"), Device.cpu())) { … }
 * </pre>
 */
public final class Models {

	private Models() {}

	/** Samples of a run folder or TorchScript model, from files ({@link Sampling}): {@code Models.sampling(model).count(16).seed(1).sample(monitor)}. */
	public static Sampling sampling(Path model) {
		return Sampling.of(model);
	}

	public static Generator load(Path path, Device device) {
		if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".pt")) return TorchScriptGenerator.load(path, device);
		if (!Files.isDirectory(path))
			throw new ExplorerException("No model at " + path + ": give a run folder (with model.json) or a TorchScript .pt file with its .json sidecar.");
		ModelCard card = card(path);
		return switch (card.kind) {
			case "dcgan" -> DcganGenerator.load(config(card, DcganConfig.class), weights(path, card, "generator.params"), device);
			case "vae" -> VaeDecoderGenerator.load(config(card, VaeConfig.class), weights(path, card, "decoder.params"), device);
			default -> throw new ExplorerException("Model kind '" + card.kind + "' in " + path.resolve(ModelCard.FILE) + " is not known to this version.");
		};
	}

	/** As {@link #load(Path, Device)}, saying in {@code monitor}'s log which weights it loads ({@link #weightsNote}). */
	public static Generator load(Path path, Device device, io.github.ctlatent.core.Monitor monitor) {
		Generator g = load(path, device);
		monitor.log("Model " + path + ": " + weightsNote(path));
		return g;
	}

	/**
	 * Which weights loading {@code path} uses, in words: a run folder's last iteration's, or the best held-out
	 * evaluation's when it was trained with keep=best (its card says which, and where the other ones are).
	 */
	public static String weightsNote(Path path) {
		if (!Files.isDirectory(path)) return "TorchScript file";
		ModelCard card = ModelCard.read(path);
		return card.keptWeights != null ? "weights of the " + card.keptWeights : "weights of the last iteration (" + card.iterationsDone + ")";
	}

	/** The model card of a run folder, checked for the fields loading needs. */
	public static ModelCard card(Path run) {
		ModelCard card = ModelCard.read(run);
		if (card.kind == null || card.architecture == null || card.architecture.get("config") == null)
			throw new ExplorerException("Model card " + run.resolve(ModelCard.FILE) + " lacks the model kind or architecture; it was not written by "
				+ "this tool or is damaged.");
		// the dataset card inside (pixel size, HU window) sizes what viewers show: checked like a slice set's own
		if (card.dataset != null) card.dataset.validated(run.resolve(ModelCard.FILE));
		return card;
	}

	/** The architecture record stored in a card. */
	public static <T> T config(ModelCard card, Class<T> type) {
		try {
			return Json.gson().fromJson(Json.gson().toJsonTree(card.architecture.get("config")), type);
		} catch (RuntimeException e) {
			// a range check of the record (e.g. latentDim) is the reason worth naming, not Gson's constructor wrapper
			String why = e.getMessage();
			for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof ExplorerException x) why = x.getMessage();
			throw new ExplorerException("The architecture in the model card does not describe a " + type.getSimpleName() + ": " + why
				+ " The card is damaged or was edited; use the run folder as training wrote it.", e);
		}
	}

	private static Path weights(Path run, ModelCard card, String file) {
		Path w = run.resolve(file);
		if (!Files.isRegularFile(w))
			throw new ExplorerException("Run folder " + run + " has no " + file + " (its training stopped at iteration " + card.iterationsDone
				+ " before finishing): resume it with resume=true to finish it and write the weights.");
		return w;
	}
}
