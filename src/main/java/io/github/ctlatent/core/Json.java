package io.github.ctlatent.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON for cards and sidecars (dataset card, model card, direction sets): pretty, atomic, clear errors. */
public final class Json {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	private Json() {}

	public static Gson gson() {
		return GSON;
	}

	public static String toJson(Object value) {
		return GSON.toJson(value);
	}

	/** Writes {@code value} atomically; a NaN or infinite number is refused (JSON has none, and a card never holds one). */
	public static void write(Path file, Object value) {
		String text;
		try {
			text = GSON.toJson(value);
		} catch (IllegalArgumentException e) {
			throw new ExplorerException("Refusing to write " + file + ": " + e.getMessage()
				+ ". A setting or a result is not a finite number; check the settings (the log names the last values).", e);
		}
		AtomicFiles.writeString(file, text + "\n");
	}

	/** A record constructor's own check, wrapped by Gson, or null. */
	private static ExplorerException explorerCause(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof ExplorerException x) return x;
		return null;
	}

	/** Gson's own words about where the text stops being the expected JSON, without exception class names or its help link. */
	static String parserSays(Throwable e) {
		Throwable root = e;
		while (root.getCause() != null && root.getCause() != root) root = root.getCause();
		String m = String.valueOf(root.getMessage());
		int see = m.indexOf(" See https://");
		if (see >= 0) m = m.substring(0, see);
		return m.replaceAll("[a-z]+(\\.[a-z]+)+\\.[A-Z][A-Za-z]*(Exception|Error): ?", "").trim();
	}

	public static <T> T read(Path file, Class<T> type) {
		if (!Files.isRegularFile(file)) throw new ExplorerException("Missing file " + file + ".");
		try {
			T v = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
			if (v == null) throw new ExplorerException("Empty JSON file " + file + ".");
			return v;
		} catch (IOException e) {
			throw new ExplorerException("Could not read " + file + ": " + AtomicFiles.describe(e) + ".", e);
		} catch (RuntimeException e) {
			if (e instanceof ExplorerException x) throw x;
			ExplorerException reason = explorerCause(e);
			if (reason != null) throw new ExplorerException(file + ": " + reason.getMessage(), e);
			throw new ExplorerException("Corrupt JSON in " + file + ": " + parserSays(e)
				+ ". It is not a file of this tool or is damaged: give the file the command wrote, recreate it, or restore a backup.", e);
		}
	}
}
