package io.github.ctlatent.data.phantom;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.data.Volume;

import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The README picture of the phantom: four axial slices (apex, mid-thorax, diaphragm, upper abdomen), a coronal and a
 * sagittal reslice, in a [-1000, 600] HU window. A developer tool, so it lives with the tests; regenerate with
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp "target/classes:target/test-classes:target/lib/*" io.github.ctlatent.data.phantom.PhantomPicture \
 *     docs/images/phantom.png [seed] [size]
 * </pre>
 */
public final class PhantomPicture {

	static final double[] AXIAL_Z = {0.08, 0.42, 0.68, 0.93};
	static final String[] AXIAL_NAMES = {"apex", "mid-thorax", "diaphragm", "upper abdomen"};
	private static final double LOW = -1000, HIGH = 600;
	private static final int PANEL = 256;

	private PhantomPicture() {}

	public static void main(String[] args) {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/images/phantom.png");
		long seed = args.length > 1 ? Long.parseLong(args[1]) : -1;
		int size = args.length > 2 ? Integer.parseInt(args[2]) : 256;
		PhantomFactors f = seed < 0 ? PhantomFactors.mean() : PhantomFactors.draw(seed);
		Volume v = ThoraxPhantom.render(0, f, size, size * 3 / 4, 10, 1).volume();
		write(v, f, out);
		System.out.println("Wrote " + out.toAbsolutePath() + " (" + f + ")");
	}

	/** Writes the picture grid of {@code v} (a rendered phantom) as a PNG, atomically. */
	public static void write(Volume v, PhantomFactors f, Path png) {
		ImageProcessor grid = grid(v, f);
		AtomicFiles.writeVia(png, tmp -> {
			if (!new FileSaver(new ImagePlus("phantom", grid)).saveAsPng(tmp.toString())) throw new IOException("ImageJ could not save the PNG");
		});
	}

	/** Three panels per row: apex, mid-thorax, diaphragm / upper abdomen, coronal, sagittal. */
	static ImageProcessor grid(Volume v, PhantomFactors f) {
		int n = v.width(), s = v.depth();
		ImageProcessor[] panels = new ImageProcessor[6];
		String[] labels = new String[6];
		for (int i = 0; i < 4; i++) {
			int k = (int) Math.round(AXIAL_Z[i] * (s - 1));
			panels[i] = new FloatProcessor(n, n, v.plane(k).clone());
			labels[i] = String.format("z=%.2f %s", ThoraxPhantom.z(k, s), AXIAL_NAMES[i]);
		}
		// coronal through the lungs (a little anterior of the body centre), sagittal through the spine
		int row = (int) Math.round((ThoraxPhantom.BODY_CENTRE_Y + f.yShift() - 10) / v.spacing()[1] + n / 2.0);
		int col = n / 2;
		FloatProcessor coronal = new FloatProcessor(n, s), sagittal = new FloatProcessor(n, s);
		for (int k = 0; k < s; k++)
			for (int i = 0; i < n; i++) {
				coronal.setf(i, k, v.get(i, Math.max(0, Math.min(n - 1, row)), k));
				sagittal.setf(i, k, v.get(col, i, k));
			}
		panels[4] = coronal;
		labels[4] = "coronal";
		panels[5] = sagittal;
		labels[5] = "sagittal";
		double aspect = v.spacing()[2] / v.spacing()[0];
		ByteProcessor canvas = new ByteProcessor(3 * PANEL, 2 * PANEL);
		canvas.setColor(java.awt.Color.WHITE);
		canvas.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
		canvas.setAntialiasedText(true);
		for (int p = 0; p < 6; p++) {
			ImageProcessor ip = panels[p];
			ip.setInterpolationMethod(ImageProcessor.BILINEAR);
			int w = PANEL, h = p < 4 ? PANEL : (int) Math.round(PANEL * ip.getHeight() * aspect / ip.getWidth());
			ip = ip.resize(w, Math.min(h, PANEL));
			ip.setMinAndMax(LOW, HIGH);
			ImageProcessor b = ip.convertToByte(true);
			int x0 = (p % 3) * PANEL, y0 = (p / 3) * PANEL + (PANEL - b.getHeight()) / 2;
			canvas.insert(b, x0, y0);
			canvas.drawString(labels[p], x0 + 6, (p / 3) * PANEL + 20);
		}
		return canvas;
	}
}
