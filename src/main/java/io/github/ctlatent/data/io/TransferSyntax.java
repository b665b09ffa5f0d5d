package io.github.ctlatent.data.io;

import java.nio.ByteOrder;
import java.util.Map;

/** The DICOM transfer syntaxes this reader decodes, and the names of those it can only name. */
enum TransferSyntax {
	IMPLICIT_LE("1.2.840.10008.1.2", "implicit VR little endian", false, ByteOrder.LITTLE_ENDIAN),
	EXPLICIT_LE("1.2.840.10008.1.2.1", "explicit VR little endian", true, ByteOrder.LITTLE_ENDIAN),
	DEFLATED_LE("1.2.840.10008.1.2.1.99", "deflated explicit VR little endian", true, ByteOrder.LITTLE_ENDIAN),
	EXPLICIT_BE("1.2.840.10008.1.2.2", "explicit VR big endian", true, ByteOrder.BIG_ENDIAN),
	RLE("1.2.840.10008.1.2.5", "RLE lossless", true, ByteOrder.LITTLE_ENDIAN);

	final String uid, title;
	final boolean explicitVr;
	final ByteOrder order;

	TransferSyntax(String uid, String title, boolean explicitVr, ByteOrder order) {
		this.uid = uid;
		this.title = title;
		this.explicitVr = explicitVr;
		this.order = order;
	}

	/** The supported syntax with this UID, or null. */
	static TransferSyntax of(String uid) {
		for (TransferSyntax t : values())
			if (t.uid.equals(uid)) return t;
		return null;
	}

	/** Names of compressed syntaxes we meet but cannot decode (for the error message). */
	private static final Map<String, String> OTHERS = Map.ofEntries(
		Map.entry("1.2.840.10008.1.2.4.50", "JPEG baseline"),
		Map.entry("1.2.840.10008.1.2.4.51", "JPEG extended"),
		Map.entry("1.2.840.10008.1.2.4.57", "JPEG lossless"),
		Map.entry("1.2.840.10008.1.2.4.70", "JPEG lossless, first-order prediction (SV1)"),
		Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS lossless"),
		Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless"),
		Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 lossless"),
		Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
		Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K lossless"),
		Map.entry("1.2.840.10008.1.2.4.202", "HTJ2K lossless RPCL"),
		Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
		Map.entry("1.2.840.10008.1.2.4.100", "MPEG-2"),
		Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4"),
		Map.entry("1.2.840.10008.1.2.4.110", "JPEG XL lossless"),
		Map.entry("1.2.840.10008.1.2.1.98", "encapsulated uncompressed"));

	static String describe(String uid) {
		TransferSyntax t = of(uid);
		if (t != null) return t.title;
		return OTHERS.getOrDefault(uid, "unknown transfer syntax");
	}
}
