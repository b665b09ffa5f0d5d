# Scores a direction set with a factor oracle and returns the summary and the direction x factor heat-map: the
# evaluation stage's entry point (Evaluations) called directly.
# Use the shipped models: model = models/phantom-gan, oracle = models/phantom-oracle, directions = a directions.json
# from Discover Directions on that model (e.g. method=sefa). Raise bases/random for the protocol's settings.
#@ File model
#@ File (style="directory") oracle
#@ File directions
#@ File (style="directory") report
#@ Integer (value=8) bases
#@ Integer (value=1000) random
#@ Integer (value=200) random_3d
#@output String summary
#@output Object heatmap

from ij import ImagePlus
from io.github.ctlatent.core import Monitor
from io.github.ctlatent.evaluate import Evaluation, EvaluationReport, Evaluations

# M bases, S = 4 steps over +-3, random null directions, 3D chance level, 17 frames of a 3D walk, seed 1
settings = Evaluation.Settings(int(bases), 4, 3.0, int(random), int(random_3d), 17, 1024, 1)
written = Evaluations.of(model.toPath(), oracle.toPath()).directions(directions.toPath()).settings(settings) \
    .write(report.toPath(), Monitor.NONE)
summary = written.summary()
heatmap = ImagePlus("direction x factor scores of " + model.getName(), EvaluationReport.heatmap(written.result()))
print(summary)
