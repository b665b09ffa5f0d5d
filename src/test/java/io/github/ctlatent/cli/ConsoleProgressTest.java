package io.github.ctlatent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.*;

class ConsoleProgressTest {

	@Test
	void plainOutputPrintsAtMostEveryFivePercent() {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		ConsoleProgress p = new ConsoleProgress(new PrintStream(b, true), false);
		for (int i = 0; i <= 1000; i++) p.show(i, 1000, "training", 0);
		String[] lines = b.toString().trim().split("\n");
		assertEquals(21, lines.length, b.toString());
		assertTrue(lines[20].startsWith("[100%]"));
	}

	@Test
	void terminalOutputRedrawsOneLine() {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		ConsoleProgress p = new ConsoleProgress(new PrintStream(b, true), true);
		p.show(0, 4, "x", 0);
		p.show(2, 4, "x", 0);
		assertTrue(b.toString().contains("\r[###############               ]  50%"), b.toString());
		assertFalse(b.toString().contains("\n"));
	}

	@Test
	void etaExtrapolatesElapsedTime() {
		assertEquals("ETA 0:00:30", ConsoleProgress.eta(50, 50, 30));
		assertEquals("", ConsoleProgress.eta(0, 100, 30));
	}

	@Test
	void aResumedTaskIsTimedFromWhereItResumed() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true), false);
		p.show(2700, 3000, "it 2700", 5_000_000_000L); // resumed at 90%
		p.show(2800, 3000, "it 2800", 105_000_000_000L); // 100 steps in 100 s
		String[] lines = bytes.toString().split("\n");
		assertTrue(lines[lines.length - 1].contains("ETA 0:03:20"), "200 steps to go at 1 step/s: " + lines[lines.length - 1]);
	}
}
