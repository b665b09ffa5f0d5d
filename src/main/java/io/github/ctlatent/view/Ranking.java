package io.github.ctlatent.view;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.discover.DirectionSet;

import java.util.Arrays;
import java.util.Locale;

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

	/** The first {@code n} directions of {@code set} in this order (ties and missing figures keep set order). */
	public int[] top(DirectionSet set, int n) {
		int k = set.directionCount();
		Integer[] order = new Integer[k];
		for (int i = 0; i < k; i++) order[i] = i;
		if (this != INDEX) {
			double[] score = new double[k];
			for (DirectionSet.DirectionStat s : set.stats()) {
				Double v = switch (this) {
					case EIGENVALUE -> s.eigenvalue();
					case RCA -> s.rca();
					case PIXEL_CHANGE -> s.pixelChangePerUnit();
					default -> null;
				};
				if (s.index() >= 0 && s.index() < k) score[s.index()] = v == null || !Double.isFinite(v) ? Double.NEGATIVE_INFINITY : v;
			}
			boolean any = Arrays.stream(score).anyMatch(Double::isFinite);
			if (!any) throw new ExplorerException("The direction set (" + set.method() + ") has no " + name().toLowerCase(Locale.ROOT)
				+ " figures to rank by. Use ranking=index" + (set.method().equals("sefa") ? " or eigenvalue." : "."));
			Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
		}
		return Arrays.stream(order).limit(Math.max(1, Math.min(n, k))).mapToInt(Integer::intValue).toArray();
	}
}
