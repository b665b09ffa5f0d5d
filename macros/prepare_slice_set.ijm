// Prepares the phantom written by generate_phantom.ijm as a 64x64 slice set (the paper's preprocessing).
input = getDirectory("temp") + "ct-latent-phantom";
output = getDirectory("temp") + "ct-latent-slices";
run("Prepare Slice Set", "input=[" + input + "] output=[" + output + "] size=64 interpolation=lanczos4 test_fraction=0.25 seed=1 overwrite");
