// What the Latent Explorer window does, as a macro, on the GAN from train_gan.ijm: the image of the seed's base
// latent with two sliders moved (direction:shift pairs), plus the 64-frame walk along direction 0 from there.
// A latent copied with the window's 'Copy latent' button goes in latent=[...] instead of seed/values.
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Render Latent", "model=[" + run_folder + "] directions=[" + run_folder + "-sefa/directions.json] seed=1 values=[0:2.5,1:-1] walk=0 frames=64 radius=6 window=lung device=cpu");
