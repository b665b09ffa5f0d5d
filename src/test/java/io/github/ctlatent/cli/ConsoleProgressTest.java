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
		assertEquals("ETA 0:00:30", ConsoleProgress.eta(0.5, 30));
		assertEquals("", ConsoleProgress.eta(0, 30));
	}
}
