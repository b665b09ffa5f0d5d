package io.github.ctlatent.hostile;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.ctlatent.commands.DiscoverDirectionsCommand;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.commands.TraverseDirectionsCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 12, defect 3: a direction set or range that can only give NaN or flat walks is an error, not a success. */
class GarbageTest {

	@TempDir
	Path dir;

	private Path good;

	@BeforeEach
	void discover() {
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("sefa"), "method", "sefa");
		good = dir.resolve("sefa/directions.json");
	}

	/** A copy of the good set with its matrix entries replaced by {@code value} (every entry, or only entry 3). */
	private Path withMatrix(String name, float value, boolean all) throws Exception {
		JsonObject o = JsonParser.parseString(Files.readString(good)).getAsJsonObject();
		ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(o.get("matrix").getAsString())).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < b.capacity() / 4; i++) if (all || i == 3) b.putFloat(4 * i, value);
		o.addProperty("matrix", Base64.getEncoder().encodeToString(b.array()));
		return Files.writeString(dir.resolve(name), o.toString());
	}

	@Test
	void nanInfAndZeroDirectionSetsAreRefusedNamingTheFile() throws Exception {
		for (Path bad : new Path[] {withMatrix("nan.json", Float.NaN, false), withMatrix("inf.json", Float.POSITIVE_INFINITY, false)}) {
			String m = refused(TraverseDirectionsCommand.class, "model", PT, "directions", bad);
			assertTrue(m.contains(bad.toString()) && m.contains("NaN or infinite"), m);
		}
		Path zero = withMatrix("zero.json", 0f, true);
		String m = refused(ExportTraversalCommand.class, "model", PT, "directions", zero, "output", dir.resolve("out"));
		assertTrue(m.contains("every direction is all zeros"), m);
		assertFalse(Files.exists(dir.resolve("out")));
	}

	@Test
	void nanStatisticsInADirectionSetAreRefused() throws Exception {
		// found by the launcher campaign (bench/hostile_campaign.sh): a NaN eigenvalue was read as if measured
		String text = Files.readString(good);
		assertTrue(text.contains("\"eigenvalue\":"), "the SeFa set records eigenvalues");
		Path bad = Files.writeString(dir.resolve("nan-stats.json"), text.replaceFirst("\"eigenvalue\":\\s*[-0-9.eE]+", "\"eigenvalue\": NaN"));
		String m = refused(TraverseDirectionsCommand.class, "model", PT, "directions", bad);
		assertTrue(m.contains(bad.toString()) && m.contains("NaN or infinite"), m);
	}

	@Test
	void aSetWithoutGeneratorFingerprintIsNotSilentlyTrusted() throws Exception {
		JsonObject o = JsonParser.parseString(Files.readString(good)).getAsJsonObject();
		String fp = o.remove("generatorFingerprint").getAsString();
		Path anonymous = Files.writeString(dir.resolve("anonymous.json"), o.toString());
		String m = refused(TraverseDirectionsCommand.class, "model", PT, "directions", anonymous);
		assertTrue(m.contains("names no generatorFingerprint") && m.contains(fp), m);
	}

	@Test
	void anInfiniteOrAbsurdRadiusIsRefusedUpFront() {
		for (String r : new String[] {"Infinity", "NaN", "1e30", "-2"}) {
			String m = refused(TraverseDirectionsCommand.class, "model", PT, "directions", good, "range", "custom", "radius", r);
			assertTrue(m.contains("radius"), m);
		}
	}
}
