# Generates a small thorax phantom and prepares it as a slice set, then reports what was written: the data stage's
# entry points (PhantomGenerator, SlicePreparation) called directly. Run from Fiji's Script Editor (language:
# Python); the tests run it with jython-standalone.
#@ File (style="directory") folder
#@ Integer (value=4) count
#@output String summary

from java.io import File
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.data import Preprocessing, SlicePreparation
from io.github.ctlatent.data.phantom import PhantomGenerator

phantom = File(folder, "phantom").toPath()
slices = File(folder, "slices").toPath()
# count volumes of 64 x 64 x 32 voxels as DICOM series, seed 1, 10 HU of noise
PhantomGenerator.generate(count, 64, 32, 1, PhantomGenerator.Format.DICOM, phantom, 10.0, Monitor.NONE)
# the paper's preprocessing at 32 x 32, a quarter of the patients held out
options = SlicePreparation.Options(Preprocessing(-1000, 2000, 32, "lanczos4"), 1, 0.25, False, True, False)
card = SlicePreparation.fromFolder(phantom, slices, options, Monitor.NONE)
summary = card.summary()
print(summary)
