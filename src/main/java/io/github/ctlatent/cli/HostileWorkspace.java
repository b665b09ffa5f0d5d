package io.github.ctlatent.cli;

import io.github.ctlatent.core.AtomicFiles;
import io.github.ctlatent.core.ExplorerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real files the hostile suite runs on, made by the commands themselves in a scratch folder: a tiny phantom
 * (NIfTI and DICOM), a 64² slice set, copies of the shipped GAN and oracle, SeFa directions, a foreign folder, a text
 * file and links of every bad kind. The inputs are stamped before each case and hashed at the start and the end.
 */
public final class HostileWorkspace {

	private final Path root;
	private final Path phantom, dicom, slices, gan, oracle, sefa, keep, notes;
	private final AtomicInteger counter = new AtomicInteger();

	/** Builds the workspace in {@code root} with {@code runner}; {@code home} holds the shipped models. */
	public HostileWorkspace(Path root, Path home, CommandRunner runner) throws IOException {
		this.root = root.toAbsolutePath().normalize();
		Files.createDirectories(this.root);
		phantom = this.root.resolve("in/phantom");
		dicom = this.root.resolve("in/dicom");
		slices = this.root.resolve("in/slices");
		gan = this.root.resolve("in/gan");
		oracle = this.root.resolve("in/oracle");
		sefa = this.root.resolve("in/sefa");
		keep = this.root.resolve("in/keep");
		notes = this.root.resolve("in/notes.txt");
		// six patients, two held out: every factor varies over the test split, so Train Factor Oracle can succeed
		run(runner, "Generate Thorax Phantom", "output", phantom, "count", 6, "size", 32, "slices", 4, "format", "nifti", "noise", 0);
		run(runner, "Generate Thorax Phantom", "output", dicom, "count", 1, "size", 16, "slices", 3, "format", "dicom", "noise", 0);
		run(runner, "Prepare Slice Set", "input", phantom, "output", slices, "size", 64, "test_fraction", 0.34);
		copyTree(home.resolve("models/phantom-gan"), gan);
		copyTree(home.resolve("models/phantom-oracle"), oracle);
		run(runner, "Discover Directions", "model", gan, "output", sefa, "method", "sefa", "directions", "8", "no_baselines", "true", "device", "cpu");
		Files.createDirectories(keep);
		Files.writeString(keep.resolve("thesis.tex"), "precious");
		Files.writeString(notes, "not an image, not a folder");
		Files.createDirectories(this.root.resolve("links"));
		Path a = this.root.resolve("links/loop-a"), b = this.root.resolve("links/loop-b");
		Files.createSymbolicLink(a, b);
		Files.createSymbolicLink(b, a);
		Files.createSymbolicLink(this.root.resolve("links/dangling"), this.root.resolve("links/nowhere"));
		Path dcm;
		try (var s = Files.walk(dicom)) {
			dcm = s.filter(p -> p.toString().endsWith(".dcm")).findFirst().orElseThrow(() -> new ExplorerException("no DICOM file in " + dicom));
		}
		byte[] bytes = Files.readAllBytes(dcm);
		Files.write(this.root.resolve("links/truncated.dcm"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
	}

	private static void run(CommandRunner runner, String command, Object... kv) {
		Map<String, String> args = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) args.put(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
		runner.run(runner.find(command), args);
	}

	/**
	 * Tiny valid arguments of a command ({@code {out}} is a fresh output path), or null for a command the suite does
	 * not know yet (the coverage test then names it).
	 */
	public Map<String, String> base(String label) {
		String d = sefa.resolve("directions.json").toString(), g = gan.toString();
		String[] kv = switch (label) {
			case "Latent Explorer System Info" -> new String[] {};
			case "Generate Thorax Phantom" -> new String[] {"output", "{out}", "count", "1", "size", "16", "slices", "2", "format", "nifti", "noise", "0", "overwrite", "true"};
			case "Prepare Slice Set" -> new String[] {"input", phantom.toString(), "output", "{out}", "size", "16", "test_fraction", "0.34", "overwrite", "true"};
			case "Train GAN" -> new String[] {"slices", slices.toString(), "output", "{out}", "iterations", "2", "batch_size", "4", "ngf", "4", "ndf", "4",
				"checkpoint_every", "1", "sample_every", "1", "device", "cpu"};
			case "Train VAE" -> new String[] {"slices", slices.toString(), "output", "{out}", "iterations", "2", "batch_size", "4", "ch", "8",
				"checkpoint_every", "1", "sample_every", "1", "device", "cpu"};
			case "Generate Samples" -> new String[] {"model", g, "count", "2", "png", "{out}.png", "device", "cpu", "overwrite", "true"};
			case "Discover Directions" -> new String[] {"model", g, "output", "{out}", "method", "sefa", "directions", "4", "no_baselines", "true", "device", "cpu"};
			case "Traverse Directions" -> new String[] {"model", g, "directions", d, "indices", "0-1", "range", "custom", "radius", "3", "frames", "3", "device", "cpu"};
			case "Export Traversal" -> new String[] {"model", g, "directions", d, "indices", "0-1", "range", "custom", "radius", "3", "frames", "3",
				"output", "{out}", "format", "png", "device", "cpu", "overwrite", "true"};
			case "Show in BigDataViewer" -> new String[] {"model", g, "directions", d, "indices", "0", "range", "custom", "radius", "3", "frames", "3", "device", "cpu"};
			case "Render Latent" -> new String[] {"model", g, "directions", d, "seed", "1", "values", "0:2.5", "device", "cpu"};
			case "Latent Explorer" -> new String[] {"model", g, "directions", d, "device", "cpu"};
			case "Project Slice to Latent" -> new String[] {"model", g, "slices", slices.toString(), "indices", "0", "steps", "2", "restarts", "1",
				"output", "{out}", "device", "cpu", "overwrite", "true"};
			case "Train Factor Oracle" -> new String[] {"slices", slices.toString(), "output", "{out}", "iterations", "2", "batch_size", "4", "width", "2", "device", "cpu"};
			case "Evaluate Directions" -> new String[] {"model", g, "oracle", oracle.toString(), "directions", d, "output", "{out}", "bases", "1", "steps", "1",
				"random", "2", "random_3d", "2", "frames_3d", "3", "device", "cpu", "overwrite", "true"};
			default -> null;
		};
		if (kv == null) return null;
		Map<String, String> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
		return m;
	}

	/** Keys that name what a command writes. */
	boolean isOutputKey(String key) {
		return key.equals("output") || key.equals("png");
	}

	/** One input path among a command's base arguments (the first one that is a path and not an output), or null. */
	String someInput(Map<String, String> base) {
		for (Map.Entry<String, String> e : base.entrySet())
			if (!isOutputKey(e.getKey()) && e.getValue().startsWith(root.toString())) return e.getValue();
		return null;
	}

	String fresh(String name) {
		return root.resolve("outputs").resolve(name).toString();
	}

	/** A path that does not exist (a new one per call: a case that succeeds creates it). */
	Path missing() {
		return root.resolve("links/missing-" + counter.incrementAndGet() + "/nothing");
	}

	Path textFile() {
		return notes;
	}

	Path linkLoop() {
		return root.resolve("links/loop-a");
	}

	Path danglingLink() {
		return root.resolve("links/dangling");
	}

	Path truncatedDicom() {
		return root.resolve("links/truncated.dcm");
	}

	Path foreignFolder() {
		return keep;
	}

	/** A link to {@code target} (made once per target). */
	Path linkTo(Path target) {
		Path link = root.resolve("links/to-" + target.getFileName());
		try {
			if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, target);
		} catch (IOException e) {
			throw AtomicFiles.unchecked(e);
		}
		return link;
	}

	/**
	 * A folder that looks like an output of this tool (it holds every card) with a link to the phantom inside: a
	 * replace must delete the link, never the phantom. A new one per call, since a successful case replaces it.
	 */
	Path oursWithLink() {
		Path f = root.resolve("outputs/ours-" + counter.incrementAndGet());
		try {
			Files.createDirectories(f);
			for (String card : new String[] {"dataset.json", "phantom.json", "export.json", "scores.csv"}) {
				Files.writeString(f.resolve(card), "{}");
				// dated in the past: the success check looks only at what a command wrote
				Files.setLastModifiedTime(f.resolve(card), java.nio.file.attribute.FileTime.fromMillis(0));
			}
			Files.createSymbolicLink(f.resolve("source"), phantom);
		} catch (IOException e) {
			throw AtomicFiles.unchecked(e);
		}
		return f;
	}

	private List<Path> inputs() {
		return List.of(phantom, dicom, slices, gan, oracle, sefa, keep, notes);
	}

	/** Size and modification time of every input file: compared after each case. */
	Map<String, String> inputStamps() {
		Map<String, String> m = new TreeMap<>();
		for (Path in : inputs())
			try (var s = Files.walk(in)) {
				for (Path p : (Iterable<Path>) s::iterator)
					if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().endsWith(".lock"))
						m.put(p.toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
			} catch (IOException e) {
				m.put(in.toString(), "unreadable: " + e.getMessage());
			}
		return m;
	}

	/** Null when the inputs are as {@code before}, else the first difference. */
	String compareInputs(Map<String, String> before) {
		Map<String, String> now = inputStamps();
		for (Map.Entry<String, String> e : before.entrySet())
			if (!e.getValue().equals(now.get(e.getKey())))
				return "input " + e.getKey() + (now.containsKey(e.getKey()) ? " changed" : " was deleted");
		for (String k : now.keySet()) if (!before.containsKey(k)) return "input folder gained " + k;
		return null;
	}

	/** SHA-256 of every input file: the hash-identity proof at the start and the end of a campaign. */
	public Map<String, String> inputHashes() throws IOException {
		Map<String, String> m = new TreeMap<>();
		for (String p : inputStamps().keySet()) {
			try (InputStream in = Files.newInputStream(Path.of(p))) {
				MessageDigest md = MessageDigest.getInstance("SHA-256");
				byte[] buf = new byte[1 << 16];
				for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
				m.put(p, HexFormat.of().formatHex(md.digest()));
			} catch (java.security.NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
		return m;
	}

	/** Files written below the workspace (outside the inputs) since {@code millis}: what a success must prove sane. */
	List<Path> changedSince(long millis) {
		List<Path> list = new ArrayList<>();
		try (var s = Files.walk(root)) {
			for (Path p : (Iterable<Path>) s::iterator)
				if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && inputs().stream().noneMatch(p::startsWith)
					&& Files.getLastModifiedTime(p).toMillis() >= millis - 1000) list.add(p);
		} catch (IOException ignored) {
			// a folder removed while listing: nothing to check there
		}
		return list;
	}

	static void copyTree(Path from, Path to) throws IOException {
		try (var s = Files.walk(from)) {
			for (Path p : (Iterable<Path>) s::iterator) {
				Path t = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(t);
				else Files.copy(p, t);
			}
		}
	}

	public Path root() {
		return root;
	}
}
