package io.github.ctlatent.commands;

/**
 * What the keys every command shares mean, in one place. The fields themselves stay in each command: SciJava
 * lists a command's parameters superclass first, so keys declared in a common base class would open every Fiji
 * dialog with the device and seed before the command's own inputs. Keys whose meaning differs per command
 * ({@code seed}: of a phantom, of training, of a base latent; {@code overwrite}: of what) keep their own text.
 */
final class Keys {

	private Keys() {}

	/** {@code device}: where libtorch computes. */
	static final String DEVICE = "auto, cpu, gpu or gpu:N (auto: a GPU when libtorch sees one, else the CPU)";

	/** The default of {@code device}. */
	static final String AUTO = "auto";
}
