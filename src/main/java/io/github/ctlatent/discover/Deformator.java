package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.engine.Gradients;
import io.github.ctlatent.optim.Adam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The direction matrix A of Voynov &amp; Babenko (the original's "deformator"): turns one-hot shifts ε·e_k into
 * latent shifts of shape (B, d, 1, 1), with the autograd graph to its parameters.
 * <p>
 * Parameters are plain NDArrays in a manager of their own, updated by {@link Adam}. Layout: {@code weight} is
 * (K, d) with row k = direction a_k (PyTorch's Linear weight transposed) for linear/proj/id/random, and the
 * (d, d) matrix M for ortho; {@code bias} (d) exists for linear/proj only. Initialisation as the original with
 * {@code random_init=True}: weight 0.1·N(0,1), bias U(−1/√K, 1/√K) (PyTorch's Linear default), M ~ N(0,1).
 */
public final class Deformator implements AutoCloseable {

	private final DeformatorType type;
	private final int directions, latentDim;
	private final NDManager manager;
	private final NDArray weight, bias;
	/** Restored from a direction set: weight holds the evaluated rows a_k whatever the type; no training. */
	private boolean frozen;
	/** The bias is held at zero and never trained ({@link #withoutBias}). */
	private boolean biasFixed;

	private Deformator(DeformatorType type, int directions, int latentDim, NDManager manager, NDArray weight, NDArray bias) {
		this.type = type;
		this.directions = directions;
		this.latentDim = latentDim;
		this.manager = manager;
		this.weight = weight;
		this.bias = bias;
		if (type.trainable()) {
			weight.setRequiresGradient(true);
			if (bias != null) bias.setRequiresGradient(true);
		}
	}

	/** A freshly initialised deformator whose arrays live in a sub-manager of {@code parent}. */
	public static Deformator create(DeformatorType type, int directions, int latentDim, NDManager parent, SplittableRandom rnd) {
		type.checkShape(directions, latentDim);
		NDManager m = parent.newSubManager();
		int rows = type == DeformatorType.ORTHO ? latentDim : directions;
		float[] w = new float[rows * latentDim];
		float[] b = null;
		switch (type) {
			case LINEAR, PROJ -> {
				for (int i = 0; i < w.length; i++) w[i] = 0.1f * (float) rnd.nextGaussian();
				b = new float[latentDim];
				double bound = 1 / Math.sqrt(directions);
				for (int i = 0; i < b.length; i++) b[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
			}
			case ORTHO -> {
				for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
			}
			case ID -> {
				for (int i = 0; i < directions; i++) w[i * latentDim + i] = 1;
			}
			case RANDOM -> {
				double[][] q = Orthogonal.random(directions, latentDim, rnd);
				for (int i = 0; i < directions; i++)
					for (int j = 0; j < latentDim; j++) w[i * latentDim + j] = (float) q[i][j];
			}
		}
		return new Deformator(type, directions, latentDim, m, m.create(w, new Shape(rows, latentDim)),
			b == null ? null : m.create(b, new Shape(latentDim)));
	}

	/**
	 * A fixed (never trained) deformator with the geometry of a saved Voynov direction set (for re-evaluating its
	 * reconstructor): the stored rows a_k (ortho: already evaluated) and bias are used as they are.
	 */
	public static Deformator of(DirectionSet set, NDManager parent) {
		if (set.deformator() == null)
			throw new ExplorerException("The direction set " + set.describeSource() + " was found by " + set.method()
				+ ", which has no deformator or reconstructor to evaluate.");
		NDManager m = parent.newSubManager();
		int k = set.directionCount(), d = set.latentDim();
		float[] w = new float[k * d];
		for (int i = 0; i < k; i++) System.arraycopy(set.direction(i), 0, w, i * d, d);
		float[] b = set.bias();
		Deformator def = new Deformator(set.deformator(), k, d, m, m.create(w, new Shape(k, d)), b == null ? null : m.create(b, new Shape(d)));
		def.frozen = true;
		def.weight.setRequiresGradient(false);
		if (def.bias != null) def.bias.setRequiresGradient(false);
		return def;
	}

	/**
	 * Holds the linear/proj bias at zero and leaves it out of training, so that every shift is ε·a_k (proj: along
	 * the unit direction a_k/‖a_k‖). DisCo's navigator is a matrix of directions only: with the original's random
	 * bias, shared by all K directions, most of a short shift was the same for every k and the contrast between
	 * directions had little to work on (on the known-answer generator of DiscoTest the learned directions then
	 * matched the factors no better than random ones).
	 */
	Deformator withoutBias() {
		if (bias == null) return this;
		bias.set(new float[latentDim]);
		bias.setRequiresGradient(false);
		biasFixed = true;
		return this;
	}

	public DeformatorType type() {
		return type;
	}

	public int directionCount() {
		return directions;
	}

	public int latentDim() {
		return latentDim;
	}

	/** True when an optimizer should update this deformator (linear, proj, ortho — not the baselines). */
	public boolean trainable() {
		return type.trainable() && !frozen;
	}

	/**
	 * The (K, d) direction matrix: row k is a_k, the shift for ε = 1 before bias and renormalisation. For ortho
	 * it is computed from M (differentiably); arrays are attached to {@code it}.
	 */
	public NDArray directionMatrix(NDManager it) {
		if (type != DeformatorType.ORTHO || frozen) return weight;
		// rows of expm(Mᵀ − M) = columns of expm(M − Mᵀ): the original applies F.linear(x, expm(M − Mᵀ))
		NDArray mt = weight.transpose();
		mt.attach(it);
		return Orthogonal.expm(mt.sub(weight), it);
	}

	/** Latent shifts (B, d, 1, 1) for the one-hot shifts ε_i·e_{k_i}, with the graph to the parameters. */
	public NDArray shifts(int[] k, float[] eps, NDManager it) {
		int b = k.length;
		float[] oneHot = new float[b * directions];
		for (int i = 0; i < b; i++) oneHot[i * directions + k[i]] = eps[i];
		NDArray out = it.create(oneHot, new Shape(b, directions)).matMul(directionMatrix(it));
		if (bias != null && !biasFixed) out = out.add(bias);
		if (type == DeformatorType.PROJ) {
			float[] absEps = new float[b];
			for (int i = 0; i < b; i++) absEps[i] = Math.abs(eps[i]);
			NDArray norm = out.square().sum(new int[] {1}, true).sqrt();
			out = out.mul(it.create(absEps, new Shape(b, 1))).div(norm);
		}
		return out.reshape(b, latentDim, 1, 1);
	}

	/** The current directions a_k as a K×d matrix (ortho: evaluated). */
	public float[][] directions() {
		try (NDManager it = manager.newSubManager()) {
			float[] flat = directionMatrix(it).toFloatArray();
			float[][] a = new float[directions][latentDim];
			for (int i = 0; i < directions; i++) System.arraycopy(flat, i * latentDim, a[i], 0, latentDim);
			return a;
		}
	}

	/** The bias b (linear/proj), null otherwise. */
	public float[] bias() {
		return bias == null ? null : bias.toFloatArray();
	}

	/** One optimizer step from the gradients of the last backward pass; the gradients are then reset to zero. */
	public void step(Adam adam) {
		if (!trainable()) return;
		update(adam, "deformator.weight", weight);
		if (bias != null && !biasFixed) update(adam, "deformator.bias", bias);
	}

	/** True when the gradients of the last backward pass are finite (trainable deformators only). */
	boolean gradientsFinite() {
		if (!trainable()) return true;
		return Gradients.finite(weight) && (bias == null || biasFixed || Gradients.finite(bias));
	}

	/** Drops the gradients of the last backward pass. */
	void clearGradients() {
		if (!trainable()) return;
		Gradients.clear(weight);
		if (bias != null && !biasFixed) Gradients.clear(bias);
	}

	private static void update(Adam adam, String name, NDArray p) {
		try (NDArray g = p.getGradient()) {
			adam.update(name, p, g); // also zeroes g: gradients accumulate across collectors (docs/platform.md §3)
		}
	}

	/** Writes the parameters bit-exactly (for checkpoints). */
	public void save(DataOutputStream out) throws IOException {
		out.writeUTF(type.id());
		out.writeInt(directions);
		out.writeInt(latentDim);
		writeFloats(out, weight.toFloatArray());
		out.writeBoolean(bias != null);
		if (bias != null) writeFloats(out, bias.toFloatArray());
	}

	/** Restores parameters written by {@link #save} into this (same type and shape) deformator. */
	public void load(DataInputStream in, String source) throws IOException {
		String t = in.readUTF();
		int k = in.readInt(), d = in.readInt();
		if (!t.equals(type.id()) || k != directions || d != latentDim)
			throw new ExplorerException("The checkpoint " + source + " holds a " + t + " deformator with " + k + "×" + d
				+ " directions, not " + type.id() + " with " + directions + "×" + latentDim + ". Use a new output folder or the original settings.");
		// NDArray.set, not Params.overwrite: with the index put an ORTHO run resumed from its checkpoint was no longer
		// bit-identical to an uninterrupted one (VoynovBabenkoTest); a resumed run prints libtorch's warning once instead
		weight.set(readFloats(in, Math.toIntExact(weight.size())));
		boolean hasBias = in.readBoolean();
		if (hasBias != (bias != null)) throw new ExplorerException("The checkpoint " + source + " does not match this deformator.");
		if (hasBias) bias.set(readFloats(in, latentDim));
	}

	static void writeFloats(DataOutputStream out, float[] v) throws IOException {
		out.writeInt(v.length);
		for (float f : v) out.writeFloat(f);
	}

	static float[] readFloats(DataInputStream in, int expected) throws IOException {
		int n = in.readInt();
		if (n != expected) throw new IOException("expected " + expected + " floats, found " + n);
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = in.readFloat();
		return v;
	}

	@Override
	public void close() {
		manager.close();
	}
}
