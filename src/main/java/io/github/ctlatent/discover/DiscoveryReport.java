package io.github.ctlatent.discover;

import java.util.Map;

/**
 * The summary of a discovery run, written as {@code report.json} next to the direction set: for Voynov runs the
 * reconstructor accuracy (RCA) of the method against the random and id baselines trained with the same budget
 * (Voynov &amp; Babenko's comparison), each with its chance level 1/K.
 *
 * @param rca        RCA of the method (null for closed forms)
 * @param randomRca  RCA of the random-orthonormal baseline (null when not run)
 * @param idRca      RCA of the coordinate-axes baseline (null when not run)
 * @param baselineDirections K of the baselines (min(K, d): they cannot have more directions than d)
 * @param seconds    wall time of the whole run
 */
public record DiscoveryReport(String method, String deformator, int directions, int latentDim, String generatorFingerprint, long steps,
	Double rca, Double chance, Double randomRca, Double idRca, Integer baselineDirections, Double baselineChance, long validationSamples,
	double seconds, Map<String, Object> settings) {

	public static final String FILE_NAME = "report.json";

	/**
	 * The report of directions written without training a reconstructor: a closed form ({@code deformator} null) or
	 * fixed random/id directions; no RCA, no baselines, seconds filled in when the run ends.
	 */
	static DiscoveryReport untrained(String method, String deformator, int directions, int latentDim, String generatorFingerprint,
		Map<String, Object> settings) {
		return new DiscoveryReport(method, deformator, directions, latentDim, generatorFingerprint, 0, null, null, null, null, null, null, 0, 0,
			settings);
	}

	/** One line for logs: "method RCA 0.83 vs random 0.41 vs id 0.38 (chance 0.25)". */
	public String summary() {
		if (rca == null && deformator != null)
			return method + "/" + deformator + ": " + directions + " fixed directions of a " + latentDim + "-d latent, no reconstructor trained (no RCA), "
				+ String.format("%.1f s", seconds);
		if (rca == null) return method + ": " + directions + " directions of a " + latentDim + "-d latent, closed form, " + String.format("%.1f s", seconds);
		StringBuilder b = new StringBuilder(String.format("%s/%s: RCA %.3f (chance %.3f, %d pairs)", method, deformator, rca, chance, validationSamples));
		if (randomRca != null) b.append(String.format(" vs random %.3f", randomRca));
		if (idRca != null) b.append(String.format(" vs id %.3f", idRca));
		if (baselineDirections != null && baselineDirections != directions)
			b.append(String.format(" (baselines with %d directions, chance %.3f)", baselineDirections, baselineChance));
		return b.toString();
	}
}
