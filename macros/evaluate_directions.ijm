// Measures the SeFa directions of the GAN from discover_directions.ijm with the oracle from train_factor_oracle.ijm,
// against random directions, and reads the 3D structure label-free against the slice set (smoke-sized settings;
// the defaults are bases=8 steps=4 random=1000 random_3d=200 frames_3d=17). Writes summary.txt, scores.csv,
// structure3d.csv, heatmap.png (and strips.png when a direction can be labelled) into the report folder.
run_folder = getDirectory("temp") + "ct-latent-gan";
oracle = getDirectory("temp") + "ct-latent-oracle";
slices = getDirectory("temp") + "ct-latent-slices";
run("Evaluate Directions", "model=[" + run_folder + "] oracle=[" + oracle + "] output=[" + run_folder + "-evaluation] directions=[" + run_folder + "-sefa/directions.json] overwrite baseline=none reference=[" + slices + "] bases=2 steps=2 radius=3 random=20 random_3d=10 frames_3d=5 seed=1 device=cpu");
// The same directions without an oracle (any CT): ranked by effect in HU, realism and scroll against the real
// slices, redundancy, and significance against random_3d random directions. Writes summary.txt, ranking.csv,
// redundancy.csv and strips.png.
run("Evaluate Directions", "model=[" + run_folder + "] output=[" + run_folder + "-labelfree] directions=[" + run_folder + "-sefa/directions.json] overwrite reference=[" + slices + "] bases=2 radius=3 random_3d=10 frames_3d=5 seed=1 device=cpu");
