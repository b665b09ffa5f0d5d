// Puts 8 held-out slices of the set from prepare_slice_set.ijm into the latent space of the GAN from train_gan.ijm
// (smoke-sized: 20 steps, 2 restarts; the defaults are 100 and 4), then walks SeFa direction 0 from each of them.
slices = getDirectory("temp") + "ct-latent-slices";
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Project Slice to Latent", "model=[" + run_folder + "] slices=[" + slices + "] split=auto steps=20 restarts=2 seed=1 output=[" + run_folder + "-projection] device=cpu overwrite");
run("Traverse Directions", "model=[" + run_folder + "] directions=[" + run_folder + "-sefa/directions.json] indices=0 range=paper latents=[" + run_folder + "-projection/latents.txt] device=cpu");
