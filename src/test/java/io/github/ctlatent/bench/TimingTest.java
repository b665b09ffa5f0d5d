package io.github.ctlatent.bench;

import org.junit.jupiter.api.Test;

import io.github.ctlatent.core.Monitor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingTest {

	/** A step that sleeps for the given milliseconds in turn, counting its calls. */
	private static Runnable sleeping(List<Integer> calls, long... millis) {
		return () -> {
			long ms = millis[Math.min(calls.size(), millis.length - 1)];
			calls.add((int) ms);
			try {
				Thread.sleep(ms);
			} catch (InterruptedException e) {
				throw new IllegalStateException(e);
			}
		};
	}

	@Test
	void withoutATimeBudgetItIsOneWarmUpAndTheRepsAsking() {
		List<Integer> calls = new ArrayList<>();
		double best = new Timing(2, 0, 0).best(sleeping(calls, 1, 30, 5), Monitor.NONE);
		assertEquals(3, calls.size());
		assertTrue(best >= 0.005 && best < 0.025, "the best of the timed iterations, not the warm-up: " + best);
	}

	@Test
	void theWarmUpAndTheTimedIterationsRunUntilTheirSecondsHavePassed() {
		List<Integer> calls = new ArrayList<>();
		long start = System.nanoTime();
		new Timing(1, 0.1, 0.1).best(sleeping(calls, 10), Monitor.NONE);
		double seconds = (System.nanoTime() - start) / 1e9;
		// each phase runs until its 0.1 s have passed: 0.2 s at least, however long a sleep overshoots on a busy machine
		assertTrue(seconds >= 0.2, "both phases ran their time: " + seconds + " s");
		// and stops then: a sleep never undershoots its 10 ms, so each phase ends by its 11th call
		assertTrue(calls.size() >= 2 && calls.size() <= 22, "calls: " + calls.size());
	}

	@Test
	void aTimeOutsideItsRangeIsRefusedByName() {
		System.setProperty("bench.timed.seconds", "-1");
		try {
			String msg = assertThrows(IllegalArgumentException.class, Timing::fromProperties).getMessage();
			assertEquals("-Dbench.timed.seconds=-1 is not a time in seconds from 0 to 600", msg);
		} finally {
			System.clearProperty("bench.timed.seconds");
		}
		Timing defaults = Timing.fromProperties();
		assertEquals(new Timing(2, 2, 3), defaults);
	}
}
