package io.github.ctlatent.testing;

import io.github.ctlatent.engine.Engines;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the engine — and with it the arithmetic self-check and its fallback — before any test runs: many tests
 * create arrays straight from DJL, and on an affected CPU their first convolution would otherwise fix oneDNN's
 * instruction set before the project could cap it.
 */
public class NumericsFirst implements LauncherSessionListener {

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		Engines.pytorch();
	}
}
