# Generates a small thorax phantom and prepares it as a slice set, then reports what was written.
# Run from Fiji's Script Editor (language: Python); the tests run it with jython-standalone.
#@ CommandService command
#@ File (style="directory") folder
#@ Integer (value=4) count
#@output String summary

import os
from io.github.ctlatent.commands import GeneratePhantomCommand, PrepareSliceSetCommand

phantom = os.path.join(folder.getPath(), "phantom")
slices = os.path.join(folder.getPath(), "slices")
command.run(GeneratePhantomCommand, True, "output", phantom, "count", count, "size", 64, "slices", 32).get()
module = command.run(PrepareSliceSetCommand, True, "input", phantom, "output", slices, "size", 32, "test_fraction", 0.25).get()
summary = module.getOutput("summary")
print(summary)
