# Trains a (tiny) DCGAN on a slice set, then samples from it: the Java API of the commands from Jython.
# In Fiji's Script Editor, point "slices" at a folder made by Prepare Slice Set and raise iterations.
#@ CommandService command
#@ File (style="directory") slices
#@ File (style="directory") run_folder
#@ Integer (value=4) iterations
#@output String summary
#@output Object samples

from io.github.ctlatent.commands import TrainGanCommand, GenerateSamplesCommand

trained = command.run(TrainGanCommand, True, "slices", slices, "output", run_folder, "iterations", iterations,
                      "batch_size", 8, "ngf", 8, "ndf", 8, "sample_every", iterations, "device", "cpu").get()
summary = trained.getOutput("summary")
samples = command.run(GenerateSamplesCommand, True, "model", run_folder, "count", 4).get().getOutput("samples")
print(summary)
