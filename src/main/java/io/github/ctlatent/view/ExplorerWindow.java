package io.github.ctlatent.view;

import io.github.ctlatent.picture.Window;
import ij.ImagePlus;
import ij.WindowManager;
import ij.process.FloatProcessor;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.traverse.Traversal;
import io.github.ctlatent.traverse.TraversalVolume;

import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSlider;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GridLayout;
import java.awt.RenderingHints;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;

/**
 * The Latent Explorer window: one slider per direction and the generated slice, updated as the sliders move.
 * A thin view over {@link LatentExplorer}: slider events only set values and {@link LatentExplorer#request()} a
 * frame (rendering happens on the explorer's thread, coalesced); frames come back through the event thread into an
 * ImageJ 1 {@link ImagePlus} that the picture draws. Every button calls one engine method.
 */
public final class ExplorerWindow {

	/** Slider resolution: positions are tenths of a shift unit. */
	static final int STEPS_PER_UNIT = 10;

	private final LatentExplorer explorer;
	private final double radius;
	private final JFrame frame;
	private final JSlider[] sliders;
	private final JLabel[] valueLabels;
	private final JLabel status = new JLabel(" ");
	private final JComboBox<String> windowChoice = new JComboBox<>(new String[] {"lung", "mediastinum", "full"});
	private final ImagePlus imp;
	private final Picture picture;
	private int selected;
	private JButton encode;
	/** What the base latent is (a seed, a slice's encoding or projection), kept on the status line under each frame's timing. */
	private String base;
	private long seed;
	private volatile boolean updatingSliders;

	private ExplorerWindow(LatentExplorer explorer, double radius, long seed, String window) {
		this.explorer = explorer;
		this.radius = radius;
		this.seed = seed;
		int s = explorer.imageSize();
		imp = new ImagePlus("Latent Explorer", new FloatProcessor(s, s));
		picture = new Picture();
		sliders = new JSlider[explorer.sliders()];
		valueLabels = new JLabel[explorer.sliders()];
		windowChoice.setSelectedItem(window);
		frame = new JFrame("Latent Explorer — " + (explorer.model() == null ? "generator " + explorer.generator().fingerprint() : explorer.model().getFileName()));
		frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
		frame.addWindowListener(new java.awt.event.WindowAdapter() {
			@Override
			public void windowClosed(java.awt.event.WindowEvent e) {
				explorer.close();
			}
		});
		frame.getContentPane().add(picture, BorderLayout.CENTER);
		frame.getContentPane().add(new JScrollPane(sliderPanel()), BorderLayout.EAST);
		frame.getContentPane().add(buttons(), BorderLayout.SOUTH);
		explorer.onFrame(f -> SwingUtilities.invokeLater(() -> show(f)));
		explorer.onError(e -> SwingUtilities.invokeLater(() -> status.setText("Error: " + e.getMessage())));
		windowChoice.addActionListener(e -> applyWindow());
	}

	/** Opens the window on the event thread and renders the first frame; refuses a headless session. */
	public static ExplorerWindow open(LatentExplorer explorer, double radius, long seed, String window) {
		if (java.awt.GraphicsEnvironment.isHeadless())
			throw new ExplorerException("The Latent Explorer is a window and this session is headless. Use 'Render Latent' (image of a latent, "
				+ "seed + values, walk along a direction) or the LatentExplorer class from a script instead.");
		ExplorerWindow[] w = new ExplorerWindow[1];
		Runnable build = () -> {
			w[0] = new ExplorerWindow(explorer, radius, seed, window);
			w[0].frame.pack();
			w[0].frame.setLocationByPlatform(true);
			w[0].frame.setVisible(true);
		};
		try {
			if (SwingUtilities.isEventDispatchThread()) build.run(); // e.g. called from a script run on the event thread
			else SwingUtilities.invokeAndWait(build);
		} catch (Exception e) {
			explorer.close();
			throw new ExplorerException("The Latent Explorer window could not open: " + e, e);
		}
		explorer.request();
		return w[0];
	}

