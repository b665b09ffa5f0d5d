package io.github.ctlatent.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Weights of one block (a generator, a discriminator, an encoder, a decoder) in DJL's parameter format.
 * Saving is atomic; loading checks that the file holds exactly this architecture and leaves the block as it
 * was when it does not.
 */
public final class ModelFiles {

	private ModelFiles() {}

	/** Writes the block's parameters (incl. BatchNorm running statistics) to {@code file}, atomically. */
	public static void save(Block block, Path file) {
		AtomicFiles.write(file, out -> {
			DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
			block.saveParameters(data);
			data.flush();
		});
	}

	/**
	 * Replaces the parameters of an initialized block by those in {@code file}. {@code architecture} describes the
	 * block for error messages (typically its config record). On any error the block keeps its previous weights.
	 */
	public static void load(Block block, Path file, Object architecture) {
		if (!block.isInitialized()) throw new IllegalStateException("initialize the block before loading weights into it");
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (NoSuchFileException e) {
			throw new ExplorerException("Weights file " + file + " does not exist. Check the path, or train a model first.", e);
		} catch (IOException e) {
			throw new ExplorerException("Could not read weights file " + file + ": " + e.getMessage() + ". Check that it is readable.", e);
		}
		List<Parameter> params = new ArrayList<>();
		List<Shape> shapes = new ArrayList<>();
		for (Pair<String, Parameter> p : block.getParameters()) {
			params.add(p.getValue());
			shapes.add(p.getValue().getShape());
		}
		NDManager manager = params.get(0).getArray().getManager();
		List<NDArray> previous = arrays(params);
		byte[] backup = toBytes(block);
		String problem;
		try {
			problem = readInto(block, manager, bytes, params, shapes);
		} catch (EOFException e) {
			restore(block, manager, backup, params, shapes, previous);
			throw new ExplorerException("The weights file " + file + " ends early: it is truncated, or holds a smaller model than "
				+ architecture + ". Save or train it again.", e);
		} catch (IOException | MalformedModelException | RuntimeException e) {
			restore(block, manager, backup, params, shapes, previous);
			throw new ExplorerException("The weights in " + file + " do not match architecture " + architecture + " ("
				+ e.getMessage() + "). Check that it is a weights file saved for these settings.", e);
		}
		if (problem != null) {
			restore(block, manager, backup, params, shapes, previous);
			throw new ExplorerException("The weights in " + file + " do not match architecture " + architecture + " (" + problem
				+ "). Load them with the settings they were trained with, or train again.");
		}
		// the decoded arrays replaced the old ones, which would otherwise live as long as the model's manager
		previous.forEach(NDArray::close);
	}

	private static List<NDArray> arrays(List<Parameter> params) {
		return new ArrayList<>(params.stream().map(Parameter::getArray).toList());
	}

	/** Loads {@code bytes}; returns a description of a shape/length mismatch, or null when they fit exactly. */
	private static String readInto(Block block, NDManager manager, byte[] bytes, List<Parameter> params, List<Shape> shapes)
		throws IOException, MalformedModelException {
		ByteArrayInputStream in = new ByteArrayInputStream(bytes);
		block.loadParameters(manager, new DataInputStream(in));
		// DJL's Parameter.load neither checks the shape nor restores requiresGradient: do both here
		String problem = null;
		for (int i = 0; i < params.size(); i++) {
			Parameter p = params.get(i);
			p.getArray().setRequiresGradient(p.requiresGradient());
			if (problem == null && !p.getArray().getShape().equals(shapes.get(i)))
				problem = p.getName() + " is " + p.getArray().getShape() + " in the file, " + shapes.get(i) + " in the model";
		}
		if (problem == null && in.available() > 0) problem = in.available() + " bytes left over after the last parameter";
		return problem;
	}

	/** Puts the backed-up weights back after a failed load and frees every array the attempt left behind. */
	private static void restore(Block block, NDManager manager, byte[] backup, List<Parameter> params, List<Shape> shapes, List<NDArray> previous) {
		List<NDArray> stale = arrays(params);
		try {
			readInto(block, manager, backup, params, shapes);
		} catch (IOException | MalformedModelException e) {
			throw new IllegalStateException("could not restore weights the block itself just saved", e);
		}
		java.util.Set<NDArray> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		for (NDArray a : previous) if (done.add(a)) a.close();
		for (NDArray a : stale) if (done.add(a)) a.close();
	}

	/** The block's parameters in the file format, in memory (used to copy weights between blocks). */
	public static byte[] toBytes(Block block) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			DataOutputStream data = new DataOutputStream(out);
			block.saveParameters(data);
			data.flush();
			return out.toByteArray();
		} catch (IOException e) {
			throw new IllegalStateException("writing to memory cannot fail", e);
		}
	}

	/** Copies all parameters of {@code from} into {@code to} (same architecture, both initialized). */
	public static void copy(Block from, Block to, Object architecture) {
		byte[] bytes = toBytes(from);
		List<Parameter> params = new ArrayList<>();
		List<Shape> shapes = new ArrayList<>();
		for (Pair<String, Parameter> p : to.getParameters()) {
			params.add(p.getValue());
			shapes.add(p.getValue().getShape());
		}
		List<NDArray> previous = arrays(params);
		try {
			String problem = readInto(to, previous.get(0).getManager(), bytes, params, shapes);
			if (problem != null) throw new IllegalArgumentException("blocks differ (" + problem + "), expected " + architecture);
		} catch (IOException | MalformedModelException e) {
			throw new IllegalArgumentException("blocks differ (" + e.getMessage() + "), expected " + architecture, e);
		}
		previous.forEach(NDArray::close);
	}
}
