package io.github.ctlatent.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A libtorch operator that DJL's op set does not expose, reached through a one-method TorchScript module compiled
 * in this process from source text (a TorchScript archive carries its code as source, which libtorch compiles when
 * it loads the archive; no Python, no file shipped). Used for the fused Adam kernel ({@link FusedAdam}) and the
 * transposed convolution ({@code model.ConvTranspose2d}).
 * <pre>{@code
 * ScriptedOp op = ScriptedOp.compile("Flip", "x: Tensor", "Tensor", "torch.flip(x, [0])");
 * NDArray y = op.apply(x); // differentiable, in x's manager
 * }</pre>
 */
public final class ScriptedOp implements AutoCloseable {

	private final PtNDManager manager;
	private final PtSymbolBlock module;

	private ScriptedOp(PtNDManager manager, PtSymbolBlock module) {
		this.manager = manager;
		this.module = module;
	}

	/**
	 * Compiles {@code def forward(self, <parameters>) -> <returns>: return <expression>} as TorchScript class
	 * {@code name}; {@code expression} may be preceded by statement lines (each ending in a newline).
	 *
	 * @throws IOException when the temporary archive cannot be written
	 * @throws ai.djl.engine.EngineException when libtorch cannot compile the source (an operator it lacks)
	 */
	public static ScriptedOp compile(String name, String parameters, String returns, String expression) throws IOException {
		ai.djl.engine.Engine.getEngine("PyTorch"); // not Engines.pytorch(): the numerics check itself compiles ops
		PtNDManager m = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
		Path file = null;
		try {
			file = Files.createTempFile("ctlatent-" + name, ".pt");
			Files.write(file, archive(name, source(name, parameters, returns, expression)));
			return new ScriptedOp(m, JniUtils.loadModule(m, file, false, new String[0], new String[0], false));
		} catch (IOException | RuntimeException e) {
			m.close();
			throw e;
		} finally {
			if (file != null) try {
				Files.deleteIfExists(file);
			} catch (IOException ignored) {
				// a temporary file the OS cleans up
			}
		}
	}

	/** The module's code as libtorch's serializer writes it (class with the attributes every nn.Module has). */
	static String source(String name, String parameters, String returns, String expression) {
		String[] lines = expression.strip().split("\n");
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < lines.length; i++) body.append("    ").append(i == lines.length - 1 ? "return " : "").append(lines[i].strip()).append('\n');
		return "class " + name + "(Module):\n"
			+ "  __parameters__ = []\n"
			+ "  __buffers__ = []\n"
			+ "  training : bool\n"
			+ "  _is_full_backward_hook : Optional[bool]\n"
			+ "  def forward(self: __torch__." + name + ", " + parameters + ") -> " + returns + ":\n"
			+ body;
	}

	/**
	 * Runs the method with autograd on: the result is differentiable like any DJL op's result (libtorch records
	 * the operator's backward) and belongs to the first input's manager.
	 */
	public NDArray apply(NDArray... inputs) {
		return IValueUtils.forward(module, new NDList(inputs), true).singletonOrThrow();
	}

	/** Runs the method on arbitrary values (lists, scalars) with autograd off; the caller closes the result. */
	public IValue call(IValue... inputs) {
		return IValueUtils.forward(module, inputs);
	}

	/** The archive: the module object pickled (training = True, no hook flag), its code, no constants. */
	static byte[] archive(String name, String source) throws IOException {
		String dataPkl = "\u0080\u0002c__torch__\n" + name + "\nq\u0000)\u0081}(X\u0008\u0000\u0000\u0000trainingq\u0001\u0088"
			+ "X\u0016\u0000\u0000\u0000_is_full_backward_hookq\u0002Nubq\u0003.";
		String dir = name.toLowerCase(java.util.Locale.ROOT) + "/";
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			stored(zip, dir + "data.pkl", dataPkl.getBytes(StandardCharsets.ISO_8859_1));
			stored(zip, dir + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
			stored(zip, dir + "constants.pkl", "\u0080\u0002).".getBytes(StandardCharsets.ISO_8859_1));
			stored(zip, dir + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
		}
		return bytes.toByteArray();
	}

	private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
		ZipEntry e = new ZipEntry(name);
		e.setMethod(ZipEntry.STORED);
		e.setSize(content.length);
		CRC32 crc = new CRC32();
		crc.update(content);
		e.setCrc(crc.getValue());
		zip.putNextEntry(e);
		((OutputStream) zip).write(content);
		zip.closeEntry();
	}

	@Override
	public void close() {
		module.close();
		manager.close();
	}
}
