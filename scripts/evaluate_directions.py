# Scores a direction set and returns the summary and the direction x factor heat-map: the evaluation stage's entry
# point (Evaluations) called directly.
# Use the shipped models: model = models/phantom-gan, oracle = models/phantom-oracle, directions = a directions.json
# from Discover Directions on that model (e.g. method=sefa). Raise bases/random for the protocol's settings.
# Without an oracle (your own CT: leave it empty) the directions are ranked label-free against the reference slice
# set (effect in HU, realism, scroll along the body, redundancy, significance against random directions); there is
# no heat-map then, and the summary says which tables need an oracle.
#@ File model
#@ File (style="directory", required=false) oracle
#@ File directions
#@ File (style="directory", required=false) reference
#@ File (style="directory") report
#@ Integer (value=8) bases
#@ Integer (value=1000) random
#@ Integer (value=200) random_3d
#@output String summary
#@output Object heatmap

from ij import ImagePlus
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.evaluate import Evaluation, EvaluationReport, Evaluations

# the documented defaults (4 steps over +-3, 17 frames of a 3D walk, seed 1), changed by name
settings = Evaluation.Settings.defaults().withBases(int(bases)).withRandom(int(random)).withRandom3d(int(random_3d))
evaluation = Evaluations.of(model.toPath()) if oracle is None else Evaluations.of(model.toPath(), oracle.toPath())
if reference is not None:
    evaluation = evaluation.reference(reference.toPath())
written = evaluation.directions(directions.toPath()).settings(settings).write(report.toPath(), Monitor.NONE)
summary = written.summary()
heatmap = None
if written.result() is not None:
    heatmap = ImagePlus("direction x factor scores of " + model.getName(), EvaluationReport.heatmap(written.result()))
print(summary)
