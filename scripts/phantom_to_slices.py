# Generates a small thorax phantom and prepares it as a slice set, then reports what was written: the data stage's
# front doors (Phantoms, SliceSets) called directly. Run from Fiji's Script Editor (language: Python); the tests run
# it with jython-standalone.
#@ File (style="directory") folder
#@ Integer (value=4) count
#@output String summary

from java.io import File
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.data import SliceSets
from io.github.ctlatent.data.phantom import Phantoms

phantom = File(folder, "phantom").toPath()
slices = File(folder, "slices").toPath()
# count volumes of 64 x 64 x 32 voxels as DICOM series, seed 1, 10 HU of noise
Phantoms.thorax().count(count).size(64).slices(32).format("dicom").seed(1).noise(10.0).write(phantom, Monitor.NONE)
# the paper's preprocessing (HU window -1000..2000, Lanczos-4) at 32 x 32, a quarter of the patients held out
written = SliceSets.of(phantom).size(32).testFraction(0.25).seed(1).write(slices, Monitor.NONE)
summary = written.card().summary()
print(written.summary())
