package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.data.Preprocessing;
import io.github.ctlatent.testing.ToyGenerator;
import io.github.ctlatent.traverse.Directions;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The bridge's steps against a recording fake of BDV; the same steps on BDV's real classes: BdvKitTest. */
class BdvBridgeTest {

	static ToyGenerator g;

	@BeforeAll
	static void generator() {
		g = new ToyGenerator(4, 16, 3);
	}

	@AfterAll
	static void close() {
		g.close();
	}

	private static TraversalVolume huWalk(int... directions) {
		float[][] axes = new float[4][4];
		for (int i = 0; i < 4; i++) axes[i][i] = 1;
		return Traversal.walk(g, Directions.of(axes), directions, Traversal.seedLatent(4, 9), new Traversal.Range(6, 5), Monitor.NONE)
			.toHounsfield(Preprocessing.cpuDefault(), 0.7);
	}

	@Test
	void opensEveryDirectionInOneWindowWithBoundsAroundTheWindowAndShowsTheFirstAlone() {
		RecordingBdv bdv = new RecordingBdv();
		Object first = BdvBridge.open(BdvBridge.sources(huWalk(1, 3), 1.5, Window.LUNG), "walk", bdv);
		assertEquals("h0", first);
		assertEquals(List.of(
			"show direction 1 in new window 'walk' -> h0",
			"range h0 bounds -2850..1650 display -1350..150",
			"show direction 3 in h0 -> h1",
			"range h1 bounds -2850..1650 display -1350..150",
			"single-source, current h0"), bdv.calls);
	}

	@Test
	void namesSourcesAfterTheEvaluationLabelsWhereThereAreSome() {
		RecordingBdv bdv = new RecordingBdv();
		BdvBridge.open(BdvBridge.sources(huWalk(0, 2), 1, Window.MEDIASTINUM, Map.of(2, "z+")), "walk", bdv);
		assertEquals(List.of("direction 0", "direction 2 · z+"), bdv.shown.stream().map(BdvBridge.Source::name).toList());
		assertTrue(bdv.calls.contains("range h1 bounds -475..575 display -125..225"), bdv.calls.toString());
	}

	@Test
	void modelUnitWalksGetTheModelsRangeAndBoundsAroundIt() {
		float[][] axes = {{1, 0, 0, 0}};
		TraversalVolume raw = Traversal.walk(g, Directions.of(axes), new int[] {0}, new float[4], Traversal.Range.paper(), Monitor.NONE);
		RecordingBdv bdv = new RecordingBdv();
		BdvBridge.open(BdvBridge.sources(raw, 1, Window.LUNG), "walk", bdv);
		assertEquals("range h0 bounds -3..3 display -1..1", bdv.calls.get(1));
	}

	@Test
	void aFailingBdvCallBecomesOneClearErrorAndNoDirectionsIsRefused() {
		BdvBridge.Bdv broken = new RecordingBdv() {
			@Override
			public void showOnly(Object shown) {
				throw new IllegalStateException("no such display mode");
			}
		};
		ExplorerException e = assertThrows(ExplorerException.class, () -> BdvBridge.open(BdvBridge.sources(huWalk(1), 1, Window.LUNG), "t", broken));
		assertTrue(e.getMessage().startsWith("BigDataViewer failed to open the traversal") && e.getMessage().contains("no such display mode"), e.getMessage());
		ExplorerException none = assertThrows(ExplorerException.class, () -> BdvBridge.open(List.of(), "t", new RecordingBdv()));
		assertTrue(none.getMessage().contains("at least one"), none.getMessage());
	}
}
