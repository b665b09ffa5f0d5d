package io.github.ctlatent.train;

import io.github.ctlatent.core.ExplorerException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * PyTorch's {@code MultiStepLR}: the learning rate is the base rate times {@code gamma} to the number of milestones
 * already reached. A function of the iteration only, so a resumed run follows the schedule an uninterrupted one would.
 *
 * @param milestones iterations (ascending, positive) from which the next factor applies
 * @param gamma      factor per milestone
 */
public record LrSchedule(long[] milestones, double gamma) {

	/** No milestones: the model's constant rate. */
	public static final LrSchedule CONSTANT = new LrSchedule(new long[0], 1);

	public LrSchedule {
		milestones = milestones.clone();
		for (int i = 0; i < milestones.length; i++)
			if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1]))
				throw new ExplorerException("Learning-rate milestones must be positive and ascending, got " + Arrays.toString(milestones) + ".");
		if (!(gamma > 0) || Double.isInfinite(gamma)) throw new ExplorerException("The learning-rate factor gamma must be positive, got " + gamma + ".");
	}

	/**
	 * Parses a comma- or space-separated milestone list ("" for none), as the commands take it.
	 *
	 * @throws ExplorerException naming the bad entry
	 */
	public static LrSchedule parse(String milestones, double gamma) {
		String t = milestones == null ? "" : milestones.trim();
		if (t.isEmpty()) return new LrSchedule(new long[0], gamma);
		String[] parts = t.split("[,\\s]+");
		long[] m = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				m[i] = Long.parseLong(parts[i]);
			} catch (NumberFormatException e) {
				throw new ExplorerException("lr_milestones must be iterations like \"3000\" or \"2000,3000\"; cannot read \"" + parts[i] + "\".");
			}
		}
		return new LrSchedule(m, gamma);
	}

	/** The factor applied to the base rate during the step that starts at {@code iteration} (0-based). */
	public double factorAt(long iteration) {
		int reached = 0;
		for (long m : milestones) if (iteration >= m) reached++;
		return Math.pow(gamma, reached);
	}

	@Override
	public String toString() {
		if (milestones.length == 0) return "constant";
		return "x" + gamma + " at " + Arrays.stream(milestones).mapToObj(Long::toString).collect(Collectors.joining(", "));
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof LrSchedule s && Arrays.equals(milestones, s.milestones) && gamma == s.gamma;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(milestones) * 31 + Double.hashCode(gamma);
	}
}
