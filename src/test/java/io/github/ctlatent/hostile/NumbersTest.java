package io.github.ctlatent.hostile;

import io.github.ctlatent.cli.Cli;
import io.github.ctlatent.cli.CommandRunner;
import io.github.ctlatent.commands.DiscoverDirectionsCommand;
import io.github.ctlatent.commands.ExportTraversalCommand;
import io.github.ctlatent.commands.GeneratePhantomCommand;
import io.github.ctlatent.commands.GenerateSamplesCommand;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.commands.TrainVaeCommand;
import io.github.ctlatent.commands.TraverseDirectionsCommand;
import io.github.ctlatent.core.Limits;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.scijava.ItemIO;
import org.scijava.command.CommandInfo;
import org.scijava.plugin.Parameter;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12, defects 4 and 5: invalid numbers (arguments and numbers read from files) are one clear message naming
 * the key or the file, never silently replaced by a default, never written into a card, never a stack trace; sizes
 * too large for memory are refused up front with the estimate.
 */
class NumbersTest {

	@TempDir
	Path dir;

	private void refusedNaming(String key, Class<? extends org.scijava.command.Command> c, Object... kv) {
		String m = refused(c, kv);
		assertTrue(m.contains(key), "message does not name " + key + ": " + m);
	}

	@Test
	void badTrainingNumbersAreRefusedBeforeAnythingRuns() throws Exception {
		Path s = dir.resolve("no-slices-needed"), out = dir.resolve("run");
		Object[][] cases = {
			{"batch_size", TrainGanCommand.class, "batch_size", -3}, {"learning_rate", TrainGanCommand.class, "learning_rate", -1},
			{"learning_rate", TrainGanCommand.class, "learning_rate", "NaN"}, {"ngf", TrainGanCommand.class, "ngf", -4},
			{"latent_dim", TrainGanCommand.class, "latent_dim", -1}, {"patience", TrainVaeCommand.class, "patience", -2}, {"latent_dim", TrainVaeCommand.class, "latent_dim", 2000000000},
			{"kl_weight", TrainVaeCommand.class, "kl_weight", "Infinity"}, {"lr_gamma", TrainGanCommand.class, "lr_gamma", -1}};
		for (Object[] c : cases) {
			@SuppressWarnings("unchecked") Class<? extends org.scijava.command.Command> cmd = (Class<? extends org.scijava.command.Command>) c[1];
			refusedNaming((String) c[0], cmd, "slices", s, "output", out, c[2], c[3]);
		}
		assertFalse(Files.exists(out), "nothing is written for a refused call");
	}

