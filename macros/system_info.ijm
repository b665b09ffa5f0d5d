// Prints what heavy work will run on: DJL/PyTorch versions, device and why, threads, offline mode.
run("Latent Explorer System Info");
