package io.github.ctlatent.traverse;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/**
 * Which path through the latent a walk follows: {@link #straight()} (base + shift, the paper's walks) or
 * {@link #curved(int)} ({@link CurvedPath}: the walk starts along the direction and at every step turns to the
 * generator's local singular vector closest to its heading, among the top {@code rank}) or {@link #projected(int)}
 * (the same path, but each step goes along the heading projected onto the span of those top {@code rank} vectors:
 * it turns only as much as the local basis forces it to).
 *
 * @param curved    whether the path re-estimates the local basis as it walks
 * @param rank      how many of the local basis's leading right singular vectors the heading may snap to (curved only)
 * @param projected curved paths: project the heading onto their span instead of snapping to the closest one
 */
public record WalkPath(boolean curved, int rank, boolean projected) {

	/** The default number of local singular vectors a curved walk chooses from. */
	public static final int DEFAULT_RANK = 8;

	public WalkPath {
		if (curved) io.github.ctlatent.core.Limits.LOCAL_RANK.check(rank);
	}

	public static WalkPath straight() {
		return new WalkPath(false, 0, false);
	}

	public static WalkPath curved(int rank) {
		return new WalkPath(true, rank, false);
	}

	public static WalkPath projected(int rank) {
		return new WalkPath(true, rank, true);
	}

	/** The key's value: "straight", "curved" or "projected". */
	public String key() {
		return !curved ? "straight" : projected ? "projected" : "curved";
	}

	/** "straight" (also null or blank) or "curved" with {@code rank} local singular vectors to choose from. */
	public static WalkPath parse(String s, int rank) {
		if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("straight")) return straight();
		if (s.trim().toLowerCase(Locale.ROOT).equals("curved")) return curved(rank);
		if (s.trim().toLowerCase(Locale.ROOT).equals("projected")) return projected(rank);
		throw new ExplorerException("path=" + s + " is not known: use path=straight (base + shift along the direction), path=curved (follow the generator's local "
			+ "singular vector closest to the heading, re-estimated at every step) or path=projected (follow the heading projected onto the top local singular vectors).");
	}
}
