/**
 * Optimizers shared by every stage that fits parameters — training ({@code train}), the Voynov–Babenko
 * deformator and reconstructor ({@code discover}), the factor oracle ({@code evaluate}) — so that none of them
 * has to depend on another. {@link io.github.ctlatent.optim.Adam} uses libtorch's fused kernel
 * ({@code engine.FusedAdam}) where the engine has it.
 */
package io.github.ctlatent.optim;
