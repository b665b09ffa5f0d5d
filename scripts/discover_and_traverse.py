# Discovers directions of a generator with SeFa and walks the first ones: returns the hyperstack and the export folder.
# Works with a run folder from Train GAN / Train VAE or a TorchScript .pt generator with its JSON sidecar.
#@ CommandService command
#@ File model
#@ File (style="directory") folder
#@output String summary
#@output Object traversal

import os
from io.github.ctlatent.commands import DiscoverDirectionsCommand, TraverseDirectionsCommand, ExportTraversalCommand

out = os.path.join(folder.getPath(), "sefa")
found = command.run(DiscoverDirectionsCommand, True, "model", model, "output", out, "method", "sefa").get()
directions = os.path.join(out, "directions.json")
traversal = command.run(TraverseDirectionsCommand, True, "model", model, "directions", directions, "indices", "0-2").get().getOutput("traversal")
exported = command.run(ExportTraversalCommand, True, "model", model, "directions", directions, "indices", "0-2",
                       "output", os.path.join(folder.getPath(), "export")).get()
summary = found.getOutput("summary") + " | " + exported.getOutput("summary")
print(summary)