	public JFrame frame() { return frame; }
	public ImagePlus image() { return imp; }
	public JSlider slider(int j) { return sliders[j]; }
	public LatentExplorer explorer() { return explorer; }

	private JPanel sliderPanel() {
		JPanel p = new JPanel(new GridLayout(0, 1, 0, 2));
		p.setBorder(BorderFactory.createTitledBorder("Directions (" + explorer.directionSet().method() + ")"));
		int max = (int) Math.round(radius * STEPS_PER_UNIT);
		for (int j = 0; j < sliders.length; j++) {
			int jj = j;
			JPanel row = new JPanel(new BorderLayout(4, 0));
			JLabel name = new JLabel(explorer.label(j));
			name.setPreferredSize(new Dimension(130, 20));
			valueLabels[j] = new JLabel(String.format("%+.1f", 0.0));
			valueLabels[j].setPreferredSize(new Dimension(40, 20));
			sliders[j] = new JSlider(-max, max, 0);
			sliders[j].setPreferredSize(new Dimension(200, 22));
			sliders[j].addChangeListener(e -> {
				if (updatingSliders) return;
				selected = jj;
				double v = sliders[jj].getValue() / (double) STEPS_PER_UNIT;
				explorer.setValue(jj, v);
				valueLabels[jj].setText(String.format("%+.1f", v));
				explorer.request();
			});
			row.add(name, BorderLayout.WEST);
			row.add(sliders[j], BorderLayout.CENTER);
			row.add(valueLabels[j], BorderLayout.EAST);
			p.add(row);
		}
		return p;
	}

	private JPanel buttons() {
		JPanel p = new JPanel();
		p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
		JPanel row1 = new JPanel(), row2 = new JPanel();
		row1.add(new JLabel("Window"));
		row1.add(windowChoice);
		row1.add(button("Reset", this::reset));
		row1.add(button("New random base", () -> {
			explorer.randomBase(++seed);
			base = "seed " + seed;
			status.setText("Base: " + base);
			explorer.request();
		}));
		encode = button("Encode current slice", this::encodeCurrentSlice);
		encode.setEnabled(explorer.canEncode());
		encode.setToolTipText(explorer.canEncode() ? "base latent = the current slice of the active image, as a latent (VAE: its encoding; GAN: "
			+ "its projection, a few seconds)" : "needs a trained run folder (with its dataset card) as the model");
		row1.add(encode);
		row2.add(button("Traversal → hyperstack", () -> traversal(false)));
		row2.add(button("Traversal → BigDataViewer", () -> traversal(true)));
		row2.add(button("Snapshot", () -> explorer.snapshot(window()).show()));
		row2.add(button("Copy latent", this::copyLatent));
		p.add(row1);
		p.add(row2);
		status.setBorder(BorderFactory.createEmptyBorder(2, 6, 4, 6));
		p.add(status);
		return p;
	}

	private JButton button(String text, Runnable action) {
		JButton b = new JButton(text);
		b.addActionListener(e -> {
			try {
				action.run();
			} catch (ExplorerException x) {
				JOptionPane.showMessageDialog(frame, x.getMessage(), "Latent Explorer", JOptionPane.ERROR_MESSAGE);
			}
		});
		return b;
	}

	/** Sets slider j to {@code value} as a user would (the change listener requests the frame). */
	public void setSlider(int j, double value) {
		sliders[j].setValue((int) Math.round(value * STEPS_PER_UNIT));
	}

	public void reset() {
		explorer.reset();
		updatingSliders = true;
		try {
			for (int j = 0; j < sliders.length; j++) {
				sliders[j].setValue(0);
				valueLabels[j].setText(String.format("%+.1f", 0.0));
			}
		} finally {
			updatingSliders = false;
		}
		explorer.request();
	}

