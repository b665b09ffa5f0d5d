package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.ctlatent.engine.Engines;

import java.util.function.Function;

/**
 * Building something that owns a new PyTorch manager (a model with its weights). When building fails half-way (a
 * weight file of another architecture, a bad configuration) the manager is closed with every array already in it,
 * so a refused model leaks no native memory.
 */
final class OwnedManager {

	private OwnedManager() {}

	/** {@code build} run on a new PyTorch manager on {@code device}: the result owns the manager, or it is closed when {@code build} throws. */
	static <T> T build(Device device, Function<NDManager, T> build) {
		NDManager manager = Engines.pytorch().newBaseManager(device);
		try {
			return build.apply(manager);
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}
}
