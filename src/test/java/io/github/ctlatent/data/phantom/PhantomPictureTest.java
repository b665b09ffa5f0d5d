package io.github.ctlatent.data.phantom;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's phantom picture tool still draws its 3 × 2 grid (at a small size, so it stays fast). */
class PhantomPictureTest {

	@Test
	void writesSixWindowedPanels(@TempDir Path tmp) {
		PhantomFactors f = PhantomFactors.mean();
		Path png = tmp.resolve("phantom.png");
		PhantomPicture.write(ThoraxPhantom.render(0, f, 48, 36, 10, 1).volume(), f, png);
		ImagePlus imp = IJ.openImage(png.toString());
		assertNotNull(imp, "PNG not readable");
		assertEquals(3 * 256, imp.getWidth());
		assertEquals(2 * 256, imp.getHeight());
		// the mid-thorax panel (top middle) holds air below the window (black) and bone above it (white)
		imp.setRoi(256, 30, 256, 226);
		ImageStatistics s = imp.getStatistics();
		assertEquals(0, s.min);
		assertTrue(s.max >= 250, "max " + s.max);
	}
}
