// Trains the ResNet VAE on the slice set written by prepare_slice_set.ijm (smoke-sized; see README for real settings).
slices = getDirectory("temp") + "ct-latent-slices";
run_folder = getDirectory("temp") + "ct-latent-vae";
run("Train VAE", "slices=[" + slices + "] output=[" + run_folder + "] preset=cpu iterations=3 batch_size=8 ch=8 seed=1 checkpoint_every=3 sample_every=3 device=cpu");
