package io.github.ctlatent.examples;

import io.github.ctlatent.traverse.WalkPictures;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.traverse.Traversals;
import io.github.ctlatent.view.Exports;
import io.github.ctlatent.picture.Window;

import java.nio.file.Path;

/**
 * Walks directions of the shipped GAN and exports the walk through the traversal stage's entry point
 * {@link Traversals}: shifts one base latent along each chosen direction (the paper's range ε ∈ [−6, 6] in 7
 * frames), in HU, and writes a TIFF hyperstack and a labelled PNG strip in the lung window. The directions come from
 * a {@code directions.json}, here the one {@link SefaOnShippedGan} writes. (For a generator already in memory,
 * {@link io.github.ctlatent.traverse.Traversal#walk} does the same.)
 * <p>
 * Run: {@code java ... WalkAndExport directions.json [output-folder]} from the repository root.
 */
public final class WalkAndExport {

	/** The walk of directions {@code ks} from the latent of {@code seed}, written as walk.tif and walk.png into {@code outDir}. */
	public static TraversalVolume run(Path directionsJson, int[] ks, long seed, Path outDir, Monitor monitor) {
		String indices = String.join(",", java.util.Arrays.stream(ks).mapToObj(String::valueOf).toList());
		TraversalVolume walk = Traversals.of(SampleShippedGan.SHIPPED_GAN, directionsJson).indices(indices).seed(seed).device("cpu").walkOne(monitor);
		Exports.tiff(walk, outDir.resolve("walk.tif"));
		WalkPictures.png(walk, Window.LUNG, outDir.resolve("walk.png"));
		return walk;
	}

	public static void main(String[] args) {
		Path out = Path.of(args.length > 1 ? args[1] : "walk");
		TraversalVolume v = run(Path.of(args.length > 0 ? args[0] : "sefa/directions.json"), new int[] {0, 1, 2}, 1, out, Monitor.printing(System.out));
		System.out.printf("%d directions x %d frames of %d² -> %s%n", v.directions().length, v.frames(), v.size(), out.toAbsolutePath());
	}
}
