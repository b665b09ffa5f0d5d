package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/**
 * Which path through the latent a walk follows: {@link #straight()} (base + shift, the paper's walks) or
 * {@link #curved(int)} ({@link CurvedPath}: the walk starts along the direction and at every step turns to the
 * generator's local singular vector closest to its heading, among the top {@code rank}).
 *
 * @param curved whether the path re-estimates the local basis as it walks
 * @param rank   how many of the local basis's leading right singular vectors the heading may snap to (curved only)
 */
public record WalkPath(boolean curved, int rank) {

	/** The default number of local singular vectors a curved walk chooses from. */
	public static final int DEFAULT_RANK = 8;

	public WalkPath {
		if (curved && rank < 1) throw new ExplorerException("A curved walk needs local_rank ≥ 1 (how many local singular vectors it may follow), got " + rank + ".");
	}

	public static WalkPath straight() {
		return new WalkPath(false, 0);
	}

	public static WalkPath curved(int rank) {
		return new WalkPath(true, rank);
	}

	/** The key's value: "straight" or "curved". */
	public String key() {
		return curved ? "curved" : "straight";
	}

	/** "straight" (also null or blank) or "curved" with {@code rank} local singular vectors to choose from. */
	public static WalkPath parse(String s, int rank) {
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("straight")) return straight();
		if (s.trim().toLowerCase(Locale.ROOT).equals("curved")) return curved(rank);
		throw new ExplorerException("path=" + s + " is not known: use path=straight (base + shift along the direction) or path=curved (follow the generator's local "
			+ "singular vector closest to the heading, re-estimated at every step).");
	}
}
