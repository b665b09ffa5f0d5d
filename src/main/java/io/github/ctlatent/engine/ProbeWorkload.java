package io.github.ctlatent.engine;

/**
 * The work a numerics probe times to rank configurations: what users run most (training steps). Found with
 * {@link java.util.ServiceLoader} so that the engine, which the models sit on, need not know them; the training
 * package provides it ({@code META-INF/services}). Without one the probes still check, but are not timed.
 */
public interface ProbeWorkload {

	/** Images per second of the workload in this process's numerics configuration. */
	double imagesPerSecond();
}
