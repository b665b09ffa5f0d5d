package io.github.ctlatent.view;

import ai.djl.Device;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.picture.Window;
import io.github.ctlatent.traverse.TraversalVolume;
import io.github.ctlatent.traverse.Traversals;

import java.nio.file.Path;
import java.util.List;

/**
 * The one door of the view stage, in the manner of BigDataViewer's {@code BdvFunctions}: walks shown in ImageJ,
 * written to an export folder, opened in BigDataViewer, or explored with sliders, each configured by
 * {@link ViewOptions}.
 * <pre>
 * Traversals t = Traversals.of(model, directionsJson).indices("0-3");
 * WalkImages.Shown s = Views.show(t.walk(monitor), ViewOptions.options().title("my GAN"), t, monitor);
 * Views.export(t, ViewOptions.options().output(folder).format("bdv,png"), monitor);
 * Views.bdv(t.walkOne(monitor), ViewOptions.options().report(evaluationFolder), t, monitor);
 * </pre>
 */
public final class Views {

	private Views() {}

	/**
	 * Shows {@code walks} as an ImageJ hyperstack and reslice in the window {@code o} names ({@code auto}: chosen from
	 * the data of {@code t}, said in the log).
	 */
	public static WalkImages.Shown show(List<Traversals.Walk> walks, ViewOptions o, Traversals t, Monitor monitor) {
		return WalkImages.show(walks, o.title(), window(o, t, monitor));
	}

	/** Shows walks in a window already chosen (e.g. the one an export used). */
	public static WalkImages.Shown show(List<Traversals.Walk> walks, String title, Window w) {
		return WalkImages.show(walks, title, w);
	}

	/** Walks {@code t} and writes the export folder {@code o.output()} (refusing a bad folder before rendering). */
	public static ExportFolder.Written export(Traversals t, ViewOptions o, Monitor monitor) {
		if (o.output() == null) throw new ExplorerException("No export folder: give output=<folder>.");
		return ExportFolder.walkAndWrite(t, new ExportFolder.Request(o.output(), o.format(), o.window(), o.frameMs(), o.overwrite()), o.owner(), monitor);
	}

	/**
	 * Opens a walked volume in BigDataViewer (inside Fiji): one source per direction named by {@code o.labels()},
	 * one shown at a time, display range and bounds from the chosen window.
	 */
	public static Object bdv(TraversalVolume v, ViewOptions o, Traversals t, Monitor monitor) {
		Window w = window(o, t, monitor);
		return BdvBridge.show(BdvBridge.sources(v, Exports.cubicShiftSpacing(v), w, o.labels()), o.title(), BdvBridge.fiji());
	}

	/**
	 * A latent explorer on {@code model} (null: the shipped GAN) and {@code directions} (null: SeFa, computed now):
	 * {@code sliders} directions ordered by {@code ranking}, base latent from {@code seed}, sliders named by
	 * {@code o.labels()}. Close it, or hand it to {@link #explorerWindow}.
	 */
	public static LatentExplorer explorer(Path model, Path directions, Ranking ranking, int sliders, long seed, ViewOptions o, Device device, Monitor monitor) {
		LatentExplorer e = LatentExplorer.open(model == null ? LatentExplorer.shippedModel() : model, directions, ranking, sliders, seed, device, monitor);
		if (!o.labels().isEmpty()) e.useLabels(o.labels());
		return e;
	}

	/** The explorer's window (sliders, walks, encode, BDV); it owns {@code e} from here and closes it with itself. */
	public static ExplorerWindow explorerWindow(LatentExplorer e, double radius, long seed, ViewOptions o) {
		// the explorer has no slice set to judge its data by, so "auto" is the lung window there
		return ExplorerWindow.open(e, radius, seed, Window.AUTO.equalsIgnoreCase(o.window()) ? "lung" : o.window());
	}

	/** The window {@code o} names, or for {@code auto} the one the data of {@code t} calls for; logged with why. */
	static Window window(ViewOptions o, Traversals t, Monitor monitor) {
		Window.Choice c = Window.choose(o.window(), t == null ? null : t.dataset());
		monitor.log("Display window: " + c.why());
		return c.window();
	}
}
