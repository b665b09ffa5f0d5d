# What the Latent Explorer window does, from a script (no window needed): open a generator with its SeFa
# directions, move two sliders, take the image in HU and the walk along one direction, and print the latent as the
# macro call that renders it again. Works headless; in Fiji, the 'Latent Explorer' command opens the window.
#@ File model
#@ Integer seed
#@output Object image
#@output Object walk
#@output String macro

from ai.djl import Device
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.traverse import Traversal
from io.github.ctlatent.picture import Window
from io.github.ctlatent.view import LatentExplorer, Ranking

explorer = LatentExplorer.open(model.toPath(), None, Ranking.EIGENVALUE, 4, seed, Device.cpu(), Monitor.NONE)
try:
    explorer.setValue(0, 2.5)   # slider 0 (the largest SeFa eigenvalue) to +2.5
    explorer.setValue(1, -1.0)
    image = explorer.snapshot(Window.LUNG)
    walk = explorer.traversal(1, Traversal.Range.volume(), Monitor.NONE).imagePlus("walk along " + explorer.label(1), False)
    macro = explorer.macro()
finally:
    explorer.close()
print(macro)
