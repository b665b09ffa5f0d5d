package io.github.ctlatent.commands;

import io.github.ctlatent.core.Monitor;
import io.github.ctlatent.discover.DeformatorType;
import io.github.ctlatent.discover.Discovery;
import io.github.ctlatent.discover.DiscoverySettings;
import io.github.ctlatent.discover.ReconstructorType;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** Unsupervised direction discovery on a frozen generator (docs/method.md §4), or the closed-form SeFa / PCA / ICA / Jacobian metric. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Explore>Discover Directions", headless = true,
	description = "Find interpretable latent directions: Voynov-Babenko (learned, with random/id baselines), DisCo (contrastive, with an encoder for real slices), SeFa, PCA, ICA or the Jacobian metric. Resumes from the output folder.")
public class DiscoverDirectionsCommand extends ExplorerCommand {

	@Parameter(label = "Model", description = "a run folder from Train GAN / Train VAE (the VAE's decoder is used), or a TorchScript .pt")
	private File model;

	@Parameter(label = "Output folder", style = "directory", description = "directions.json, report.json, checkpoints")
	private File output;

	@Parameter(required = false, choices = {"voynov", "sefa", "pca", "ica", "jacobian", "disco"}, description = "discovery method")
	private String method = "voynov";

	@Parameter(required = false, choices = {"proj", "ortho", "linear", "random", "id"}, description = "Voynov-Babenko / DisCo direction matrix (paper: proj)")
	private String deformator = "proj";

	@Parameter(required = false, choices = {"lenet", "resnet"}, description = "reconstructor (paper: LeNet)")
	private String reconstructor = "lenet";

	@Parameter(required = false, min = "0", max = "" + Discovery.MAX_DIRECTIONS, description = "number of directions K (0: the latent size; paper's default config 100)")
	private int directions;

	@Parameter(required = false, min = "0", max = "10000000", description = "training steps (paper 3000)")
	private int steps = 3000;

	@Parameter(required = false, min = "2", max = "4096", description = "batch size (paper 128; DisCo: query pairs per step, as many positives and twice as many negatives)")
	private int batch_size = 128;

	@Parameter(required = false, min = "0", max = "1", description = "Adam learning rate of directions and reconstructor (DisCo: encoder) (paper 1e-4)")
	private double learning_rate = 1e-4;

	@Parameter(required = false, min = "0", max = "1", description = "Adam learning rate of the direction matrix alone (0: learning_rate)")
	private double direction_learning_rate;

	@Parameter(required = false, min = "0", max = "1000", description = "weight of the shift regression loss λ (paper 0.25)")
	private double shift_weight = 0.25;

	@Parameter(required = false, min = "1", description = "steps between resumable checkpoints")
	private int checkpoint_every = 500;

	@Parameter(required = false, description = "skip training the random and id baselines (3x faster, no comparison)")
	private boolean no_baselines;

	@Parameter(required = false, description = "deformator random or id: also train a reconstructor (steps, batch_size) to measure their RCA; without it they are written instantly")
	private boolean baseline_rca;

	@Parameter(required = false, min = "2", max = "200000", description = "PCA: random latents; ICA: generated images whose pooled pixels are analysed (default 10000)")
	private int samples = 10_000;

	@Parameter(required = false, min = "2", max = "100000", description = "Jacobian: base codes the image metric is averaged over")
	private int bases = 64;

	@Parameter(required = false, min = "1", max = "4096", description = "Jacobian: vector-Jacobian products (random sign images) per base code")
	private int probes = 32;

	@Parameter(required = false, style = "directory", description = "PCA or ICA on a VAE: the slice set whose posterior means are analysed")
	private File slices;

	@Parameter(required = false, description = "random seed")
	private long seed = 1;

	@Parameter(required = false, description = Keys.DEVICE)
	private String device = Keys.AUTO;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	protected void execute(Monitor monitor) {
		DiscoverySettings s = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.parse(method))
			.deformator(DeformatorType.parse(deformator)).reconstructor(ReconstructorType.parse(reconstructor)).directions(directions)
			.steps(steps).batchSize(batch_size).learningRate((float) learning_rate)
			.deformatorLr((float) direction_learning_rate).shiftWeight((float) shift_weight).seed(seed).checkpointEvery(checkpoint_every)
			.baselines(!no_baselines).measureFixedRca(baseline_rca).closedFormSamples(samples).jacobianBases(bases).jacobianProbes(probes).build();
		summary = Discovery.discover(model.toPath(), s, slices == null ? null : slices.toPath(), output.toPath(), device, monitor).summary();
	}
}
