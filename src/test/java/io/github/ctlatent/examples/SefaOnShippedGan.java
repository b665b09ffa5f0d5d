package io.github.ctlatent.examples;

import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.Discovery;
import io.github.ctlatent.discover.DiscoverySettings;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.model.Models;

import java.nio.file.Path;

/**
 * Finds latent directions of the shipped GAN in closed form with SeFa (eigenvectors of the first layer's weights)
 * through {@link Discovery}, the one entry point of every discovery method: it writes {@code directions.json} and
 * {@code report.json} into the output folder. The learned Voynov–Babenko method is the same call with
 * {@code method(VOYNOV)} (and minutes of training).
 * <p>
 * Run: {@code java ... SefaOnShippedGan [directions] [output-folder]} from the repository root.
 */
public final class SefaOnShippedGan {

	/** The top {@code k} SeFa directions, each measured on {@code statsSamples} latents (0: not measured). */
	public static Discovery.Result run(int k, int statsSamples, Path outDir, Monitor monitor) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.SEFA).directions(k).statsSamples(statsSamples).build();
		try (Generator g = Models.load(SampleShippedGan.SHIPPED_GAN, Device.cpu())) {
			return Discovery.discover(g, s, outDir, monitor);
		}
	}

	public static void main(String[] args) {
		int k = args.length > 0 ? Integer.parseInt(args[0]) : 8;
		Path out = Path.of(args.length > 1 ? args[1] : "sefa");
		Discovery.Result r = run(k, 16, out, Monitor.printing(System.out));
		System.out.println(r.report().summary() + " -> " + r.directions().source());
	}
}
