package io.github.ctlatent.view;

import java.util.ArrayList;
import java.util.List;

/** A {@link BdvBridge.Bdv} that records every call as text and hands out "h0", "h1", … as BDV's handles. */
class RecordingBdv implements BdvBridge.Bdv {

	final List<String> calls = new ArrayList<>();
	final List<BdvBridge.Source> shown = new ArrayList<>();

	@Override
	public Object show(BdvBridge.Source source, String title, Object addTo) {
		String h = "h" + shown.size();
		shown.add(source);
		calls.add("show " + source.name() + " in " + (addTo == null ? "new window '" + title + "'" : addTo) + " -> " + h);
		return h;
	}

	@Override
	public void range(Object shown, double[] bounds, double[] displayRange) {
		calls.add(String.format(java.util.Locale.ROOT, "range %s bounds %.0f..%.0f display %.0f..%.0f", shown, bounds[0], bounds[1], displayRange[0], displayRange[1]));
	}

	@Override
	public void showOnly(Object shown) {
		calls.add("single-source, current " + shown);
	}
}
