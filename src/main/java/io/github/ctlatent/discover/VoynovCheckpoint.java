package io.github.ctlatent.discover;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.optim.Adam;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a {@link VoynovBabenko} run leaves behind: its checkpoint (step, A, R incl. BatchNorm statistics and both
 * optimizers' moments, written atomically) and the reconstructor's weights alone. Kept apart from the training so that
 * the format, and the checks that refuse a checkpoint of other settings or another generator, are in one place.
 */
final class VoynovCheckpoint {

	private static final String MAGIC = "ctlatent-voynov-checkpoint-1";

	/**
	 * What a checkpoint holds besides the step; {@code deformatorAdam} is null when A is fixed (the baselines).
	 * {@code network} is the reconstructor (Voynov–Babenko) or the Δ-contrastor (DisCo), trained by {@code networkAdam}.
	 */
	record Parts(Deformator deformator, Adam deformatorAdam, ai.djl.nn.Block network, Adam networkAdam) {
		String describeNetwork() {
			return network instanceof Reconstructor r ? "a " + r.type().id() + " reconstructor with " + r.directionCount() + " directions"
				: "this DisCo encoder";
		}
	}

	private VoynovCheckpoint() {
	}

	/**
	 * Writes a checkpoint at {@code step}; {@code identity} (settings and deformator type) and {@code fingerprint}
	 * (the generator's) are what a resume must match.
	 */
	static void save(Path file, String identity, String fingerprint, long step, Parts parts) {
		AtomicFiles.write(file, out -> {
			DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out));
			dos.writeUTF(MAGIC);
			dos.writeUTF(identity);
			dos.writeUTF(fingerprint);
			dos.writeLong(step);
			parts.deformator().save(dos);
			dos.writeBoolean(parts.deformatorAdam() != null);
			if (parts.deformatorAdam() != null) parts.deformatorAdam().save(dos, name -> name); // parameters are named, not DJL ids
			parts.network().saveParameters(dos);
			parts.networkAdam().save(dos, name -> name);
			dos.flush();
		});
	}

	/** Restores {@code parts} from a checkpoint written by {@link #save} and returns its step. */
	static long load(Path file, String identity, String fingerprint, Parts parts, NDManager manager) {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
			if (!MAGIC.equals(in.readUTF()))
				throw new ExplorerException("The file " + file + " is not a direction-discovery checkpoint of this tool. Move it away or use a new output folder.");
			String written = in.readUTF();
			if (!written.equals(identity))
				throw new ExplorerException("The checkpoint " + file + " was written with other settings (" + written + ") than this run ("
					+ identity + "). Use the same settings to resume, or a new output folder.");
			String fp = in.readUTF();
			if (!fp.equals(fingerprint))
				throw new ExplorerException("The checkpoint " + file + " was written for generator " + fp + ", not " + fingerprint
					+ ". Use a new output folder for this generator.");
			long step = in.readLong();
			parts.deformator().load(in, file.toString());
			if (in.readBoolean() != (parts.deformatorAdam() != null)) throw new IOException("optimizer layout differs");
			if (parts.deformatorAdam() != null) parts.deformatorAdam().load(in, name -> name);
			readBlock(parts.network(), manager, in, file, parts.describeNetwork());
			parts.networkAdam().load(in, name -> name);
			return step;
		} catch (IOException e) {
			throw new ExplorerException("Could not read the checkpoint " + file + ": " + AtomicFiles.unchecked(e).getMessage()
				+ ". It may be truncated; delete it to start over.", e);
		}
	}

	/** Writes the reconstructor's parameters (incl. BatchNorm statistics) in DJL's format, atomically. */
	static void saveReconstructor(Reconstructor r, Path file) {
		saveBlock(r, file);
	}

	/** Writes a block's parameters in DJL's format, atomically (the reconstructor, DisCo's encoder). */
	static void saveBlock(ai.djl.nn.Block b, Path file) {
		AtomicFiles.write(file, out -> {
			DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out));
			b.saveParameters(dos);
			dos.flush();
		});
	}

	/** Reads a file written by {@link #saveReconstructor} into {@code r}. */
	static void loadReconstructor(Reconstructor r, NDManager manager, Path file) {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
			readReconstructor(r, manager, in, file);
		} catch (IOException e) {
			throw new ExplorerException("Could not read " + file + ": " + e.getMessage() + ".", e);
		}
	}

	private static void readReconstructor(Reconstructor r, NDManager manager, DataInputStream in, Path source) throws IOException {
		readBlock(r, manager, in, source, "a " + r.type().id() + " reconstructor with " + r.directionCount() + " directions");
	}

	/**
	 * Reads parameters written by {@link #saveBlock} (or inside a checkpoint) into {@code b}, described as {@code what}
	 * in the error, and marks its trainable arrays for gradients again (loading replaces the arrays).
	 */
	static void readBlock(ai.djl.nn.Block b, NDManager manager, DataInputStream in, Path source, String what) throws IOException {
		try {
			b.loadParameters(manager, in);
		} catch (MalformedModelException | RuntimeException e) {
			throw new ExplorerException("The weights in " + source + " do not fit " + what + ": " + e.getMessage()
				+ ". Use the folder's own settings or a new folder.", e);
		}
		for (Pair<String, Parameter> p : b.getParameters())
			if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
	}
}
