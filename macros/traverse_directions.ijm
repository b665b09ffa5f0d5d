// Walks SeFa directions 0-3 of the GAN from discover_directions.ijm: a calibrated hyperstack in HU (shift as z,
// directions as channels) and its x-shift reslice, then writes every export (BDV XML/N5, TIFF, PNG strip, GIFs).
run_folder = getDirectory("temp") + "ct-latent-gan";
run("Traverse Directions", "model=[" + run_folder + "] directions=[" + run_folder + "-sefa/directions.json] indices=0-3 range=paper seed=1 window=lung device=cpu");
run("Export Traversal", "model=[" + run_folder + "] directions=[" + run_folder + "-sefa/directions.json] indices=0-3 range=animation output=[" + run_folder + "-export] format=all window=lung device=cpu overwrite");
// Several bases in one call, written headless: seeds 1-3 as time points, every export with a _baseNN suffix.
run("Traverse Directions", "model=[" + run_folder + "] directions=[" + run_folder + "-sefa/directions.json] indices=0-1 range=paper seeds=1-3 output=[" + run_folder + "-bases] format=tiff device=cpu overwrite");
