package io.github.ctlatent.core;

/** Thrown by an engine that stopped because its {@link Monitor} was canceled. */
public class CanceledException extends RuntimeException {
	public CanceledException() {
		super("Canceled by the user.");
	}

	public CanceledException(String message) {
		super(message);
	}
}
