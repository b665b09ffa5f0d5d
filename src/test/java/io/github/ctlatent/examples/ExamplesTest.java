package io.github.ctlatent.examples;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.SliceSets;
import io.github.ctlatent.discover.Discovery;
import io.github.ctlatent.discover.DiscoveryReport;
import io.github.ctlatent.discover.DirectionSet;
import io.github.ctlatent.model.ModelCard;
import io.github.ctlatent.train.TrainingLoop;
import io.github.ctlatent.traverse.TraversalVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Runs every example at tiny sizes, so that the programs a newcomer copies keep working. */
class ExamplesTest {

	@TempDir
	Path dir;

	@Test
	void theExamplesRunAndWriteWhatTheySay() throws Exception {
		float[][] hu = SampleShippedGan.run(4, dir.resolve("samples.png"));
		assertEquals(4, hu.length);
		assertTrue(Files.size(dir.resolve("samples.png")) > 0);
		double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
		for (float v : hu[0]) { min = Math.min(min, v); max = Math.max(max, v); }
		assertTrue(min < -500 && max > 0, "a thorax slice holds air/lung and tissue, got " + min + ".." + max + " HU");

		Discovery.Result sefa = SefaOnShippedGan.run(3, 2, dir.resolve("sefa"), Monitor.NONE);
		assertEquals(3, sefa.directions().directionCount());
		assertEquals("sefa", sefa.report().method());
		assertTrue(Files.isRegularFile(dir.resolve("sefa").resolve(DiscoveryReport.FILE_NAME)));

		TraversalVolume walk = WalkAndExport.run(dir.resolve("sefa").resolve(DirectionSet.FILE_NAME), new int[] {0, 1}, 1, dir.resolve("walk"), Monitor.NONE);
		assertEquals(2, walk.directions().length);
		assertEquals(7, walk.frames());
		assertEquals("HU", walk.valueUnit());
		assertTrue(Files.size(dir.resolve("walk/walk.tif")) > 0 && Files.size(dir.resolve("walk/walk.png")) > 0);

		SliceSets.Written data = PhantomToSliceSet.run(dir.resolve("data"), 3, 16, Monitor.NONE);
		assertEquals(36, data.card().sliceCount);
		assertEquals(3, data.card().volumes.size());
		assertEquals(12, data.card().testSlices, "a third of the 3 patients held out: one volume of 12 slices");
		assertTrue(data.summary().startsWith("36 slices of 16²") && data.summary().contains(" -> " + dir.resolve("data/slices")), data.summary());
		assertTrue(Files.readString(dir.resolve("data/slices/factors.csv")).startsWith("volume,slice,z,"));

		TrainingLoop.Result run = TrainTinyGan.run(dir.resolve("tiny"), 3, Monitor.NONE);
		assertEquals(3, run.iterations());
		assertTrue(Files.isRegularFile(run.runFolder().resolve("generator.params")));
		ModelCard card = ModelCard.read(run.runFolder());
		assertTrue(card.commandLine.startsWith("run(\"Train GAN\"") && card.commandLine.contains(" ngf=8 ndf=8 iterations=3 "), card.commandLine);
	}
}
