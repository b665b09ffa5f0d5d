package io.github.ctlatent.picture;

import ij.process.ImageProcessor;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.core.Outputs;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOWriteProgressListener;
import javax.imageio.stream.FileImageOutputStream;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * PNG files written complete or not at all, and stoppable. A grid of 20,000 samples is a 9,000² picture that takes
 * seconds to encode: the JDK's encoder reports progress per row, so a cancel aborts it within a fraction of a second
 * and the unfinished temporary file is removed ({@link AtomicFiles#writeVia}). ImageJ's own writer is not used: it
 * reported success on a full disk with the file cut mid-IDAT, so every file is also checked chunk by chunk (lengths
 * and CRCs through IEND) before it is renamed into place — as strict as decoding it, at a fraction of the time.
 */
final class Png {

	private Png() {}

	static void save(ImageProcessor ip, Path file, Monitor monitor) {
		java.awt.image.BufferedImage image = ip.getBufferedImage();
		AtomicFiles.writeVia(file, tmp -> {
			ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
			writer.addIIOWriteProgressListener(new AbortOnCancel(monitor));
			try (FileImageOutputStream out = new FileImageOutputStream(tmp.toFile())) {
				writer.setOutput(out);
				writer.write(image);
			} finally {
				writer.dispose();
			}
			monitor.checkCanceled(); // an aborted encoder returns normally: the cancel is raised here, the partial file removed
			requireComplete(tmp, ip.getWidth(), ip.getHeight());
		});
	}

	/** Throws unless {@code png} is a whole PNG of {@code width} × {@code height}: signature, IHDR, every chunk's CRC, IEND at the end. */
	static void requireComplete(Path png, int width, int height) throws IOException {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(png), 1 << 16))) {
			if (!Arrays.equals(in.readNBytes(8), Outputs.PNG)) throw incomplete(png, "no PNG signature");
			CRC32 crc = new CRC32();
			byte[] buf = new byte[1 << 16];
			for (boolean first = true;; first = false) {
				int length = in.readInt();
				byte[] type = in.readNBytes(4);
				String name = new String(type, StandardCharsets.US_ASCII);
				if (length < 0) throw incomplete(png, "a damaged " + name + " chunk");
				crc.reset();
				crc.update(type);
				if (first) {
					byte[] header = in.readNBytes(length);
					java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header);
					if (!name.equals("IHDR") || length < 8 || h.getInt() != width || h.getInt() != height)
						throw incomplete(png, "not the " + width + " x " + height + " picture that was written");
					crc.update(header);
				} else
					for (int left = length, n; left > 0; left -= n) {
						n = in.read(buf, 0, Math.min(buf.length, left));
						if (n < 0) throw new EOFException();
						crc.update(buf, 0, n);
					}
				if ((int) crc.getValue() != in.readInt()) throw incomplete(png, "a damaged " + name + " chunk");
				if (name.equals("IEND")) {
					if (in.read() >= 0) throw incomplete(png, "bytes after its end");
					return;
				}
			}
		} catch (EOFException e) {
			throw incomplete(png, "cut short");
		}
	}

	private static IOException incomplete(Path png, String what) {
		return new IOException("the PNG written is incomplete (" + what + "; is the disk full?): " + png.getFileName());
	}

	/** Aborts the encoder at its next row once the user asked to stop. */
	private record AbortOnCancel(Monitor monitor) implements IIOWriteProgressListener {
		@Override public void imageProgress(ImageWriter source, float percentageDone) {
			if (monitor.isCanceled()) source.abort();
		}
		@Override public void imageStarted(ImageWriter source, int imageIndex) {}
		@Override public void imageComplete(ImageWriter source) {}
		@Override public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) {}
		@Override public void thumbnailProgress(ImageWriter source, float percentageDone) {}
		@Override public void thumbnailComplete(ImageWriter source) {}
		@Override public void writeAborted(ImageWriter source) {}
	}
}
