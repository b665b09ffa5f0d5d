package io.github.ctlatent.hostile;

import ij.IJ;
import ij.ImagePlus;
import io.github.ctlatent.commands.PrepareSliceSetCommand;
import io.github.ctlatent.commands.TrainGanCommand;
import io.github.ctlatent.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.github.ctlatent.hostile.Hostile.*;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 12, defect 8: messages that tell the truth and name the real keys. */
class MessagesTest {

	@TempDir
	Path dir;

	@Test
	void resumingWithOtherModelSettingsSaysSoInsteadOfCallingTheCheckpointDamaged() {
		Path slices = slices(dir), run = dir.resolve("run");
		Harness.run(TrainGanCommand.class, "slices", slices, "output", run, "iterations", 2, "batch_size", 4, "ngf", 4, "ndf", 4, "checkpoint_every", 2,
			"device", "cpu");
		String m = refused(TrainGanCommand.class, "slices", slices, "output", run, "iterations", 4, "batch_size", 4, "ngf", 8, "ndf", 4, "resume", true,
			"device", "cpu");
		assertTrue(m.contains("resume with the run's own settings") && m.contains("ngf=4"), m);
	}

	@Test
	void hintsNameTheRealKeys() throws Exception {
		Path tif = dir.resolve("photo.tif");
		IJ.saveAsTiff(IJ.createImage("photo", "8-bit ramp", 32, 32, 3), tif.toString());
		String m = refused(PrepareSliceSetCommand.class, "image", tif, "output", dir.resolve("set"), "size", 16);
		assertTrue(m.contains("allow_non_hu=true"), m);
		assertFalse(m.contains("require Hounsfield") || m.contains("assume Hounsfield"), m);
		ImagePlus ok = IJ.openImage(tif.toString());
		assertNotNull(ok);
	}
}
