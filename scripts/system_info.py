# Prints what heavy work will run on (DJL/PyTorch, device, threads, offline mode).
# Run from Fiji's Script Editor (language: Python) or with the project's test harness.
#@ CommandService command
#@output String info

from io.github.ctlatent.commands import SystemInfoCommand

module = command.run(SystemInfoCommand, True).get()
info = module.getOutput("info")
print(info)
