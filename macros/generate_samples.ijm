// Draws 16 images from the GAN trained by train_gan.ijm (any run folder or TorchScript .pt works).
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Generate Samples", "model=[" + run_folder + "] count=16 seed=1 png=[" + run_folder + "-samples.png] device=cpu overwrite");
