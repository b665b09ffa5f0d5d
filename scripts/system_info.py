# Prints what heavy work will run on (DJL/PyTorch, device, threads, offline mode, the numerics check).
# Run from Fiji's Script Editor (language: Python) or with the project's test harness.
#@output String info

from io.github.ctlatent.engine import Engines

info = "\n".join("%-22s %s" % (e.getKey() + ":", e.getValue()) for e in Engines.systemInfo().entrySet())
print(info)
