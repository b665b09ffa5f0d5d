// Discovers latent directions of the GAN trained by train_gan.ijm: closed-form SeFa (seconds), then a smoke-sized
// Voynov-Babenko run. For the paper's settings drop the size options: steps=3000 batch_size=128 (K = latent size).
// Outputs go beside the run folder: a command never writes inside one of its inputs.
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Discover Directions", "model=[" + run_folder + "] output=[" + run_folder + "-sefa] method=sefa device=cpu");
run("Discover Directions", "model=[" + run_folder + "] output=[" + run_folder + "-voynov] method=voynov deformator=ortho reconstructor=lenet steps=6 batch_size=8 no_baselines device=cpu");
