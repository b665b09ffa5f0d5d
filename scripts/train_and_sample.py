# Trains a (tiny) DCGAN on a slice set, then samples from it: the engine API from Jython, no commands involved.
# Training is the front door of training (settings as a chain, then run); Models.load gives the trained generator.
# In Fiji's Script Editor, point "slices" at a folder made by Prepare Slice Set and raise iterations.
#@ LogService logger
#@ StatusService status
#@ File (style="directory") slices
#@ File (style="directory") run_folder
#@ Integer (value=4) iterations
#@output String summary
#@output Object samples

from ai.djl import Device
from ij import IJ, ImagePlus, ImageStack
from ij.process import FloatProcessor
from jarray import array
from org.scijava.log import LogLevel
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.model import ModelCard, Models
from io.github.ctlatent.train import Training
from io.github.ctlatent.traverse import Traversal


class FijiMonitor(Monitor):
    """Progress to Fiji's status bar, log lines to the log window, Esc cancels (the run stays resumable)."""
    def progress(self, done, total, line):
        status.showStatus(int(done), int(total), line)

    def log(self, line):
        logger.log(LogLevel.INFO, line)  # not logger.info: Jython reads that as the service's getInfo()

    def isCanceled(self):
        return IJ.escapePressed()


IJ.resetEscape()
training = Training.gan(slices.toPath()).output(run_folder.toPath()).iterations(iterations).batchSize(8).widths(8, 8) \
    .sampleEvery(iterations).device("cpu")
summary = training.summary(training.run(FijiMonitor()))

# four samples in Hounsfield units: the run's card knows how its slices were scaled to [-1, 1]
to_hu = ModelCard.read(run_folder.toPath()).dataset.preprocessing
generator = Models.load(run_folder.toPath(), Device.cpu())
try:
    d, size = generator.latentDim(), generator.imageSize()
    stack = ImageStack(size, size)
    for seed in range(1, 5):
        plane = generator.images(Traversal.seedLatent(d, seed))[0]
        stack.addSlice("z seed %d" % seed, FloatProcessor(size, size, array([to_hu.toHounsfield(v) for v in plane], 'f')))
finally:
    generator.close()
samples = ImagePlus("samples of " + run_folder.getName(), stack)
samples.getCalibration().setValueUnit("HU")
print(summary)
