package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/**
 * How a walk places its frames between −r and +r: {@link #LINEAR} at equal shift steps (the paper's walks), or
 * {@link #EVEN} at equal image change ({@link EvenSteps}), so that a direction which moves the picture in jumps
 * is shown advancing by about the same amount from frame to frame.
 */
public enum Spacing {
	LINEAR, EVEN;

	/** The key's value: "linear" or "even". */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** "linear" (also null or blank) or "even". */
	public static Spacing parse(String s) {
		if (s == null || s.isBlank()) return LINEAR;
		for (Spacing v : values()) if (v.key().equals(s.trim().toLowerCase(Locale.ROOT))) return v;
		throw new ExplorerException("spacing=" + s + " is not known: use spacing=linear (equal shift steps) or spacing=even (equal image change per frame).");
	}
}
