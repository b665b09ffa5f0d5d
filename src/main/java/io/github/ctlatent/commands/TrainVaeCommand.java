package io.github.ctlatent.commands;

import io.github.ctlatent.train.Training;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Trains the seed paper's ResNet VAE on a slice set (docs/method.md §3); wiring over {@link Training#vae}. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Train>Train VAE", headless = true,
	description = "Train a ResNet VAE on a slice set: checkpoints, resume, metrics, held-out reconstruction error, sample grids.")
public class TrainVaeCommand extends TrainingCommand {

	@Parameter(required = false, min = "0", max = "512", description = "base width ch (0: the preset's, paper 64)")
	private int ch;

	@Parameter(required = false, min = "-1", max = "1000", description = "weight β of the KL term in log(MSE) + β·KL (-1: the preset's, paper 0.01, "
		+ "as in every preset; smaller: sharper, less regular latent)")
	private double kl_weight = -1;

	@Parameter(required = false, min = "1", max = "100", description = "beta-TCVAE: weight of the KL's total-correlation part (1: the paper's loss; Chen et al. 6)")
	private double tc_beta = 1;

	@Parameter(required = false, choices = {"none", "slices", "slices+geometry"}, description = "weakly-supervised pair training (Ada-GVAE), no anatomy labels: "
		+ "none = the paper's; slices = neighbouring slices of one volume (uses slice order); slices+geometry = also a slice and a copy with one random "
		+ "rotation, vertical shift or scale. Half of each batch are the partners.")
	private String pairs = "none";

	@Parameter(required = false, min = "1", max = "64", description = "with slice pairs: the largest distance between a pair's two slices "
		+ "(uniform in 1..gap; 1 = neighbours). Neighbours differ by little more than noise; a few slices make position the change that stands out.")
	private int pair_gap = 1;

	@Parameter(required = false, description = "with pairs=slices+geometry: the geometric changes a pair may show, comma-separated "
		+ "(rotation, y_shift, x_scale, y_scale; blank = all four). A change left out is never drawn, and with geometry_axes its axis is a free one.")
	private String geometry_changes = "";

	@Parameter(required = false, min = "0", max = "100", description = "with slice pairs: make latent axis 0 the position along the body "
		+ "(slice pairs share every other dimension; a hinge of this weight orders it, a whole volume spanning order_span prior units; 0 = off). Uses slice order.")
	private double order_weight = 0;

	@Parameter(required = false, min = "3", max = "100", description = "with order_weight: prior units a whole volume spans on axis 0 (±1). "
		+ "A traversal of ±T covers about 2T / order_span of the body from a base in its middle")
	private double order_span = 9;

	@Parameter(required = false, choices = {"average", "swap"}, description = "with order_weight: what a slice pair's two slices take on every "
		+ "dimension but axis 0 - average = the mean of their posteriors (Ada-GVAE); swap = each its partner's, so that position can live on axis 0 alone")
	private String pair_sharing = "average";

	@Parameter(required = false, description = "with pairs=slices+geometry and order_weight: each geometric change gets its own latent axis "
		+ "(1 rotation, 2 vertical shift, 3 x-scale, 4 y-scale), which such a pair keeps alone and a hinge orders by the change's size. "
		+ "Uses only the changes the tool made, no labels.")
	private boolean geometry_axes = false;

	@Parameter(required = false, min = "0", max = "100", description = "with order_weight: pull a slice pair's posterior means together on every "
		+ "dimension but axis 0 (weight of their squared distance), so that the other dimensions do not change along the body; 0 = off. Uses slice order.")
	private double invariance_weight = 0;

	@Parameter(required = false, min = "0", max = "100", description = "traversal cycle: a walk of up to +-3 along one latent axis, decoded and "
		+ "encoded again, must not move the encoder's reading of the other axes (weight of their squared change; trains the decoder only), so that a "
		+ "walk along one axis changes only what that axis means; 0 = off. No labels, no pairs needed.")
	private double cycle_weight = 0;

	@Parameter(required = false, min = "0", max = "10000", description = "known warp axes: a walk along latent axis 1-4 is pulled towards the decoded start "
		+ "rotated, shifted vertically, scaled across or scaled up-down (the pull's weight; trains the decoder only); with geometry_axes a change's "
		+ "half-range spans order_span/2 units, as the hinge says, else 3. 0 = off. No labels")
	private double warp_weight = 0;

	@Override
	protected Training training() {
		return Training.vae(slices.toPath()).ch(ch).klWeight(kl_weight).tcBeta(tc_beta).pairs(pairs).pairGap(pair_gap).geometryChanges(geometry_changes).orderWeight(order_weight).orderSpan(order_span).pairSharing(pair_sharing).geometryAxes(geometry_axes)
			.invarianceWeight(invariance_weight).cycleWeight(cycle_weight).warpWeight(warp_weight);
	}
}
