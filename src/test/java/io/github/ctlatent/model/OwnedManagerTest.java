package io.github.ctlatent.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class OwnedManagerTest {

	@Test
	void aFailedBuildClosesTheManagerWithItsArraysAndASuccessfulOneHandsItOver() {
		AtomicReference<NDManager> seen = new AtomicReference<>();
		AtomicReference<NDArray> array = new AtomicReference<>();
		IllegalStateException e = assertThrows(IllegalStateException.class, () -> OwnedManager.build(Device.cpu(), m -> {
			seen.set(m);
			array.set(m.ones(new ai.djl.ndarray.types.Shape(4)));
			throw new IllegalStateException("weights of another architecture");
		}));
		assertEquals("weights of another architecture", e.getMessage());
		assertFalse(seen.get().isOpen());
		assertTrue(array.get().isReleased());

		try (NDManager kept = OwnedManager.build(Device.cpu(), m -> m)) {
			assertTrue(kept.isOpen());
			assertEquals("PyTorch", kept.getEngine().getEngineName());
		}
	}
}