	/**
	 * The current slice of the active image as the base latent, in the background (a GAN's projection takes seconds):
	 * the button is off meanwhile and the status line shows the steps.
	 */
	private void encodeCurrentSlice() {
		ImagePlus ct = WindowManager.getCurrentImage();
		if (ct == null) throw new ExplorerException("Open a CT image first: its current slice becomes the base latent.");
		encode.setEnabled(false);
		status.setText("Encoding slice " + ct.getCurrentSlice() + " of " + ct.getTitle() + "…");
		Monitor progress = new Monitor() {
			@Override public void progress(long done, long total, String s) { SwingUtilities.invokeLater(() -> status.setText(s)); }
			@Override public void log(String line) {}
			@Override public boolean isCanceled() { return !frame.isDisplayable(); } // the window closed: stop
		};
		new SwingWorker<String, Void>() {
			@Override
			protected String doInBackground() {
				return explorer.encodeBase(ct, progress);
			}

			@Override
			protected void done() {
				encode.setEnabled(true);
				try {
					base = get();
					status.setText("Base: " + base);
					explorer.request();
				} catch (Exception e) {
					failed(e);
				}
			}
		}.execute();
	}

	private void copyLatent() {
		String macro = explorer.macro();
		Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(macro), null);
		ij.IJ.log(macro);
		status.setText("Copied the latent as a macro call (also in the Log window)");
	}

	/** Walks the last moved slider's direction from the current latent in the background, then opens it. */
	private void traversal(boolean bdv) {
		int j = selected;
		int frames = bdv ? 64 : 17;
		status.setText("Walking " + explorer.label(j) + " (" + frames + " frames)…");
		Window w = window();
		new SwingWorker<TraversalVolume, Void>() {
			@Override
			protected TraversalVolume doInBackground() {
				return explorer.traversal(j, new Traversal.Range(radius, frames), Monitor.NONE);
			}

			@Override
			protected void done() {
				try {
					TraversalVolume v = get();
					if (bdv) BdvBridge.show(BdvBridge.sources(v, Exports.cubicShiftSpacing(v), w), "Walk along " + explorer.label(j), BdvBridge.fiji());
					else {
						ImagePlus h = v.imagePlus("walk along " + explorer.label(j), false);
						if (v.valueUnit().equals("HU")) h.setDisplayRange(w.min(), w.max());
						h.show();
					}
					status.setText("Opened the walk along " + explorer.label(j));
				} catch (Exception e) {
					failed(e);
				}
			}
		}.execute();
	}

	/** A background task's failure: in the status line, and in a dialog unless it was a cancel. */
	private void failed(Exception e) {
		Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
		status.setText("Error: " + c.getMessage());
		if (!(c instanceof io.github.ctlatent.core.CanceledException))
			JOptionPane.showMessageDialog(frame, String.valueOf(c.getMessage()), "Latent Explorer", JOptionPane.ERROR_MESSAGE);
	}

	private Window window() {
		return Window.parse((String) windowChoice.getSelectedItem());
	}

	private void applyWindow() {
		Window w = window();
		if (explorer.valueUnit().equals("HU")) imp.setDisplayRange(w.min(), w.max());
		picture.repaint();
	}

	/** Called on the event thread with each rendered frame. */
	private void show(LatentExplorer.Frame f) {
		imp.setProcessor(new FloatProcessor(f.size(), f.size(), f.pixels()));
		applyWindow();
		status.setText(String.format("frame %d: %.1f ms (%s)%s", f.sequence(), f.nanos() / 1e6, explorer.valueUnit(), base == null ? "" : "; base: " + base));
		shown = f;
	}

	private volatile LatentExplorer.Frame shown;

	/** The frame on screen, or null before the first (tests and scripts poll it). */
	public LatentExplorer.Frame shown() {
		return shown;
	}

	/** The image, scaled up with square pixels (nearest neighbour, so the model's pixels stay visible). */
	private final class Picture extends JPanel {
		Picture() {
			setPreferredSize(new Dimension(384, 384));
			setBackground(Color.BLACK);
		}

		@Override
		protected void paintComponent(Graphics g) {
			super.paintComponent(g);
			java.awt.Image img = imp.getImage();
			int side = Math.min(getWidth(), getHeight());
			Graphics2D g2 = (Graphics2D) g;
			g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
			g2.drawImage(img, (getWidth() - side) / 2, (getHeight() - side) / 2, side, side, null);
		}
	}
}
