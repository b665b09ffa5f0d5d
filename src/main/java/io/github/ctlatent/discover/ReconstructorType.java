package io.github.ctlatent.discover;

import io.github.ctlatent.core.ExplorerException;

import java.util.Locale;

/** The reconstructor architectures of docs/method.md §4.4. */
public enum ReconstructorType {
	/** LeNet (width 2), the CT paper's default; needs images of at least 32². */
	LENET,
	/** ResNet-18, randomly initialised, 2-channel stem. */
	RESNET;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static ReconstructorType parse(String s) {
		String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
		return switch (v) {
			case "lenet", "le" -> LENET;
			case "resnet", "resnet18", "resnet-18", "res" -> RESNET;
			default -> throw new ExplorerException("Unknown reconstructor '" + s + "'. Use lenet or resnet.");
		};
	}
}
