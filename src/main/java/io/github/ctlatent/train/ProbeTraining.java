package io.github.ctlatent.train;

import ai.djl.Device;
import io.github.ctlatent.engine.ProbeWorkload;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.VaeConfig;

/**
 * What the numerics probes time: one CPU-preset GAN and one CPU-preset VAE iteration at batch 16 (after a warm-up
 * of each, best of two), the training users run most. Registered in {@code META-INF/services}.
 */
public final class ProbeTraining implements ProbeWorkload {

	private static final int BATCH = 16;

	@Override
	public double imagesPerSecond() {
		double seconds = 0;
		try (TimedIterations gan = new TimedIterations(new GanTask(DcganConfig.cpuDefault(), Device.cpu(), 1), BATCH)) {
			seconds += gan.secondsPerIteration(2);
		}
		try (TimedIterations vae = new TimedIterations(new VaeTask(VaeConfig.cpuDefault(), Device.cpu(), 1), BATCH)) {
			seconds += vae.secondsPerIteration(2);
		}
		return 2 * BATCH / seconds;
	}
}