	@Test
	void badDataNumbersAreRefusedAndNoCardEverHoldsNaN() throws Exception {
		Path in = phantom(dir.resolve("in"), 2, "nifti");
		refusedNaming("test_fraction", PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("a"), "test_fraction", "NaN");
		refusedNaming("hu_min", PrepareSliceSetCommand.class, "input", in, "output", dir.resolve("a"), "hu_min", "-Infinity");
		refusedNaming("noise", GeneratePhantomCommand.class, "output", dir.resolve("p"), "noise", "NaN");
		refusedNaming("count", GeneratePhantomCommand.class, "output", dir.resolve("p"), "count", 0);
		refusedNaming("size", GeneratePhantomCommand.class, "output", dir.resolve("p"), "size", 7);
		refusedNaming("slices", GeneratePhantomCommand.class, "output", dir.resolve("p"), "slices", 0);
		refusedNaming("size", GeneratePhantomCommand.class, "output", dir.resolve("p"), "size", 100000, "slices", 100000);
		String memory = refused(GeneratePhantomCommand.class, "output", dir.resolve("p"), "size", 4096, "slices", 4096);
		assertTrue(memory.contains("needs about") && memory.contains("GiB"), memory);
		assertFalse(Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("p")));
	}

	@Test
	void badSamplingAndWalkingNumbersAreRefused() throws Exception {
		for (Object count : new Object[] {0, -1, 2000000000}) refusedNaming("count", GenerateSamplesCommand.class, "model", PT, "count", count);
		Harness.run(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("sefa"), "method", "sefa");
		Path dirs = dir.resolve("sefa/directions.json");
		refusedNaming("frames", ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", dir.resolve("e"), "range", "custom", "frames", 100000000);
		String memory = refused(TraverseDirectionsCommand.class, "model", PT, "directions", dirs, "range", "custom", "frames", 100000);
		assertTrue(memory.contains("needs about"), memory);
		refusedNaming("5-2", TraverseDirectionsCommand.class, "model", PT, "directions", dirs, "indices", "5-2");
		refusedNaming("frame_ms", ExportTraversalCommand.class, "model", PT, "directions", dirs, "output", dir.resolve("e"), "frame_ms", -5);
		String k = refused(DiscoverDirectionsCommand.class, "model", PT, "output", dir.resolve("k"), "directions", 100000, "steps", 2);
		assertTrue(k.contains("directions") && k.contains("1024"), k);
	}

	@Test
	void damagedNumbersInFilesNameTheFile() throws Exception {
		Path set = slices(dir);
		Path card = set.resolve("dataset.json");
		String json = Files.readString(card);
		for (String bad : new String[] {json.replaceFirst("\"size\": 16", "\"size\": -5"), json.replaceFirst("\"huMin\": -1000.0", "\"huMin\": NaN"),
			json.replaceFirst("\"pixelSizeMm\": [0-9.E-]+", "\"pixelSizeMm\": -1.0")}) {
			assertNotEquals(json, bad);
			Files.writeString(card, bad);
			String m = refused(TrainGanCommand.class, "slices", set, "output", dir.resolve("run"), "iterations", 1);
			assertTrue(m.contains("dataset.json"), m);
		}
		// NIfTI voxel sizes that are not a size: NaN, negative, absurd
		Path nii = dir.resolve("vol/v.nii");
		Files.createDirectories(nii.getParent());
		try (var gz = new GZIPInputStream(Files.newInputStream(dir.resolve("phantom-in/phantom_000.nii.gz")))) {
			Files.write(nii, gz.readAllBytes());
		}
		for (float p : new float[] {Float.NaN, -3f, 1e30f}) {
			try (RandomAccessFile f = new RandomAccessFile(nii.toFile(), "rw")) {
				f.seek(80); // pixdim[1], little endian
				f.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(p).array());
			}
			String m = refused(PrepareSliceSetCommand.class, "input", nii.getParent(), "output", dir.resolve("from-nii"), "size", 16);
			assertTrue(m.contains("v.nii") && m.contains("pixdim[1]"), m);
		}
	}

	@Test
	void theCommandLineRefusesAKeyGivenTwiceAndABadImageIsAFailureNotAUsageError() throws Exception {
		Cli.Outcome twice = Cli.run("Generate Samples", "model=" + PT, "count=2", "count=3");
		assertEquals(2, twice.exit(), twice.err());
		assertTrue(twice.err().contains("given twice"), twice.err());
		Path notImage = Files.writeString(dir.resolve("x.tif"), "not an image");
		Cli.Outcome image = Cli.run("Prepare Slice Set", "image=" + notImage, "output=" + dir.resolve("o"));
		assertEquals(1, image.exit(), image.err());
		// one message, printed once
		Cli.Outcome bad = Cli.run("Generate Samples", "model=" + PT, "count=-1");
		assertEquals(1, bad.exit());
		assertEquals(1, bad.err().split("count=-1 is out of range: it must be from 1 to 100000", -1).length - 1, bad.err());
	}

	/**
	 * Issue 23, items 2 and 3: every numeric key of every command has one declared range in {@link Limits} (a new key
	 * without one fails here), so a count a user can raise has an upper bound and its message says the limit; the
	 * dialogs' bounds ({@code @Parameter(min, max)}) may repeat the range, never contradict it. Seeds are any long.
	 */
	@Test
	void everyNumericKeyHasOneDeclaredRangeAndTheDialogBoundsAgreeWithIt() {
		List<String> problems = new ArrayList<>();
		for (CommandInfo info : Harness.runner().projectCommands()) {
			if (info.getClassName().startsWith(CommandRunner.PACKAGE + "testing.")) continue; // the tests' own fixtures
			Class<?> command;
			try {
				command = Class.forName(info.getClassName());
			} catch (ClassNotFoundException e) {
				throw new AssertionError(e);
			}
			for (Class<?> c = command; c != null && c != Object.class; c = c.getSuperclass())
				for (Field f : c.getDeclaredFields()) {
					Parameter p = f.getAnnotation(Parameter.class);
					Class<?> t = f.getType();
					if (p == null || p.type() == ItemIO.OUTPUT || !(t == int.class || t == long.class || t == double.class || t == float.class)
						|| f.getName().equals("seed")) continue;
					String where = command.getSimpleName() + "." + f.getName();
					Optional<Limits.Range> r = Limits.of(command, f.getName());
					if (r.isEmpty()) problems.add(where + " has no range in core.Limits");
					else if (!p.min().isEmpty() && Double.parseDouble(p.min()) != r.get().min() || !p.max().isEmpty() && Double.parseDouble(p.max()) != r.get().max())
						problems.add(where + ": @Parameter(min = \"" + p.min() + "\", max = \"" + p.max() + "\") but core.Limits says " + r.get().min() + " to " + r.get().max());
				}
		}
		assertEquals(List.of(), problems, String.join("\n", problems));
		// what the message says: the key, the limit and what the bound is for
		String m = refused(GenerateSamplesCommand.class, "model", PT, "count", 100001);
		assertTrue(m.contains("count=100001 is out of range: it must be from 1 to 100000 (images of one call; draw more in several calls"), m);
	}

	@Test
	void aPngWhereNoFolderCanBeIsOneClearMessage() throws Exception {
		Path file = Files.writeString(dir.resolve("plain-file"), "x");
		String m = refused(GenerateSamplesCommand.class, "model", PT, "count", 1, "png", file.resolve("sub/s.png"));
		assertTrue(m.contains("s.png") && m.contains("A file stands where a folder is needed"), m);
	}
}
