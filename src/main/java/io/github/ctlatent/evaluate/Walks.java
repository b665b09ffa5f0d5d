package io.github.ctlatent.evaluate;

/**
 * Oracle readings along latent walks: for every direction k, base code b and frame t (shifts −T…+T), the
 * standardised value and observability of each factor, and whether the frame passed the realism guard. What
 * {@link DirectionScores} turns into numbers; built by {@link WalkReader} from a generator, or by hand in tests.
 *
 * @param shifts         the shift of every frame (2S+1 values, ascending)
 * @param values         [k][b][t][f] standardised readings
 * @param observable     [k][b][t][f] the oracle's observability decision
 * @param inDistribution [k][b][t] the realism guard's decision
 */
public record Walks(double[] shifts, double[][][][] values, boolean[][][][] observable, boolean[][][] inDistribution) {

	public int directions() {
		return values.length;
	}

	public int bases() {
		return values[0].length;
	}

	public int factors() {
		return values[0][0][0].length;
	}
}
