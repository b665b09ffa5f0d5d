# Discovers directions of a generator with SeFa and walks the first ones: returns the hyperstack and writes every
# export. The discover, traverse and view stages' doors (Discovery, Traversals, Views) called directly.
# Works with a run folder from Train GAN / Train VAE or a TorchScript .pt generator with its JSON sidecar.
#@ File model
#@ File (style="directory") folder
#@output String summary
#@output Object traversal

from java.io import File
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.discover import Discovery, DiscoverySettings
from io.github.ctlatent.traverse import Traversals
from io.github.ctlatent.view import ViewOptions, Views

out = File(folder, "sefa").toPath()
settings = DiscoverySettings.paper().toBuilder().method(DiscoverySettings.Method.SEFA).directions(0).build()  # 0: as many as the latent has
found = Discovery.discover(model.toPath(), settings, None, out, "auto", Monitor.NONE)
walks = Traversals.of(model.toPath(), found.directions().source()).indices("0-2")
options = ViewOptions.options().output(File(folder, "export").toPath()).window("lung").frameMs(50).owner("discover_and_traverse.py")  # every format
exported = Views.export(walks, options, Monitor.NONE)
traversal = Views.show(exported.walks(), "traversal of " + model.getName(), exported.window()).hyperstack()
summary = found.summary() + " | " + exported.summary()
print(summary)
