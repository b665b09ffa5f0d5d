// Writes 4 synthetic thorax CT volumes (64x64x48) as DICOM series with their factors.csv.
// Change the output folder; in Fiji, record your own with Plugins > Macros > Record.
output = getDirectory("temp") + "ct-latent-phantom";
run("Generate Thorax Phantom", "output=[" + output + "] count=4 size=64 slices=48 format=dicom seed=1 noise=10 overwrite");
