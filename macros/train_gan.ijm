// Trains the DCGAN on the slice set written by prepare_slice_set.ijm. A smoke-sized run (4 iterations of 16);
// for a real model use e.g. iterations=1500 batch_size=64 (see README "Shipped models").
slices = getDirectory("temp") + "ct-latent-slices";
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Train GAN", "slices=[" + slices + "] output=[" + run_folder + "] preset=cpu iterations=4 batch_size=16 ngf=8 ndf=8 seed=1 checkpoint_every=2 sample_every=2 device=cpu");
