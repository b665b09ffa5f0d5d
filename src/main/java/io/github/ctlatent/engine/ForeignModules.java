package io.github.ctlatent.engine;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/**
 * Modules whose convolutions do not go through {@link Convolutions} — a TorchScript generator trained elsewhere —
 * run inside libtorch's own kernel at their own channel counts, where no numerics rule of this project reaches them.
 * A configuration whose check never ran that kernel unpadded ({@link NumericsPolicy#coversForeignConvolutions}:
 * {@code onednn-aligned}, correct only because output channels are padded; {@code gemm}, which lowers every
 * convolution itself) is therefore not known to be correct for them. While one is open the process computes with
 * {@link NumericsConfig#NATIVE} instead (oneDNN off: libtorch's own im2col kernels, correct for every channel count
 * measured), checked in this process the first time; the chosen configuration comes back when the last one closes.
 * <p>
 * <pre>{@code
 * try (ForeignModules.Lease lease = ForeignModules.open("TorchScript generator gen.pt")) { ... }
 * }</pre>
 * The switch is libtorch's oneDNN flag, which may be flipped at any time; a step of another thread that straddles
 * it uses some kernels of each configuration, each correct by itself.
 */
public final class ForeignModules {

	/** What foreign modules are computed with where the checked configuration does not cover them. */
	static final NumericsConfig SAFE = NumericsConfig.NATIVE;

	private static int open;
	/** The configuration to restore when the last foreign module closes (null: none open, or nothing switched). */
	private static NumericsConfig restore;
	/** The in-process check of {@link #SAFE}, run the first time it is needed (null: not yet). */
	private static NumericsCheck.Result safeCheck;
	/** The switch is explained once per process (a Fiji session may load generators many times). */
	private static boolean told;

	private ForeignModules() {}

	/** An open foreign module's hold on the process's numerics; closing it more than once is harmless. */
	public static final class Lease implements AutoCloseable {
		private boolean closed;

		@Override
		public void close() {
			synchronized (ForeignModules.class) {
				if (closed) return;
				closed = true;
				if (--open == 0 && restore != null) {
					String why = restore.apply();
					if (why != null) System.err.println("Numerics: could not return to " + restore.key() + " (" + why + "); staying with " + SAFE.key() + ".");
					restore = null;
				}
			}
		}
	}

	/**
	 * Registers a foreign module ({@code what} names it in the log) before its first forward pass. When the active
	 * configuration does not cover foreign convolutions, the process switches to {@link #SAFE} — checked in this
	 * process the first time — until every lease is closed.
	 *
	 * @throws ExplorerException when the safe configuration cannot be applied or computes wrongly here
	 */
	public static Lease open(String what) {
		Numerics.ensure();
		synchronized (ForeignModules.class) {
			NumericsConfig active = NumericsConfig.active();
			if (open == 0 && !NumericsPolicy.coversForeignConvolutions(active)) {
				String notApplied = SAFE.apply();
				if (notApplied == null && safeCheck == null) safeCheck = NumericsCheck.run(Numerics.faultInjected(SAFE));
				if (notApplied != null || !safeCheck.passed()) {
					active.apply();
					String why = notApplied != null ? "switching to " + SAFE.key() + " for it failed (" + notApplied + "). Start with -D" + Numerics.SETTING + "=" + SAFE.key() + " to run it."
						: "libtorch's own kernels, which would compute it, fail the self-check here (" + safeCheck.failures() + "). Run it on another machine or a GPU, and please report the CPU model.";
					throw new ExplorerException("Cannot run " + what + " correctly on this CPU: the numerics configuration " + active.key()
						+ " is checked for the project's own convolutions only, and " + why);
				}
				restore = active;
				if (!told) System.err.println(String.format(Locale.ROOT, "Numerics: %s runs its own convolutions, which the check of %s does not cover; computing with %s"
					+ " (checked here in %.1f s) while a module like it is open.", what, active.key(), SAFE.key(), safeCheck.seconds()));
				told = true;
			}
			open++;
			return new Lease();
		}
	}
}
