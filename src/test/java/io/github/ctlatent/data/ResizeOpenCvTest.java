package io.github.ctlatent.data;

import io.github.ctlatent.data.Resize.Interpolation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Our Lanczos-4 against OpenCV's INTER_LANCZOS4 output (fixtures made by make_lanczos_reference.py). */
class ResizeOpenCvTest {

	@ParameterizedTest
	@CsvSource({"200,150,64,48", "96,96,37,37", "40,30,80,60"})
	void matchesOpenCv(int w, int h, int nw, int nh) throws Exception {
		List<String> rows = Files.readAllLines(Path.of("src/test/resources/fixtures/opencv",
			"lanczos_" + w + "x" + h + "_to_" + nw + "x" + nh + ".csv"));
		float[] ours = Resize.resize(image(w, h), w, h, nw, nh, Interpolation.LANCZOS4);
		double worst = 0;
		for (int y = 0; y < nh; y++) {
			String[] cells = rows.get(y).split(",");
			for (int x = 0; x < nw; x++) {
				worst = Math.max(worst, Math.abs(ours[y * nw + x] - Double.parseDouble(cells[x])));
			}
		}
		assertTrue(worst < 0.02, "max |ours − OpenCV| = " + worst + " HU"); // float32 rounding on values up to 1500 HU
	}

	/** Same formula as the Python script. */
	static float[] image(int w, int h) {
		float[] v = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double s = 400.0 * Math.sin(0.37 * x) * Math.cos(0.23 * y)
					+ ((x - w / 2.0) * (x - w / 2.0) + (y - h / 2.0) * (y - h / 2.0) < (h / 3.0) * (h / 3.0) ? 40.0 : -1000.0);
				if (x > w * 0.6 && y > h * 0.6) s = 1500.0;
				v[y * w + x] = (float) s;
			}
		return v;
	}
}
