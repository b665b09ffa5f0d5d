package io.github.ctlatent.commands;

/** Menu paths shared by the commands (the macro label of a command is its last segment). */
final class Menus {
	static final String ROOT = "Plugins>CT Latent Explorer>";

	private Menus() {}
}
