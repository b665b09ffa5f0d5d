package io.github.ctlatent.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON for cards and sidecars (dataset card, model card, direction sets): pretty, atomic, clear errors. */
public final class Json {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.disableHtmlEscaping().create();

	private Json() {}

	public static Gson gson() {
		return GSON;
	}

	public static String toJson(Object value) {
		return GSON.toJson(value);
	}

	public static void write(Path file, Object value) {
		AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
	}

	public static <T> T read(Path file, Class<T> type) {
		if (!Files.isRegularFile(file)) throw new ExplorerException("Missing file " + file + ".");
		try {
			T v = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
			if (v == null) throw new ExplorerException("Empty JSON file " + file + ".");
			return v;
		} catch (IOException e) {
			throw new ExplorerException("Could not read " + file + ": " + AtomicFiles.describe(e) + ".", e);
		} catch (JsonParseException e) {
			throw new ExplorerException("Corrupt JSON in " + file + ": " + e.getMessage()
				+ ". Recreate the file (it is written by this tool) or restore a backup.", e);
		}
	}
}
