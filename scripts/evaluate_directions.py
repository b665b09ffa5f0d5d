# Scores a direction set with a factor oracle and returns the summary and the direction x factor heat-map.
# Use the shipped models: model = models/phantom-gan, oracle = models/phantom-oracle, directions = a directions.json
# from Discover Directions on that model (e.g. method=sefa). Raise bases/random for the protocol's settings.
#@ CommandService command
#@ File model
#@ File (style="directory") oracle
#@ File directions
#@ File (style="directory") report
#@ Integer (value=8) bases
#@ Integer (value=1000) random
#@ Integer (value=200) random_3d
#@output String summary
#@output Object heatmap

from io.github.ctlatent.commands import EvaluateDirectionsCommand

done = command.run(EvaluateDirectionsCommand, True, "model", model, "oracle", oracle, "directions", directions,
                   "output", report, "bases", bases, "random", random, "random_3d", random_3d).get()
summary = done.getOutput("summary")
heatmap = done.getOutput("heatmap")
print(summary)
