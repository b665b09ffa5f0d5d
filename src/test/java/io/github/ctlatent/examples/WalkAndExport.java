package io.github.ctlatent.examples;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.DatasetCard;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.model.Models;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.view.Exports;
import io.github.ctlatent.view.Window;

import java.nio.file.Path;

/**
 * Walks directions of the shipped GAN and exports the walk: shifts one base latent along each chosen direction
 * ({@link Traversal#walk}, the paper's range ε ∈ [−6, 6] in 7 frames), converts it to HU, and writes a TIFF
 * hyperstack and a labelled PNG strip in the lung window. The directions come from a {@code directions.json}, here
 * the one {@link SefaOnShippedGan} writes.
 * <p>
 * Run: {@code java ... WalkAndExport directions.json [output-folder]} from the repository root.
 */
public final class WalkAndExport {

	/** The walk of directions {@code ks} from the latent of {@code seed}, written as walk.tif and walk.png into {@code outDir}. */
	public static TraversalVolume run(Path directionsJson, int[] ks, long seed, Path outDir, Monitor monitor) {
		DirectionSet set = DirectionSet.load(directionsJson);
		DatasetCard data = ModelCard.read(SampleShippedGan.SHIPPED_GAN).dataset;
		try (Generator g = Models.load(SampleShippedGan.SHIPPED_GAN, Device.cpu())) {
			set.requireGenerator(g); // directions belong to one generator's latent space
			TraversalVolume walk = Traversal.walk(g, Directions.of(set), ks, Traversal.seedLatent(g.latentDim(), seed), Traversal.Range.paper(), monitor);
			walk.toHounsfield(data.preprocessing, data.pixelSizeMm);
			Exports.tiff(walk, outDir.resolve("walk.tif"));
			Exports.png(walk, Window.LUNG, outDir.resolve("walk.png"));
			return walk;
		}
	}

	public static void main(String[] args) {
		Path out = Path.of(args.length > 1 ? args[1] : "walk");
		TraversalVolume v = run(Path.of(args.length > 0 ? args[0] : "sefa/directions.json"), new int[] {0, 1, 2}, 1, out, Monitor.printing(System.out));
		System.out.printf("%d directions x %d frames of %d² -> %s%n", v.directions().length, v.frames(), v.size(), out.toAbsolutePath());
	}
}
