# Trains a (tiny) DCGAN on a slice set, then samples from it: the engine API from Jython, no commands involved.
# Training is the front door of training (settings as a chain, then run); Sampling draws from the trained generator.
# In Fiji's Script Editor, point "slices" at a folder made by Prepare Slice Set and raise iterations.
#@ LogService logger
#@ StatusService status
#@ File (style="directory") slices
#@ File (style="directory") run_folder
#@ Integer (value=4) iterations
#@output String summary
#@output Object samples

from ij import IJ
from org.scijava.log import LogLevel
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.model import Sampling
from io.github.ctlatent.train import Training
from io.github.ctlatent.picture import Pictures


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
samples = Pictures.stack("samples of " + run_folder.getName(), Sampling.of(run_folder.toPath()).count(4).seed(1).device("cpu").sample(FijiMonitor()))
print(summary)
