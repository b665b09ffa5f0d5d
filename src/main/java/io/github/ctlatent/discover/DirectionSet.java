package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Json;
import io.github.ctlatent.model.Generator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * K latent directions found by any method (Voynov &amp; Babenko, SeFa, PCA), in one format that traversal and the
 * viewer consume: the K×d matrix of directions a_k, the bias b for the linear/proj deformators, the method and its
 * settings, the fingerprint of the generator they belong to, and per-direction statistics.
 * <p>
 * {@link #shift(int, float)} reproduces each method's geometry exactly, so a traversal frame is always
 * G(z + shift(k, ε)). Saved as JSON with the floats as base64 little-endian float32 (bit-exact).
 */
public final class DirectionSet {

	public static final int FORMAT_VERSION = 1;
	public static final String FILE_NAME = "directions.json";

	/**
	 * Per-direction figures; each null where the method does not define it.
	 *
	 * @param rca                 reconstructor accuracy on pairs shifted along this direction (Voynov only)
	 * @param pixelChangePerUnit  mean |ΔG| per pixel for a shift of ε = ±1 (image units, [-1, 1] range)
	 * @param eigenvalue          SeFa eigenvalue of WᵀW, or PCA variance along the component
	 */
	public record DirectionStat(int index, Double rca, Double pixelChangePerUnit, Double eigenvalue) {
		public DirectionStat withPixelChange(double v) {
			return new DirectionStat(index, rca, v, eigenvalue);
		}
	}

	private final String method;
	private final DeformatorType deformator;
	private final Map<String, Object> settings;
	private final String generatorFingerprint;
	private final float[][] directions;
	private final float[] bias;
	private final List<DirectionStat> stats;
	private final Path source;

	/**
	 * A closed-form set (no deformator, no RCA): {@code dirs[c]} ranked by {@code values[c]} (an eigenvalue or a
	 * variance), which each direction's statistics keep.
	 */
	static DirectionSet ranked(String method, Map<String, Object> settings, String fingerprint, float[][] dirs, double[] values) {
		List<DirectionStat> stats = new java.util.ArrayList<>();
		for (int c = 0; c < dirs.length; c++) stats.add(new DirectionStat(c, null, null, values[c]));
		return new DirectionSet(method, null, settings, fingerprint, dirs, null, stats);
	}

	/**
	 * @param deformator the Voynov deformator type (decides the geometry of {@link #shift}); null for closed forms
	 * @param bias       the linear/proj bias, else null
	 * @param generatorFingerprint null when the set is tied to no generator (e.g. PCA of given codes)
	 */
	public DirectionSet(String method, DeformatorType deformator, Map<String, Object> settings, String generatorFingerprint,
		float[][] directions, float[] bias, List<DirectionStat> stats) {
		this(method, deformator, settings, generatorFingerprint, directions, bias, stats, null);
	}

	private DirectionSet(String method, DeformatorType deformator, Map<String, Object> settings, String generatorFingerprint,
		float[][] directions, float[] bias, List<DirectionStat> stats, Path source) {
		if (directions.length == 0) throw new IllegalArgumentException("no directions");
		int d = directions[0].length;
		for (float[] a : directions) if (a.length != d) throw new IllegalArgumentException("ragged direction matrix");
		if (bias != null && bias.length != d) throw new IllegalArgumentException("bias length " + bias.length + " != " + d);
		if ((bias != null) != (deformator != null && deformator.hasBias()))
			throw new IllegalArgumentException("a bias exists exactly for linear/proj deformators");
		this.method = method;
		this.deformator = deformator;
		this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
		this.generatorFingerprint = generatorFingerprint;
		this.directions = directions;
		this.bias = bias;
		this.stats = stats == null ? defaultStats(directions.length) : List.copyOf(stats);
		this.source = source;
	}

	private static List<DirectionStat> defaultStats(int k) {
		List<DirectionStat> s = new ArrayList<>();
		for (int i = 0; i < k; i++) s.add(new DirectionStat(i, null, null, null));
		return s;
	}

	public String method() { return method; }

	/** The Voynov deformator type, or null for a closed-form method. */
	public DeformatorType deformator() { return deformator; }

	public Map<String, Object> settings() { return settings; }

	public String generatorFingerprint() { return generatorFingerprint; }

	public int directionCount() { return directions.length; }

	public int latentDim() { return directions[0].length; }

	/** Direction a_k (a copy). */
	public float[] direction(int k) { return directions[k].clone(); }

	/** The K×d matrix (a copy). */
	public float[][] matrix() {
		float[][] m = new float[directions.length][];
		for (int i = 0; i < m.length; i++) m[i] = directions[i].clone();
		return m;
	}

	/** The linear/proj bias (a copy), null otherwise. */
	public float[] bias() { return bias == null ? null : bias.clone(); }

	public List<DirectionStat> stats() { return stats; }

	/** The file this set was loaded from or saved to last, null if none. */
	public Path source() { return source; }

	String describeSource() {
		return source == null ? "(not saved)" : source.toString();
	}

	public DirectionSet withStats(List<DirectionStat> newStats) {
		if (newStats.size() != directions.length) throw new IllegalArgumentException("one stat per direction");
		return new DirectionSet(method, deformator, settings, generatorFingerprint, directions, bias, newStats, source);
	}

	/**
	 * The latent shift (length d) for magnitude ε along direction k, as the method defines it:
	 * linear ε·a_k + b; proj |ε|·(ε·a_k + b)/‖ε·a_k + b‖ (so ±ε are not exact opposites, and 0 for ε = 0);
	 * all others ε·a_k.
	 */
	public float[] shift(int k, float eps) {
		float[] a = directions[k];
		float[] s = new float[a.length];
		if (deformator == DeformatorType.PROJ && eps == 0) return s;
		double norm = 0;
		for (int i = 0; i < a.length; i++) {
			s[i] = eps * a[i] + (bias == null ? 0 : bias[i]);
			norm += (double) s[i] * s[i];
		}
		if (deformator == DeformatorType.PROJ) {
			double scale = Math.abs(eps) / Math.sqrt(norm);
			for (int i = 0; i < s.length; i++) s[i] = (float) (s[i] * scale);
		}
		return s;
	}

	/**
	 * Throws when this set was discovered on a different generator than {@code g} (sets tied to no generator
	 * pass; so does an unknown fingerprint on either side).
	 */
	public void requireGenerator(Generator g) {
		if (g.latentDim() != latentDim())
			throw new ExplorerException("direction set " + describeSource() + " has " + latentDim() + "-dimensional directions, but the generator's latent has "
				+ g.latentDim() + " dimensions. Use the direction set discovered on this generator.");
		String fp = g.fingerprint();
		if (generatorFingerprint == null && source != null && fp != null)
			throw new ExplorerException("direction set " + source + " names no generatorFingerprint, so it cannot be checked against the model. "
				+ "Use a set written by 'Discover Directions' for this model; if you know this set belongs to it, add \"generatorFingerprint\": \""
				+ fp + "\" to the file.");
		if (generatorFingerprint != null && fp != null && !generatorFingerprint.equals(fp))
			throw new ExplorerException("direction set " + describeSource() + " was discovered on generator " + generatorFingerprint + ", not "
				+ fp + ". Use the direction set discovered on this generator, or run discovery on it.");
	}

	// ---- JSON ----

	/** The stored form: floats as base64 float32 little-endian so that the file round-trips bit-exactly. */
	private static final class Stored {
		int formatVersion;
		String method;
		String deformator;
		Map<String, Object> settings;
		String generatorFingerprint;
		int directions;
		int latentDim;
		String encoding;
		String matrix;
		String bias;
		List<DirectionStat> stats;
	}

	private static final String ENCODING = "float32-le-base64";

	/** Writes the set atomically; returns it with {@link #source()} set to {@code file}. */
	public DirectionSet save(Path file) {
		requireUsable(file + " (not written)", directions, bias);
		Stored s = new Stored();
		s.formatVersion = FORMAT_VERSION;
		s.method = method;
		s.deformator = deformator == null ? null : deformator.id();
		s.settings = settings;
		s.generatorFingerprint = generatorFingerprint;
		s.directions = directions.length;
		s.latentDim = latentDim();
		s.encoding = ENCODING;
		float[] flat = new float[directions.length * latentDim()];
		for (int i = 0; i < directions.length; i++) System.arraycopy(directions[i], 0, flat, i * latentDim(), latentDim());
		s.matrix = encode(flat);
		s.bias = bias == null ? null : encode(bias);
		s.stats = stats;
		Json.write(file, s);
		return new DirectionSet(method, deformator, settings, generatorFingerprint, directions, bias, stats, file);
	}

	public static DirectionSet load(Path file) {
		Stored s = Json.read(file, Stored.class);
		if (s.formatVersion > FORMAT_VERSION)
			throw new ExplorerException("direction set " + file + " has format version " + s.formatVersion + "; this version of the tool reads up to "
				+ FORMAT_VERSION + ". Update the tool.");
		if (!ENCODING.equals(s.encoding) || s.matrix == null || s.directions < 1 || s.latentDim < 1 || s.method == null)
			throw new ExplorerException("direction set " + file + " is incomplete or corrupt (missing method, matrix or sizes). Run discovery again.");
		try {
			float[] flat = decode(s.matrix);
			if (flat.length != s.directions * s.latentDim)
				throw new ExplorerException("direction set " + file + " is corrupt: " + flat.length + " floats for " + s.directions + "×" + s.latentDim
					+ " directions. Run discovery again.");
			float[][] m = new float[s.directions][s.latentDim];
			for (int i = 0; i < s.directions; i++) System.arraycopy(flat, i * s.latentDim, m[i], 0, s.latentDim);
			DeformatorType type = s.deformator == null ? null : DeformatorType.parse(s.deformator);
			float[] bias = s.bias == null ? null : decode(s.bias);
			requireUsable(file, m, bias);
			if (s.stats != null) for (DirectionStat st : s.stats)
				for (Double v : new Double[] {st.rca(), st.pixelChangePerUnit(), st.eigenvalue()})
					if (v != null && !Double.isFinite(v))
						throw new ExplorerException("direction set " + file + ": the statistics of direction " + st.index()
							+ " hold a NaN or infinite number (rca, pixelChangePerUnit or eigenvalue). The file is damaged; run discovery again.");
			return new DirectionSet(s.method, type, s.settings == null ? Map.of() : s.settings, s.generatorFingerprint, m, bias,
				s.stats, file);
		} catch (IllegalArgumentException e) {
			throw new ExplorerException("direction set " + file + " is corrupt (" + e.getMessage() + "). Run discovery again.", e);
		}
	}

	/**
	 * Refuses a matrix that cannot give a valid walk: NaN or infinite entries (all-NaN traversals), or a direction
	 * of length zero (a walk along it shows nothing, and proj's normalisation divides by zero).
	 */
	static void requireUsable(Object where, float[][] m, float[] bias) {
		for (int k = 0; k < m.length; k++)
			for (float v : m[k])
				if (!Float.isFinite(v))
					throw new ExplorerException("direction set " + where + ": direction " + k + " has a value that is NaN or infinite. The file is damaged "
						+ "or the discovery diverged; run discovery again.");
		if (bias != null) for (float v : bias)
			if (!Float.isFinite(v)) throw new ExplorerException("direction set " + where + ": the bias has a value that is NaN or infinite. Run discovery again.");
		java.util.List<Integer> zero = new ArrayList<>();
		for (int k = 0; k < m.length; k++) {
			double n = 0;
			for (float v : m[k]) n += (double) v * v;
			if (n == 0) zero.add(k);
		}
		if (zero.size() == m.length)
			throw new ExplorerException("direction set " + where + " is empty: every direction is all zeros, so every walk would be one constant image. "
				+ "Run discovery again.");
		if (!zero.isEmpty())
			throw new ExplorerException("direction set " + where + ": direction(s) " + zero + " are all zeros (a walk along them shows nothing). "
				+ "Run discovery again.");
	}

	static String encode(float[] v) {
		ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(v);
		return Base64.getEncoder().encodeToString(b.array());
	}

	static float[] decode(String s) {
		byte[] bytes = Base64.getDecoder().decode(s);
		if (bytes.length % 4 != 0) throw new IllegalArgumentException("float data of " + bytes.length + " bytes");
		float[] v = new float[bytes.length / 4];
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
		return v;
	}
}
