# Discovers directions of a generator with SeFa and walks the first ones: returns the hyperstack and writes every
# export. The discover, traverse and view stages' entry points (Discovery, Traversals, ExportFolder) called directly.
# Works with a run folder from Train GAN / Train VAE or a TorchScript .pt generator with its JSON sidecar.
#@ File model
#@ File (style="directory") folder
#@output String summary
#@output Object traversal

from java.io import File
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.discover import Discovery, DiscoverySettings
from io.github.ctlatent.traverse import Traversals
from io.github.ctlatent.view import ExportFolder, Window, WalkImages

out = File(folder, "sefa").toPath()
settings = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.SEFA).directions(0).build()  # 0: as many as the latent has
found = Discovery.discover(model.toPath(), settings, None, out, "auto", Monitor.NONE)
walks = Traversals.of(model.toPath(), found.directions().source()).indices("0-2")
request = ExportFolder.Request(File(folder, "export").toPath(), "all", "lung", 50, False)  # every format, lung window, 50 ms GIF frames
exported = ExportFolder.walkAndWrite(walks, request, "discover_and_traverse.py", Monitor.NONE)
traversal = WalkImages.hyperstack(exported.walks(), "traversal of " + model.getName(), Window.LUNG)
summary = found.summary() + " | " + exported.summary()
print(summary)
