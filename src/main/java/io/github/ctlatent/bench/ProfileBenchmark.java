package io.github.ctlatent.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ai.djl.Device;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.VoynovBabenko;
import io.github.ctlatent.model.DcganConfig;
import io.github.ctlatent.model.DcganGenerator;
import io.github.ctlatent.model.Generator;
import io.github.ctlatent.engine.Engines;
import io.github.ctlatent.engine.Numerics;
import org.scijava.plugin.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a training iteration's time goes, operator by operator: one iteration of each row under libtorch's
 * autograd profiler (through DJL's {@link JniUtils#startProfile}), the trace's events turned into self time per
 * operator (an event's duration minus that of the events nested in it on the same thread), largest first.
 * This is how a row that misses its throughput target is diagnosed. {@code -Dbench.rows=gan128,vae128} chooses the rows
 * (any of bench compare's: gan64, vae64, gan128, vae128, vb128; and vae64cycle, gan64warp, vae64warp, gan64teacher),
 * {@code -Dbench.warmup=1} how many iterations run before the profiled one (the allocator reaches its steady state
 * after about ten), {@code -Dbench.profiled=1} how many are profiled (times are their mean), {@code -Dbench.top=8} how many operators are listed, {@code -Dbench.trace=/tmp/{row}.json} keeps each Chrome trace
 * (with input shapes: open it in chrome://tracing or Perfetto).
 */
@Plugin(type = Benchmark.class, name = "profile", description = "self time per libtorch operator in one GAN / VAE training iteration or Voynov-Babenko step (paper presets by default)")
public class ProfileBenchmark implements Benchmark {

	@Override
	public List<Measurement> run(Monitor monitor) throws Exception {
		Engines.seed(1);
		List<Measurement> out = new ArrayList<>();
		for (String row : System.getProperty("bench.rows", "gan128,vae128").split(",")) {
			monitor.checkCanceled();
			String r = row.trim();
			try (Row it = row(r)) {
				// warm-up outside the trace; more iterations reach the allocator's steady state (-Dbench.warmup=N)
				for (int i = Integer.getInteger("bench.warmup", 1); i > 0; i--) it.step();
				Path trace = Files.createTempFile("profile-" + r, ".json");
				// several iterations in one trace, their times averaged: one alone moves by ±20% on a shared machine
				int profiled = Math.max(1, Integer.getInteger("bench.profiled", 1));
				JniUtils.startProfile(false, true, false);
				long t0 = System.nanoTime();
				for (int i = 0; i < profiled; i++) it.step();
				double wall = (System.nanoTime() - t0) / 1e9 / profiled;
				JniUtils.stopProfile(trace.toString());
				Map<String, Double> self = new HashMap<>();
				selfTimes(trace).forEach((op, us) -> self.put(op, us / profiled));
				String keep = System.getProperty("bench.trace");
				if (keep != null) Files.move(trace, Path.of(keep.replace("{row}", r)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				else Files.deleteIfExists(trace);
				double total = self.values().stream().mapToDouble(Double::doubleValue).sum();
				out.add(new Measurement(r + ": iteration (profiled" + (profiled > 1 ? ", mean of " + profiled : "") + ")", wall, "s", "numerics " + Numerics.ensure().config().key()));
				self.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(Integer.getInteger("bench.top", 8)).forEach(e ->
					out.add(new Measurement(r + ": " + e.getKey(), e.getValue() / 1e6, "s", String.format(Locale.ROOT, "%.0f%% of operator time", 100 * e.getValue() / total))));
			}
		}
		return out;
	}

	/** One profiled row's iteration and what it holds. */
	interface Row extends AutoCloseable {
		void step();

		@Override
		void close();
	}

	/** A training row of {@link TaskIterations}, or {@code vb128}: one Voynov–Babenko step as bench compare times it. */
	static Row row(String name) {
		if (!name.equals("vb128")) return TaskIterations.row(name);
		Generator g = DcganGenerator.random(DcganConfig.paper(), Device.cpu());
		VoynovBabenko run = DiscoveryBenchmark.paperRun(g, CompareBenchmark.VB_PAIRS, CompareBenchmark.VB_DIRECTIONS, Monitor.NONE);
		return new Row() {
			public void step() {
				run.trainStep();
			}

			public void close() {
				run.close();
				g.close();
			}
		};
	}

	/** Self time in microseconds per operator name, from a Chrome trace of complete ("X") events. */
	static Map<String, Double> selfTimes(Path trace) throws Exception {
		JsonElement root = JsonParser.parseString(Files.readString(trace));
		JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
		Map<String, List<JsonObject>> byThread = new HashMap<>();
		for (JsonElement e : events) {
			JsonObject o = e.getAsJsonObject();
			if (o.has("ph") && "X".equals(o.get("ph").getAsString()) && o.has("dur"))
				byThread.computeIfAbsent(o.has("tid") ? o.get("tid").getAsString() : "", k -> new ArrayList<>()).add(o);
		}
		Map<String, Double> self = new HashMap<>();
		for (List<JsonObject> list : byThread.values()) {
			list.sort((a, b) -> Double.compare(a.get("ts").getAsDouble(), b.get("ts").getAsDouble()));
			Deque<double[]> open = new ArrayDeque<>(); // {end, index into names}
			List<String> names = new ArrayList<>();
			for (JsonObject o : list) {
				double ts = o.get("ts").getAsDouble(), dur = o.get("dur").getAsDouble();
				while (!open.isEmpty() && open.peek()[0] <= ts) open.pop();
				if (!open.isEmpty()) self.merge(names.get((int) open.peek()[1]), -dur, Double::sum); // the parent loses this span
				names.add(o.get("name").getAsString());
				self.merge(o.get("name").getAsString(), dur, Double::sum);
				open.push(new double[] {ts + dur, names.size() - 1});
			}
		}
		return self;
	}
}
