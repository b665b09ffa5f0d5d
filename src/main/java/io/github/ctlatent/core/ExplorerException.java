package io.github.ctlatent.core;

/**
 * An error the user can act on: the message names the problem (and the file or value concerned)
 * and what to do about it. Commands and the command-line runner show only this message, no stack trace.
 */
public class ExplorerException extends RuntimeException {
	public ExplorerException(String message) {
		super(message);
	}

	public ExplorerException(String message, Throwable cause) {
		super(message, cause);
	}
}
