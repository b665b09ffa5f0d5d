package io.github.ctlatent.discover;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.model.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Reconstructor classification accuracy (RCA), the only quantitative signal of Voynov &amp; Babenko: the fraction of
 * fresh image pairs whose direction index the reconstructor recovers, with the reconstructor in eval mode
 * (BatchNorm running statistics). Batches come from {@link ShiftSampler#validationStream}, never seen in training.
 */
public final class ReconstructorAccuracy {

	private ReconstructorAccuracy() {}

	/**
	 * @param overall      fraction of correctly classified pairs
	 * @param perDirection the same per true direction k (NaN where no pair had that k)
	 * @param samples      pairs evaluated
	 */
	public record Result(double overall, double[] perDirection, long samples) {
		/** The result of {@code correct[k]} right answers among {@code seen[k]} pairs of each direction k. */
		static Result of(long[] correct, long[] seen) {
			long c = 0, n = 0;
			double[] per = new double[seen.length];
			for (int i = 0; i < seen.length; i++) {
				c += correct[i];
				n += seen[i];
				per[i] = seen[i] == 0 ? Double.NaN : (double) correct[i] / seen[i];
			}
			return new Result((double) c / n, per, n);
		}

		/** The accuracy of guessing: 1/K. */
		public double chance() {
			return 1.0 / perDirection.length;
		}
	}

	static Result measure(Generator g, Deformator deformator, Reconstructor r, ParameterStore store, ShiftSampler sampler, int batches,
		int batchSize, boolean firstImageTwice) {
		int k = deformator.directionCount();
		long[] correct = new long[k], seen = new long[k];
		for (int v = 0; v < batches; v++) {
			ShiftSampler.Batch b = sampler.sample(ShiftSampler.validationStream(v), batchSize);
			try (NDManager it = g.manager().newSubManager()) {
				NDArray z = it.create(b.z(), new Shape(batchSize, g.latentDim(), 1, 1));
				NDArray pair = Reconstructors.render(g, z, deformator.shifts(b.k(), b.eps(), it), firstImageTwice);
				long[] predicted = r.forward(store, new NDList(pair), false).get(0).argMax(1).toLongArray();
				for (int i = 0; i < batchSize; i++) {
					seen[b.k()[i]]++;
					if (predicted[i] == b.k()[i]) correct[b.k()[i]]++;
				}
			}
		}
		return Result.of(correct, seen);
	}

	/**
	 * Re-evaluates a finished Voynov run from its folder ({@code directions.json} + {@code reconstructor.params})
	 * on {@code batches} fresh batches drawn with {@code seed}.
	 */
	public static Result reevaluate(Generator g, Path folder, int batches, int batchSize, long seed) {
		DirectionSet set = DirectionSet.load(folder.resolve(DirectionSet.FILE_NAME));
		set.requireGenerator(g);
		Object rt = set.settings().get("reconstructor");
		if (rt == null) throw new ExplorerException("The direction set " + set.source() + " has no reconstructor (method " + set.method() + ").");
		Path weights = folder.resolve(VoynovBabenko.RECONSTRUCTOR);
		if (!Files.isRegularFile(weights))
			throw new ExplorerException("Missing reconstructor weights " + weights + ". Re-run discovery in " + folder + " to recreate them.");
		float scale = number(set, "shiftScale", 6), min = number(set, "minShift", 0.5f);
		boolean twice = Boolean.TRUE.equals(set.settings().get("resnetFirstImageTwice"));
		try (NDManager m = g.manager().newSubManager(); Deformator def = Deformator.of(set, m)) {
			ReconstructorType type = ReconstructorType.parse(rt.toString());
			Reconstructor r = Reconstructors.create(type, set.directionCount(), g.imageSize(), m, new SplittableRandom(0));
			VoynovCheckpoint.loadReconstructor(r, m, weights);
			ShiftSampler sampler = new ShiftSampler(g.latentDim(), set.directionCount(), scale, min, seed);
			return measure(g, def, r, new ParameterStore(m, false), sampler, batches, batchSize, twice && type == ReconstructorType.RESNET);
		}
	}

	private static float number(DirectionSet set, String key, float fallback) {
		Object v = set.settings().get(key);
		return v instanceof Number n ? n.floatValue() : fallback;
	}
}
