/**
 * Direction discovery on a frozen {@link io.github.ctlatent.model.Generator} (docs/method.md §4): the learned
 * method of Voynov &amp; Babenko ({@link io.github.ctlatent.discover.VoynovBabenko}) and the closed forms
 * {@link io.github.ctlatent.discover.SeFa} and {@link io.github.ctlatent.discover.Pca}, all producing one
 * {@link io.github.ctlatent.discover.DirectionSet}. Entry point: {@link io.github.ctlatent.discover.Discovery#run}.
 * <p>
 * Deliberate differences from the CT paper's code (each documented where it lives):
 * <ul>
 * <li>The ResNet reconstructor sees the pair [G(z), G(z + shift)]; the original fed G(z) twice
 * ({@code DiscoverySettings.resnetFirstImageTwice} reproduces that). Its unused 1000-way fc is not built.</li>
 * <li>ortho uses a Taylor scaling-and-squaring matrix exponential (DJL offers no expm or linear solve for the
 * original's Padé-13); columns are orthonormal to 1e-5 in float32.</li>
 * <li>G(z) and G(z + shift) are rendered in one generator call of 2B latents (identical in eval mode).</li>
 * <li>Random initialisations are drawn from Java's {@code SplittableRandom} (same distributions as PyTorch's),
 * and every batch from a per-step stream, so runs are reproducible and resumable bit-for-bit.</li>
 * <li>The random/id baselines (Voynov &amp; Babenko's comparison, absent from the CT code) are trained with the same
 * budget and min(K, d) directions.</li>
 * <li>Validation RCA is computed at the end (the original also logged it every 1000 steps).</li>
 * </ul>
 */
package io.github.ctlatent.discover;
